package dev.seer.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The stored record of the batches a dataset read. Its bytes name the object a manifest cites,
 * and the manifest's fingerprint includes that name, so the form is pinned here byte for byte:
 * a change to it would give a re-created version a new fingerprint.
 */
class BatchesReadTest {
    /** As Seer has stored it since datasets recorded their batches: a file batch, then a stream batch. */
    private static final String STORED = "[{\"view\":\"customer_stats\",\"version\":2,\"batches\":["
            + "{\"batch_id\":\"b_1\",\"source\":\"transactions\",\"content_hash\":\"aa\","
            + "\"ingested_at\":\"2026-11-27T10:00:00.123456789Z\",\"path\":\"/data/t.csv\",\"matched_rows\":58},"
            + "{\"batch_id\":\"b_2\",\"source\":\"payments\",\"content_hash\":\"bb\",\"ingested_at\":\"2026-11-27T11:00:00Z\","
            + "\"kafka\":{\"topic\":\"seer.push.payments\",\"partition\":1,\"first_offset\":1000,\"last_offset\":1049}}]}]";

    private static final BatchesRead READ = new BatchesRead(List.of(new BatchesRead.ViewBatches("customer_stats", 2, List.of(
            new BatchesRead.Batch("b_1", "transactions", "aa", Instant.parse("2026-11-27T10:00:00.123456789Z"), "/data/t.csv",
                    Optional.empty(), OptionalLong.of(58)),
            new BatchesRead.Batch("b_2", "payments", "bb", Instant.parse("2026-11-27T11:00:00Z"), "", Optional.of(
                    new BatchesRead.Offsets("seer.push.payments", 1, 1000, 1049)), OptionalLong.empty())))));

    @Test
    void theStoredFormIsReadIntoValuesAndWrittenBackByteForByte() {
        assertThat(BatchesRead.fromJson(Json.parse(STORED))).isEqualTo(READ);
        assertThat(Json.write(READ.toJson())).isEqualTo(STORED);
    }

    @Test
    void aRerunPinsEachViewsVersionAndEveryBatch() {
        BatchesRead.Pinned pinned = READ.pinned();
        assertThat(pinned.views()).containsExactly(java.util.Map.entry("customer_stats", 2));
        assertThat(pinned.batches()).containsExactly("b_1", "b_2");
        assertThat(BatchesRead.NONE.pinned().batches()).isEmpty();
    }

    @Test
    void aNewerFormatIsRefusedNotMisread() {
        assertThatThrownBy(() -> BatchesRead.fromJson(Json.parse("{\"format\": 2, \"views\": []}")))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining("format 1, not [2]");
        assertThatThrownBy(() -> BatchesRead.fromJson(Json.parse("\"batches\"")))
                .hasMessageContaining("must be a JSON list");
    }

    @Test
    void aMistypedFieldIsRefusedByName() {
        assertThatThrownBy(() -> BatchesRead.fromJson(Json.parse(STORED.replace("\"partition\":1", "\"partition\":\"one\""))))
                .hasMessageContaining("Field [partition] of a Kafka offsets of the record of the batches a dataset read");
        assertThatThrownBy(() -> BatchesRead.fromJson(Json.parse(STORED.replace("\"ingested_at\":\"2026-11-27T11:00:00Z\"",
                "\"ingested_at\":\"yesterday\"")))).hasMessageContaining("Field [ingested_at]");
        assertThatThrownBy(() -> BatchesRead.fromJson(Json.parse(STORED.replace(",\"path\":\"/data/t.csv\"", ""))))
                .as("a file batch without its path").hasMessageContaining("Field [path]");
    }

    @Test
    void aLineageAloneReadsAndWritesAsInsideItsManifest() {
        DatasetLineage lineage = new DatasetLineage.Retrieval(new DatasetLineage.Entities("/in/e.csv", "aa", 10, 3),
                List.of("churn_v1"), Optional.empty(), List.of("stats:spend"), false, Optional.empty(), List.of(
                        new DatasetLineage.ViewSummary("stats", 1, 1, List.of(), 3, List.of())), Optional.of("bb"));
        assertThat(DatasetLineage.CODEC.decode(Json.parse(Json.write(DatasetLineage.CODEC.encode(lineage)))))
                .isEqualTo(lineage);
        assertThatThrownBy(() -> DatasetLineage.CODEC.decode(Json.parse("{\"format\": 2, \"kind\": \"import\"}")))
                .hasMessageContaining("dataset lineage formats 1 to 1, not [2]");
        assertThatThrownBy(() -> DatasetLineage.CODEC.decode(Json.parse("{\"kind\": \"magic\", \"options\": {}}")))
                .hasMessageContaining("Field [kind] of a dataset lineage must be retrieval or import");
    }
}
