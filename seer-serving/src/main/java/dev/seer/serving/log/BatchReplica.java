package dev.seer.serving.log;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A second copy of the prediction log's batches somewhere else (a Kafka topic written with
 * {@code acks=all}): the port through which {@link PredictionLog} replicates, so that serving
 * stays free of any client library. The log hands every batch over in batch order, right after
 * writing it locally, on its writer thread: {@link #replicate} must not wait for the
 * acknowledgement, and the future it returns must complete, failed when the copy did not happen
 * within the replica's own timeout.
 */
public interface BatchReplica extends AutoCloseable {
    /**
     * Starts copying one batch.
     *
     * @param batch  the batch's number (1, 2, ...)
     * @param bytes  the batch's whole bytes as the local log holds them (header and records)
     * @param sha256 the SHA-256 of {@code bytes} in hex: the hash the audit log records for the batch
     * @return completes once the copy is acknowledged as durable; failed if it is not
     */
    CompletableFuture<Void> replicate(long batch, byte[] bytes, String sha256);

    /** The number of the last batch the replica holds, empty when it holds none: where replication resumes at open. */
    OptionalLong lastReplicated();

    /** Waits for the copies under way, then releases the replica's resources. */
    @Override
    void close();
}
