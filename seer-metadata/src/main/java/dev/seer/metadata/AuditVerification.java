package dev.seer.metadata;

import java.util.Optional;

/**
 * The outcome of checking the audit log: how many entries were checked, the tree head they give,
 * and the first problem found, if any. A problem names the entry it concerns.
 */
public record AuditVerification(long entriesChecked, TreeHead head, Optional<Problem> problem) {
    /** What was done to the log, as far as the hashes tell. */
    public enum Kind {
        CHANGED,
        REMOVED,
        INSERTED,
        REORDERED,
        /** The rows no longer match a tree head (stored checkpoint or exported file). */
        HEAD_MISMATCH
    }

    public record Problem(Kind kind, long seq, String message) {}

    public boolean ok() {
        return problem.isEmpty();
    }
}
