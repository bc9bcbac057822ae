package dev.seer.core;

/**
 * A stable, machine-readable error code. Each module has its own enum implementing this, so the
 * codes of one component are listed in one place.
 */
public interface ErrorCode {
    /** The constant's name; enums provide it. */
    String name();

    /** The code as it appears in JSON errors and logs, e.g. {@code CONFIG_UNKNOWN_KEY}. */
    default String code() {
        return name();
    }

    ErrorCategory category();
}
