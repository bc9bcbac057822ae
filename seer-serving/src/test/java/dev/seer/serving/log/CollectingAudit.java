package dev.seer.serving.log;

import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** A hand-written audit sink that keeps what it is given, acknowledged at once. */
final class CollectingAudit implements AuditSink {
    private final List<AuditRecord> records = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Long> record(AuditRecord record) {
        records.add(record);
        return CompletableFuture.completedFuture((long) records.size());
    }

    synchronized List<AuditRecord> records() {
        return List.copyOf(records);
    }

    synchronized List<AuditRecord> batches() {
        return records.stream().filter(r -> r.action().equals(BatchReceipt.ACTION)).toList();
    }

    /** What the wiring would read from the audit log for {@link PredictionLog#verify}. */
    synchronized Map<Long, String> hashes() {
        Map<Long, String> hashes = new TreeMap<>();
        for (AuditRecord r : batches()) {
            BatchReceipt receipt = BatchReceipt.fromJson(r.payload());
            hashes.put(receipt.batch(), receipt.hash());
        }
        return hashes;
    }
}
