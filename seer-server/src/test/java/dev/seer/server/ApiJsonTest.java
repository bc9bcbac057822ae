package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import dev.seer.features.FeatureServer;
import dev.seer.features.FeatureServer.Status;
import dev.seer.features.FeatureServer.Value;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
    @Test
    void theOnlineResponseReadsBackToTheSameResults() throws Exception {
        Instant t1 = Instant.parse("2026-03-01T00:00:00.123456Z");
        Instant t2 = Instant.parse("2026-03-02T00:00:00Z");
        Map<String, String> entity = new LinkedHashMap<>();
        entity.put("customer_id", "7");
        entity.put("region", "eu \"west\"");
        List<FeatureServer.EntityResult> results = List.of(
                new FeatureServer.EntityResult(entity, List.of(
                        new Value("stats:spend", Json.parse("12.25"), Status.PRESENT, Optional.of(t1)),
                        new Value("stats:plan", Json.parse("\"pro\""), Status.PRESENT, Optional.of(t1)),
                        new Value("other:n", Json.parse("null"), Status.EXPIRED, Optional.of(t2)),
                        new Value("more:x", Json.parse("null"), Status.MISSING, Optional.empty()),
                        new Value("kinds:int", Json.parse("42"), Status.PRESENT, Optional.of(t1)),
                        new Value("kinds:long", Json.parse("9007199254740993"), Status.PRESENT, Optional.of(t1)),
                        new Value("kinds:big", Json.parse("123456789012345678901234567890"), Status.PRESENT, Optional.of(t1)),
                        new Value("kinds:flag", Json.parse("true"), Status.PRESENT, Optional.of(t1)),
                        new Value("kinds:list", Json.parse("[1, \"a\", null]"), Status.PRESENT, Optional.of(t1)),
                        new Value("kinds:object", Json.parse("{\"a\": {\"b\": 2.5}}"), Status.PRESENT, Optional.of(t1)))),
                new FeatureServer.EntityResult(Map.of("customer_id", "8"), List.of(
                        new Value("stats:spend", Json.parse("1e300"), Status.PRESENT, Optional.of(t2)))));
        // What the server writes, the CLI reads back to the same results.
        assertThat(ApiJson.online(Json.mapper().readTree(ApiJson.onlineBytes(results)))).isEqualTo(results);
    }
}
