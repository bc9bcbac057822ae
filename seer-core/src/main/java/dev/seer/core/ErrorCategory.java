package dev.seer.core;

/**
 * What kind of failure an error is. The REST layer maps a category to an HTTP status and the CLI
 * maps it to an exit code, so callers branch on the category, never on message text.
 */
public enum ErrorCategory {
    USER_ERROR(400, 2),
    NOT_FOUND(404, 3),
    CONFLICT(409, 4),
    UNAUTHORISED(401, 5),
    FORBIDDEN(403, 6),
    UNAVAILABLE(503, 7),
    /** A request larger than a documented limit; the CLI treats it as a user error. */
    TOO_LARGE(413, 2),
    /** Past the capacity the server admits at once (429, with Retry-After): nothing was done, try again shortly. */
    BUSY(429, 7),
    INTERNAL(500, 1);

    private final int httpStatus;
    private final int exitCode;

    ErrorCategory(int httpStatus, int exitCode) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }
}
