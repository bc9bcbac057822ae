package dev.seer.features.ingest;

import java.time.Duration;
import java.util.List;

/**
 * What one ingestion did. {@code alreadyIngested} is true when the same content had been
 * ingested before, in which case nothing was added and {@code batchId} names the earlier batch.
 */
public record IngestReport(String batchId, String source, String contentHash, long rowsRead, long rowsWritten,
        long rowsQuarantined, List<String> views, Duration took, boolean alreadyIngested) {
    public IngestReport {
        views = List.copyOf(views);
    }
}
