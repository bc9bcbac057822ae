package dev.seer.core.provenance;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One ingested batch as the catalog records it (kind {@code ingest_batch}): what was read, from
 * where, which views it wrote and which files hold them. Recording it is the commit point of an
 * ingestion. A batch from a file has a {@code path}; a micro-batch of a stream has a
 * {@link KafkaSpan} instead. Datasets cite batches in their lineage, so a dataset, and later a
 * model trained on it, can be traced to the exact records it was built from.
 *
 * @param path the file read; empty for a stream micro-batch
 * @param files the published files, relative to the offline store's root
 */
public record BatchRecord(String batchId, String source, int sourceVersion, String contentHash, Optional<String> path,
        long rowsRead, Instant ingestedAt, Optional<KafkaSpan> kafka, List<ViewWrite> views, List<String> files,
        long rowsWritten, long rowsQuarantined) {
    /** The one JSON form of a batch record. */
    public static final Codec<BatchRecord> CODEC = new BatchRecordCodec();

    public BatchRecord {
        requireNonNull(batchId, "batchId is null");
        requireNonNull(source, "source is null");
        requireNonNull(contentHash, "contentHash is null");
        requireNonNull(path, "path is null");
        requireNonNull(ingestedAt, "ingestedAt is null");
        requireNonNull(kafka, "kafka is null");
        views = List.copyOf(views);
        files = List.copyOf(files);
    }

    /**
     * The records of one stream micro-batch: a span of offsets of one partition, and what the
     * consumer made of it. The batch recording this span is what a restarted consumer resumes
     * after.
     */
    public record KafkaSpan(String topic, int partition, long firstOffset, long lastOffset, long records, long deadLettered,
            String ingestedBy, long watermarkMicros) {
        public KafkaSpan {
            requireNonNull(topic, "topic is null");
            requireNonNull(ingestedBy, "ingestedBy is null");
        }
    }

    /** What the batch wrote to one view; {@code profile} is the column profile of the written rows. */
    public record ViewWrite(String view, int viewVersion, long rowsWritten, long rowsQuarantined, JsonNode profile) {
        public ViewWrite {
            requireNonNull(view, "view is null");
            requireNonNull(profile, "profile is null");
        }
    }

    /** The files of {@code view} among this batch's files (those under {@code views/<view>/}). */
    public List<String> filesOf(String view) {
        String prefix = "views/" + view + "/";
        return files.stream().filter(f -> f.startsWith(prefix)).toList();
    }
}

/** Format 1 is the form batch records had before formats were versioned: the same fields, no {@code format}. */
final class BatchRecordCodec implements Codec<BatchRecord> {
    @Override
    public String kind() {
        return "batch record";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(BatchRecord b) {
        ObjectNode json = Json.object().put(FORMAT, version());
        json.put("batch_id", b.batchId()).put("source", b.source()).put("source_version", b.sourceVersion())
                .put("content_hash", b.contentHash());
        b.path().ifPresent(p -> json.put("path", p));
        json.put("rows_read", b.rowsRead()).put("ingested_at", b.ingestedAt().toString());
        b.kafka().ifPresent(k -> json.putObject("lineage").put("topic", k.topic()).put("partition", k.partition())
                .put("first_offset", k.firstOffset()).put("last_offset", k.lastOffset()).put("records", k.records())
                .put("dead_lettered", k.deadLettered()).put("ingested_by", k.ingestedBy())
                .put("watermark_micros", k.watermarkMicros()));
        ArrayNode views = json.putArray("views");
        for (BatchRecord.ViewWrite v : b.views()) {
            views.addObject().put("view", v.view()).put("view_version", v.viewVersion()).put("rows_written", v.rowsWritten())
                    .put("rows_quarantined", v.rowsQuarantined()).set("profile", v.profile());
        }
        b.files().forEach(json.putArray("files")::add);
        return json.put("rows_written", b.rowsWritten()).put("rows_quarantined", b.rowsQuarantined());
    }

    @Override
    public BatchRecord decode(JsonNode json) {
        checkVersion(json);
        Fields f = new Fields(json, kind());
        List<BatchRecord.ViewWrite> views = new ArrayList<>();
        for (JsonNode v : f.array("views")) {
            Fields view = new Fields(v, "view of a " + kind());
            views.add(new BatchRecord.ViewWrite(view.text("view"), view.integer("view_version"), view.number("rows_written"),
                    view.number("rows_quarantined"), v.has("profile") ? v.get("profile") : Json.object()));
        }
        JsonNode lineage = json.get("lineage");
        Optional<BatchRecord.KafkaSpan> kafka = Optional.empty();
        if (lineage != null && lineage.has("topic")) {
            Fields k = new Fields(lineage, "Kafka lineage of a " + kind());
            kafka = Optional.of(new BatchRecord.KafkaSpan(k.text("topic"), k.integer("partition"), k.number("first_offset"),
                    k.number("last_offset"), k.number("records"), k.numberOr("dead_lettered", 0), k.textOr("ingested_by", ""),
                    k.numberOr("watermark_micros", Long.MIN_VALUE)));
        }
        return new BatchRecord(f.text("batch_id"), f.text("source"), f.integer("source_version"), f.text("content_hash"),
                f.optionalText("path"), f.number("rows_read"), f.instant("ingested_at"), kafka, views, f.texts("files"),
                f.number("rows_written"), f.number("rows_quarantined"));
    }
}
