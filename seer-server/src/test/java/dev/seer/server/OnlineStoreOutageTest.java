package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.features.online.OnlineConfig;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditQuery;
import dev.seer.testing.PrivateRedis;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server over a Redis online store of the test's own, which the test kills and starts again
 * empty (a cache-like Redis after a restart): while Redis is down the online route answers 503
 * naming the store and the operation and {@code /readyz} is 503 with the reason; once Redis is
 * back empty, the server notices by itself, loads the store again from the offline store,
 * becomes ready without a restart, and answers the values it answered before; each change of
 * state is in the audit log.
 */
@Tag("integration")
class OnlineStoreOutageTest {
    static final String LOOKUP = """
            {"features": ["customer_stats:spend"], "entities": {"customer_id": ["1", "2", "3"]}}""";
    static final long RECOVERY_MILLIS = 60_000;

    @TempDir
    Path dir;

    PrivateRedis redis;
    RunningServer running;

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            running.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRedisThatStopsIsA503AndNotReadyAndOneRestartedEmptyIsRebuiltByItself() throws Exception {
        redis = PrivateRedis.start(dir.resolve("redis"));
        running = new RunningServer(dir, new OnlineConfig("redis", redis.url(), "seer-outage:"));
        defineIngestAndMaterialize();
        HttpResponse<String> before = running.send("POST", "/api/v1/features/online", Role.SCIENTIST, LOOKUP);
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        assertThat(spends(before)).as("as the offline rows say: customer 2's later row, none for 3")
                .containsExactly("12.5", "7.0", "missing");
        JsonNode ready = Json.parse(running.send("GET", "/readyz", (String) null, null).body());
        assertThat(ready.path("online").path("state").asText()).isEqualTo("ready");
        assertThat(ready.path("online").path("generation").asLong()).isEqualTo(1);

        redis.kill();
        HttpResponse<String> down = running.send("POST", "/api/v1/features/online", Role.SCIENTIST, LOOKUP);
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        JsonNode error = Json.parse(down.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("ONLINE_STORE_UNREACHABLE");
        assertThat(error.path("message").asText()).contains("redis").contains("read");
        HttpResponse<String> notReady = running.send("GET", "/readyz", (String) null, null);
        assertThat(notReady.statusCode()).as(notReady.body()).isEqualTo(503);
        JsonNode online = Json.parse(notReady.body()).path("online");
        assertThat(online.path("state").asText()).isEqualTo("unreachable");
        assertThat(online.path("reason").asText()).contains("redis");
        assertThat(running.send("GET", "/api/v1/tokens", Role.ADMIN, null).statusCode()).as("the rest serves").isEqualTo(200);

        redis.restart();
        Set<String> seen = awaitReady();
        HttpResponse<String> after = running.send("POST", "/api/v1/features/online", Role.SCIENTIST, LOOKUP);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(spends(after)).as("the values of before, loaded again from the offline store").isEqualTo(spends(before));
        JsonNode recovered = Json.parse(running.send("GET", "/readyz", (String) null, null).body()).path("online");
        assertThat(recovered.path("generation").asLong()).as("states seen while waiting: %s", seen).isEqualTo(2);
        // The catalog's records of the generation (1 at the first materialisation, 2 for the rebuild) and the changes of state.
        assertThat(auditTrail()).containsExactly("online_store.recorded", "online_store.unreachable", "online_store.rebuilding",
                "online_store.recorded", "online_store.ready");
    }

    private void defineIngestAndMaterialize() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: transactions, type: file, path: transactions.csv, timestamp_field: event_ts}
                feature_views:
                  - name: customer_stats
                    entities: [customer]
                    source: transactions
                    features:
                      - {name: spend, type: double}
                """);
        Files.writeString(repo.resolve("transactions.csv"), """
                customer_id,event_ts,spend
                1,2026-11-20T10:00:00Z,12.5
                2,2026-11-20T11:00:00Z,7.0
                2,2026-11-20T09:00:00Z,99.0
                """);
        running.services.features().apply(repo, "test");
        running.services.ingestor().ingest("transactions", Optional.empty(), "test");
        HttpResponse<String> materialized = running.send("POST", "/api/v1/materialize", Role.OPERATOR,
                "{\"end\": \"2026-11-21T00:00:00Z\"}");
        assertThat(materialized.statusCode()).as(materialized.body()).isEqualTo(200);
    }

    private static List<String> spends(HttpResponse<String> response) {
        List<String> spends = new ArrayList<>();
        for (JsonNode result : Json.parse(response.body()).path("results")) {
            JsonNode value = result.path("features").path("customer_stats:spend");
            spends.add(value.path("status").asText().equals("present") ? Double.toString(value.path("value").asDouble())
                    : value.path("status").asText());
        }
        return spends;
    }

    /** Polls {@code /readyz} until it is 200 again; the online states it reported meanwhile. */
    private Set<String> awaitReady() throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        long deadline = System.nanoTime() + RECOVERY_MILLIS * 1_000_000;
        while (true) {
            HttpResponse<String> ready = running.send("GET", "/readyz", (String) null, null);
            seen.add(Json.parse(ready.body()).path("online").path("state").asText());
            if (ready.statusCode() == 200) {
                return seen;
            }
            assertThat(System.nanoTime()).as("ready again within %d ms; states seen: %s", RECOVERY_MILLIS, seen)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** What the audit log says of the online store, oldest first (written in the background: polled). */
    private List<String> auditTrail() throws Exception {
        List<String> actions = List.of();
        for (int i = 0; i < 100 && actions.size() < 5; i++) {
            actions = running.services.audit().query(AuditQuery.all().withSubject("online_store", Optional.of("redis")))
                    .entries().stream().map(AuditEntry::action).toList();
            Thread.sleep(50);
        }
        return actions;
    }
}
