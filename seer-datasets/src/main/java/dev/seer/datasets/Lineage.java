package dev.seer.datasets;

import dev.seer.core.features.PointInTimeRetrieval.ViewInput;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.datasets.DatasetLineage.FileBatch;
import dev.seer.datasets.DatasetLineage.OffsetSpan;
import dev.seer.datasets.DatasetLineage.ViewSummary;
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
 * source makes long, is an object of its own ({@link BatchesRead}), named by its hash like the data.
 */
final class Lineage {
    private Lineage() {}

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

    static BatchRecord read(Map<String, BatchRecord> byId, String id) {
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
