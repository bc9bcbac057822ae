package dev.seer.features.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The materialisation watermark's JSON form, against one as {@code Materializer} wrote it before it was typed. */
class MaterializedUpToTest {
    @Test
    void readsAWatermarkWrittenBeforeItWasTyped() {
        MaterializedUpTo watermark = MaterializedUpTo.CODEC.decode(Json.parse("""
                {"end":"2026-03-02T00:00:00Z","batches":["batch-01","batch-02"]}
                """));

        assertThat(watermark).isEqualTo(new MaterializedUpTo(Instant.parse("2026-03-02T00:00:00Z"),
                List.of("batch-01", "batch-02")));
    }

    @Test
    void roundTrips() {
        MaterializedUpTo watermark = new MaterializedUpTo(Instant.parse("2026-03-02T00:00:00Z"), List.of("batch-01"));

        assertThat(MaterializedUpTo.CODEC.decode(MaterializedUpTo.CODEC.encode(watermark))).isEqualTo(watermark);
    }
}
