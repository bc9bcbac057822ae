package dev.seer.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.features.PointInTimeRetrieval.ViewInput;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.provenance.Fields;
import dev.seer.datasets.DatasetLineage.FileBatch;
import dev.seer.datasets.DatasetLineage.OffsetSpan;
import dev.seer.datasets.DatasetLineage.ViewSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lineage of a dataset made by a point-in-time join: per view, its definition version and
 * every ingested batch read. The manifest keeps a summary (per source: file batches by content
 * hash; Kafka batches as offset spans per topic and partition); the full list, which a stream
 * source makes long, is an object of its own, named by its hash like the data.
 */
final class Lineage {
    private Lineage() {}

    /** The full record of every batch read, per view: what {@code seer lineage} prints and a reproduction pins. */
    static ArrayNode batches(List<ViewInput> inputs, List<BatchRecord> recorded) {
        Map<String, BatchRecord> byId = byId(recorded);
        ArrayNode views = Json.mapper().createArrayNode();
        for (ViewInput input : inputs) {
            ObjectNode view = views.addObject().put("view", input.view()).put("version", input.version());
            ArrayNode batches = view.putArray("batches");
            for (String id : input.batches()) {
                BatchRecord record = read(byId, id);
                ObjectNode batch = batches.addObject().put("batch_id", id).put("source", record.source())
                        .put("content_hash", record.contentHash()).put("ingested_at", record.ingestedAt().toString());
                if (record.kafka().isPresent()) {
                    BatchRecord.KafkaSpan kafka = record.kafka().get();
                    batch.putObject("kafka").put("topic", kafka.topic()).put("partition", kafka.partition())
                            .put("first_offset", kafka.firstOffset()).put("last_offset", kafka.lastOffset());
                } else {
                    batch.put("path", record.path().orElse(""));
                }
                if (input.matchedRows().containsKey(id)) {
                    batch.put("matched_rows", input.matchedRows().get(id));
                }
            }
        }
        return views;
    }

    /** What a rerun pins, read back from {@link #batches}: each view's version, and every batch read. */
    record Pinned(Map<String, Integer> views, Set<String> batches) {}

    static Pinned pinned(JsonNode batchesRead) {
        Map<String, Integer> views = new LinkedHashMap<>();
        Set<String> batches = new TreeSet<>();
        for (JsonNode node : batchesRead) {
            Fields view = new Fields(node, "view of a dataset's batches");
            views.put(view.text("view"), view.integer("version"));
            view.array("batches").forEach(b -> batches.add(new Fields(b, "batch of a dataset's batches").text("batch_id")));
        }
        return new Pinned(views, batches);
    }

    /** The manifest's summary of {@link #batches}: per view, counts, files by hash, Kafka offset spans. */
    static List<ViewSummary> summary(List<ViewInput> inputs, List<BatchRecord> recorded) {
        Map<String, BatchRecord> byId = byId(recorded);
        List<ViewSummary> out = new ArrayList<>();
        for (ViewInput input : inputs) {
            Map<String, OffsetSpan> spans = new TreeMap<>(); // by topic/partition, as the summary lists them
            List<FileBatch> files = new ArrayList<>();
            long matched = 0;
            for (String id : input.batches()) {
                BatchRecord record = read(byId, id);
                matched += input.matchedRows().getOrDefault(id, 0L);
                if (record.kafka().isPresent()) {
                    BatchRecord.KafkaSpan kafka = record.kafka().get();
                    spans.merge(kafka.topic() + "/" + kafka.partition(), new OffsetSpan(kafka.topic(), kafka.partition(),
                            kafka.firstOffset(), kafka.lastOffset(), 1), OffsetSpan::plus);
                } else {
                    files.add(new FileBatch(id, record.path().orElse(""), record.contentHash()));
                }
            }
            out.add(new ViewSummary(input.view(), input.version(), input.batches().size(), files, matched,
                    List.copyOf(spans.values())));
        }
        return out;
    }

    private static Map<String, BatchRecord> byId(List<BatchRecord> recorded) {
        Map<String, BatchRecord> byId = new HashMap<>();
        recorded.forEach(b -> byId.put(b.batchId(), b));
        return byId;
    }

    private static BatchRecord read(Map<String, BatchRecord> byId, String id) {
        BatchRecord record = byId.get(id);
        if (record == null) {
            throw new IllegalStateException("The join read batch [" + id + "], which is not recorded"); // the retrieval listed it from the same records
        }
        return record;
    }

    /** Every view's join keys, in order, once each. */
    static List<String> joinKeys(List<ViewInput> inputs) {
        Set<String> keys = new LinkedHashSet<>();
        inputs.forEach(i -> keys.addAll(i.joinKeys()));
        return new ArrayList<>(keys);
    }
}
