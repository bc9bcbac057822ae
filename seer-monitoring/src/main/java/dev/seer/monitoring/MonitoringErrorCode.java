package dev.seer.monitoring;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/**
 * Errors of monitoring: profiles, drift tests, performance estimates, detectors, alerts. Codes are
 * only ever appended, so a code's meaning never changes between versions.
 */
public enum MonitoringErrorCode implements ErrorCode {
    /** A setting or value out of its range: a threshold, a window, a sketch's size, a detector's confidence. */
    INVALID_ARGUMENT(ErrorCategory.USER_ERROR),
    /** Samples, profiles or a reference that cannot be compared: another schema, another type of column. */
    INCOMPATIBLE(ErrorCategory.USER_ERROR),
    /** Stored monitoring state (a serialised profile or sketch) that does not read back as written. */
    CORRUPT_STATE(ErrorCategory.INTERNAL),
    /** A column, feature or figure a request names that the profile, reference or monitor does not have. */
    UNKNOWN_NAME(ErrorCategory.NOT_FOUND),
    /** The metadata store failed while monitoring state (windows, references, rules, figures) was read or written. */
    STORE_FAILURE(ErrorCategory.INTERNAL),
    /** An alert rule with that id exists already. */
    RULE_EXISTS(ErrorCategory.CONFLICT);

    private final ErrorCategory category;

    MonitoringErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
