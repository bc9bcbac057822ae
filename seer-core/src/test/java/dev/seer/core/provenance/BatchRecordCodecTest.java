package dev.seer.core.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The batch record's one JSON form, against records as the feature store's {@code Ingestor} wrote
 * them before it used the codec (field for field, without {@code format}): a file batch, and a
 * stream micro-batch whose lineage holds its Kafka span.
 */
class BatchRecordCodecTest {
    private static final String FILE_BATCH = """
            {"batch_id":"batch-01JF3Q8Z6W0000000000000001","source":"transactions","source_version":1,
             "content_hash":"9f2c0e1d6b0b8a7e4c1e6f3d2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b",
             "path":"/data/transactions.csv","rows_read":3,"ingested_at":"2026-03-01T00:00:00Z",
             "views":[{"view":"customer_stats","view_version":2,"rows_written":2,"rows_quarantined":1,
                       "profile":{"spend":{"column_type":"DOUBLE","min":"10.5","max":"20.0","count":"2",
                                           "most_frequent":[{"value":"10.5","count":1}]}}}],
             "files":["views/customer_stats/date=2026-02-28/part-batch-01JF3Q8Z6W0000000000000001-0.parquet",
                      "views/customer_stats/date=2026-03-01/part-batch-01JF3Q8Z6W0000000000000001-0.parquet",
                      "quarantine/transactions/batch-01JF3Q8Z6W0000000000000001.parquet"],
             "rows_written":2,"rows_quarantined":1}
            """;

    private static final String STREAM_BATCH = """
            {"batch_id":"batch-01JF3Q8Z6W0000000000000002","source":"clicks","source_version":3,
             "content_hash":"0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
             "path":"/home/.seer/stream/staging/clicks-1-100-149.jsonl","rows_read":50,
             "ingested_at":"2026-03-01T00:00:05Z",
             "lineage":{"topic":"clicks","partition":1,"first_offset":100,"last_offset":149,"records":52,
                        "dead_lettered":2,"ingested_by":"host-1","watermark_micros":1772323200000000},
             "views":[{"view":"click_stats","view_version":1,"rows_written":50,"rows_quarantined":0,"profile":{}}],
             "files":["views/click_stats/date=2026-03-01/part-batch-01JF3Q8Z6W0000000000000002-0.parquet"],
             "rows_written":50,"rows_quarantined":0}
            """;

    @Test
    void readsAFileBatchAsTodaysIngestorWritesIt() {
        BatchRecord batch = BatchRecord.CODEC.decode(Json.parse(FILE_BATCH));

        assertThat(batch.batchId()).isEqualTo("batch-01JF3Q8Z6W0000000000000001");
        assertThat(batch.source()).isEqualTo("transactions");
        assertThat(batch.path()).contains("/data/transactions.csv");
        assertThat(batch.ingestedAt()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(batch.kafka()).isEmpty();
        assertThat(batch.views()).singleElement().satisfies(v -> {
            assertThat(v.view()).isEqualTo("customer_stats");
            assertThat(v.viewVersion()).isEqualTo(2);
            assertThat(v.profile().path("spend").path("count").asText()).isEqualTo("2");
        });
        assertThat(batch.filesOf("customer_stats")).hasSize(2);
        assertThat(batch.rowsQuarantined()).isEqualTo(1);
    }

    @Test
    void readsAStreamBatchWithItsKafkaSpan() {
        BatchRecord batch = BatchRecord.CODEC.decode(Json.parse(STREAM_BATCH));

        assertThat(batch.kafka()).contains(new BatchRecord.KafkaSpan("clicks", 1, 100, 149, 52, 2, "host-1",
                1_772_323_200_000_000L));
    }

    @Test
    void writesTodaysFormPlusItsFormatVersion() {
        for (String literal : List.of(FILE_BATCH, STREAM_BATCH)) {
            ObjectNode expected = (ObjectNode) Json.parse(literal);
            expected.put(Codec.FORMAT, 1);
            ObjectNode written = BatchRecord.CODEC.encode(BatchRecord.CODEC.decode(Json.parse(literal)));

            assertThat(Json.parse(written.toString())).as("read back, so 3 as a long equals 3 as parsed").isEqualTo(expected);
        }
    }

    @Test
    void aSpanRecordedBeforeWatermarksResumesWithoutOne() {
        ObjectNode json = (ObjectNode) Json.parse(STREAM_BATCH);
        ((ObjectNode) json.get("lineage")).remove(List.of("dead_lettered", "ingested_by", "watermark_micros"));

        BatchRecord.KafkaSpan span = BatchRecord.CODEC.decode(json).kafka().orElseThrow();

        assertThat(span.watermarkMicros()).isEqualTo(Long.MIN_VALUE);
        assertThat(span.deadLettered()).isZero();
        assertThat(span.ingestedBy()).isEmpty();
    }

    @Test
    void roundTripsATypedRecord() {
        BatchRecord batch = new BatchRecord("b1", "s", 1, "h", Optional.empty(), 5, Instant.parse("2026-03-01T00:00:00Z"),
                Optional.of(new BatchRecord.KafkaSpan("t", 0, 0, 4, 5, 0, "me", 7)),
                List.of(new BatchRecord.ViewWrite("v", 1, 5, 0, Json.object())), List.of("views/v/x.parquet"), 5, 0);

        assertThat(BatchRecord.CODEC.decode(BatchRecord.CODEC.encode(batch))).isEqualTo(batch);
    }

    @Test
    void refusesAFormatFromANewerSeer() {
        ObjectNode json = (ObjectNode) Json.parse(FILE_BATCH);
        json.put(Codec.FORMAT, 2);

        assertThatThrownBy(() -> BatchRecord.CODEC.decode(json)).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT)).hasMessageContaining("batch record");
    }

    @Test
    void refusesAMissingFieldByName() {
        ObjectNode json = (ObjectNode) Json.parse(FILE_BATCH);
        json.remove("content_hash");

        assertThatThrownBy(() -> BatchRecord.CODEC.decode(json)).hasMessageContaining("[content_hash]");
    }
}
