package dev.seer.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.features.PointInTimeRetrieval.ViewInput;
import dev.seer.core.provenance.BatchRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
        Map<String, BatchRecord> byId = new HashMap<>();
        recorded.forEach(b -> byId.put(b.batchId(), b));
        ArrayNode views = Json.mapper().createArrayNode();
        for (ViewInput input : inputs) {
            ObjectNode view = views.addObject().put("view", input.view()).put("version", input.version());
            ArrayNode batches = view.putArray("batches");
            for (String id : input.batches()) {
                BatchRecord record = byId.get(id);
                if (record == null) {
                    throw new IllegalStateException("The join read batch [" + id + "], which is not recorded"); // the retrieval listed it from the same records
                }
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

    /** The manifest's summary of {@link #batches}: per view, counts, files by hash, Kafka offset spans. */
    static ArrayNode summary(ArrayNode views) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (JsonNode view : views) {
            ObjectNode summary = out.addObject().put("view", view.path("view").asText())
                    .put("version", view.path("version").asInt()).put("batches", view.path("batches").size());
            Map<String, ObjectNode> spans = new TreeMap<>();
            ArrayNode files = summary.putArray("files");
            long matched = 0;
            for (JsonNode batch : view.path("batches")) {
                matched += batch.path("matched_rows").asLong();
                JsonNode kafka = batch.path("kafka");
                if (kafka.isObject()) {
                    String at = kafka.path("topic").asText() + "/" + kafka.path("partition").asInt();
                    ObjectNode span = spans.computeIfAbsent(at, k -> Json.object().put("topic", kafka.path("topic").asText())
                            .put("partition", kafka.path("partition").asInt()).put("first_offset", Long.MAX_VALUE)
                            .put("last_offset", -1L).put("batches", 0));
                    span.put("first_offset", Math.min(span.path("first_offset").asLong(), kafka.path("first_offset").asLong()));
                    span.put("last_offset", Math.max(span.path("last_offset").asLong(), kafka.path("last_offset").asLong()));
                    span.put("batches", span.path("batches").asInt() + 1);
                } else {
                    files.addObject().put("batch_id", batch.path("batch_id").asText()).put("path", batch.path("path").asText())
                            .put("content_hash", batch.path("content_hash").asText());
                }
            }
            summary.put("matched_rows", matched);
            ArrayNode kafka = summary.putArray("kafka");
            spans.values().forEach(kafka::add);
        }
        return out;
    }

    /** Every view's join keys, in order, once each. */
    static List<String> joinKeys(List<ViewInput> inputs) {
        Set<String> keys = new LinkedHashSet<>();
        inputs.forEach(i -> keys.addAll(i.joinKeys()));
        return new ArrayList<>(keys);
    }
}
