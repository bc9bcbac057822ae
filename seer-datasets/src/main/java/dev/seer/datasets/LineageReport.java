package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Where a dataset version's rows came from: the version, its lineage as its manifest records it,
 * and the full record of every ingested batch its join read (source, content hash or Kafka topic,
 * partition and offsets). What {@code seer lineage dataset} shows.
 */
public record LineageReport(DatasetRef dataset, String contentHash, long rows, Instant created, String creator,
        DatasetLineage lineage, BatchesRead batches) {
    public LineageReport {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(contentHash, "contentHash is null");
        requireNonNull(created, "created is null");
        requireNonNull(creator, "creator is null");
        requireNonNull(lineage, "lineage is null");
        requireNonNull(batches, "batches is null");
    }
}
