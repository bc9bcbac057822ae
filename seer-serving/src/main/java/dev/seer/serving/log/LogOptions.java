package dev.seer.serving.log;

/**
 * How the prediction log sizes its files and bounds its memory.
 *
 * @param segmentBytes    a segment is sealed and a new one started when the next batch would pass this size
 * @param queueCapacity   appends waiting for the writer at most; past it an append fails at once with OVERLOADED
 * @param maxQueuedBytes  encoded bytes waiting for the writer at most, the same way (memory stays bounded
 *                        whatever the size of the appends)
 * @param maxBatchBytes   bytes one group commit writes at most; also the largest single append
 */
public record LogOptions(long segmentBytes, int queueCapacity, long maxQueuedBytes, int maxBatchBytes) {
    public static final LogOptions DEFAULT = new LogOptions(64L << 20, 10_000, 64L << 20, 4 << 20);

    public LogOptions {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096, not " + segmentBytes);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, not " + queueCapacity);
        }
        if (maxBatchBytes < 1024 || maxQueuedBytes < maxBatchBytes) {
            throw new IllegalArgumentException("maxBatchBytes (" + maxBatchBytes + ") must be at least 1024 and at most maxQueuedBytes ("
                    + maxQueuedBytes + ")");
        }
    }

    public LogOptions withSegmentBytes(long bytes) {
        return new LogOptions(bytes, queueCapacity, maxQueuedBytes, maxBatchBytes);
    }

    public LogOptions withQueue(int capacity, long bytes) {
        return new LogOptions(segmentBytes, capacity, bytes, Math.toIntExact(Math.min(maxBatchBytes, bytes)));
    }
}
