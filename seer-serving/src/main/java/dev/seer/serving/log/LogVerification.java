package dev.seer.serving.log;

import java.util.Optional;

/**
 * What {@link PredictionLog#verify} found: every batch re-read, its hash recomputed, the chain
 * followed and compared with the hashes the audit log recorded; the first problem in batch order.
 */
public record LogVerification(long batchesChecked, long predictionsChecked, Optional<Problem> problem) {
    public enum Kind {
        /** The batch's bytes hash to something else than the audit log recorded: a prediction was changed. */
        CHANGED,
        /** The audit log recorded a batch the log no longer has, or the log skips a batch number: removed. */
        MISSING,
        /** The log has a batch the audit log never recorded (or repeats a number). */
        EXTRA,
        /** A batch does not name its predecessor's hash. */
        BROKEN_CHAIN,
        /** A frame fails its CRC or does not parse. */
        CORRUPT
    }

    /** @param segment the segment file (name) and offset where the problem is, when it is in a file */
    public record Problem(Kind kind, long batch, String segment, long offset, String message) {}

    public boolean ok() {
        return problem.isEmpty();
    }
}
