package dev.seer.core;

/** Errors of the core: configuration, the home, generic input problems. */
public enum CoreErrorCode implements ErrorCode {
    CONFIG_MALFORMED(ErrorCategory.USER_ERROR),
    CONFIG_UNKNOWN_KEY(ErrorCategory.USER_ERROR),
    CONFIG_INVALID_VALUE(ErrorCategory.USER_ERROR),
    HOME_NOT_INITIALISED(ErrorCategory.NOT_FOUND),
    HOME_ALREADY_INITIALISED(ErrorCategory.CONFLICT),
    HOME_LOCKED(ErrorCategory.CONFLICT),
    HOME_IO(ErrorCategory.INTERNAL),
    INVALID_ARGUMENT(ErrorCategory.USER_ERROR),
    /** A stored value in a format this version cannot read (newer, or damaged). */
    UNSUPPORTED_FORMAT(ErrorCategory.USER_ERROR),
    NOT_FOUND(ErrorCategory.NOT_FOUND);

    private final ErrorCategory category;

    CoreErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
