package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.features.PointInTimeRetrieval.ViewInput;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The full record of every ingested batch a point-in-time join read, view by view: what
 * {@code seer lineage dataset} prints and what a reproduction pins. A stream source makes it long,
 * so a manifest keeps only a summary ({@link DatasetLineage.ViewSummary}) and this is stored as an
 * object of its own, named by its hash like the data.
 */
public record BatchesRead(List<ViewBatches> views) {
    /** No batches: a version made by an import, or recorded before batches were kept. */
    public static final BatchesRead NONE = new BatchesRead(List.of());

    public BatchesRead {
        views = List.copyOf(views);
    }

    /** One view as the join read it: its definition version and the batches read. */
    public record ViewBatches(String view, int version, List<Batch> batches) {
        public ViewBatches {
            requireNonNull(view, "view is null");
            batches = List.copyOf(batches);
        }
    }

    /**
     * One batch read: a file's (its path, possibly empty if none was recorded) or a stream
     * micro-batch's (its offsets), and how many entity rows matched one of its feature rows,
     * when any did.
     */
    public record Batch(String batchId, String source, String contentHash, Instant ingestedAt, String path,
            Optional<Offsets> kafka, OptionalLong matchedRows) {
        public Batch {
            requireNonNull(batchId, "batchId is null");
            requireNonNull(source, "source is null");
            requireNonNull(contentHash, "contentHash is null");
            requireNonNull(ingestedAt, "ingestedAt is null");
            requireNonNull(path, "path is null");
            requireNonNull(kafka, "kafka is null");
            requireNonNull(matchedRows, "matchedRows is null");
        }
    }

    /** The offsets of a stream micro-batch. */
    public record Offsets(String topic, int partition, long firstOffset, long lastOffset) {
        public Offsets {
            requireNonNull(topic, "topic is null");
        }
    }

    /** The stored form (format 1: a list of views), which the lineage answer carries too. */
    public ArrayNode toJson() {
        return Form.encode(this);
    }

    /** Reads a stored form; a newer format or a damaged field is refused, naming it. */
    public static BatchesRead fromJson(JsonNode json) {
        return Form.decode(json);
    }

    /** What a rerun pins: each view's version, and every batch read. */
    record Pinned(Map<String, Integer> views, Set<String> batches) {}

    Pinned pinned() {
        Map<String, Integer> pinnedViews = new LinkedHashMap<>();
        Set<String> batches = new TreeSet<>();
        for (ViewBatches view : views) {
            pinnedViews.put(view.view(), view.version());
            view.batches().forEach(b -> batches.add(b.batchId()));
        }
        return new Pinned(pinnedViews, batches);
    }

    /** The batches {@code inputs} read, each as {@code recorded} holds it. */
    static BatchesRead of(List<ViewInput> inputs, List<BatchRecord> recorded) {
        Map<String, BatchRecord> byId = new HashMap<>();
        recorded.forEach(b -> byId.put(b.batchId(), b));
        List<ViewBatches> views = new ArrayList<>();
        for (ViewInput input : inputs) {
            List<Batch> batches = new ArrayList<>();
            for (String id : input.batches()) {
                BatchRecord record = Lineage.read(byId, id);
                Long matched = input.matchedRows().get(id);
                batches.add(new Batch(id, record.source(), record.contentHash(), record.ingestedAt(),
                        record.path().orElse(""), record.kafka().map(k -> new Offsets(k.topic(), k.partition(),
                        k.firstOffset(), k.lastOffset())), matched == null ? OptionalLong.empty() : OptionalLong.of(matched)));
            }
            views.add(new ViewBatches(input.view(), input.version(), batches));
        }
        return new BatchesRead(views);
    }

    /**
     * Format 1 is the form Seer has always stored: a bare list of views. It has no room for a
     * format field, so a later format will be an object {@code {"format": 2, ...}}; this reader
     * refuses one. The stored object is named by the hash of this form, and a version's
     * fingerprint includes that name, so the form may not change within a format: same field
     * order, a file batch's path always written, a Kafka batch's never.
     */
    private static final class Form {
        private static final String KIND = "record of the batches a dataset read";

        private Form() {}

        static ArrayNode encode(BatchesRead read) {
            ArrayNode views = Json.mapper().createArrayNode();
            for (ViewBatches v : read.views()) {
                ObjectNode view = views.addObject().put("view", v.view()).put("version", v.version());
                ArrayNode batches = view.putArray("batches");
                v.batches().forEach(b -> batches.add(batch(b)));
            }
            return views;
        }

        private static ObjectNode batch(Batch b) {
            ObjectNode batch = Json.object().put("batch_id", b.batchId()).put("source", b.source())
                    .put("content_hash", b.contentHash()).put("ingested_at", b.ingestedAt().toString());
            if (b.kafka().isPresent()) {
                Offsets kafka = b.kafka().get();
                batch.putObject("kafka").put("topic", kafka.topic()).put("partition", kafka.partition())
                        .put("first_offset", kafka.firstOffset()).put("last_offset", kafka.lastOffset());
            } else {
                batch.put("path", b.path());
            }
            b.matchedRows().ifPresent(m -> batch.put("matched_rows", m));
            return batch;
        }

        static BatchesRead decode(JsonNode json) {
            if (json == null || !json.isArray()) {
                JsonNode format = json == null ? null : json.get(Codec.FORMAT);
                throw new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, format != null
                        ? "This Seer reads the " + KIND + " in format 1, not [" + format.asText() + "]: it was written by a"
                                + " newer Seer, or is damaged"
                        : "The " + KIND + " must be a JSON list", Map.of("kind", KIND));
            }
            List<ViewBatches> views = new ArrayList<>();
            for (JsonNode node : json) {
                Fields view = new Fields(node, "view of the " + KIND);
                List<Batch> batches = new ArrayList<>();
                view.array("batches").forEach(b -> batches.add(batch(b)));
                views.add(new ViewBatches(view.text("view"), view.integer("version"), batches));
            }
            return new BatchesRead(views);
        }

        private static Batch batch(JsonNode node) {
            Fields b = new Fields(node, "batch of the " + KIND);
            Optional<Offsets> kafka = Optional.empty();
            if (b.present("kafka")) {
                Fields k = new Fields(b.object("kafka"), "Kafka offsets of the " + KIND);
                kafka = Optional.of(new Offsets(k.text("topic"), k.integer("partition"), k.number("first_offset"),
                        k.number("last_offset")));
            }
            return new Batch(b.text("batch_id"), b.text("source"), b.text("content_hash"), b.instant("ingested_at"),
                    kafka.isPresent() ? "" : b.text("path"), kafka, b.present("matched_rows")
                    ? OptionalLong.of(b.number("matched_rows")) : OptionalLong.empty());
        }
    }
}
