package dev.seer.server;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of the HTTP layer. */
public enum ServerErrorCode implements ErrorCode {
    ROUTE_NOT_FOUND(ErrorCategory.NOT_FOUND),
    ROUTE_HAS_NO_RULE(ErrorCategory.FORBIDDEN),
    ROLE_NOT_ALLOWED(ErrorCategory.FORBIDDEN),
    BAD_REQUEST(ErrorCategory.USER_ERROR),
    PATH_NOT_ALLOWED(ErrorCategory.FORBIDDEN),
    UPLOAD_INVALID(ErrorCategory.USER_ERROR),
    REQUEST_TOO_LARGE(ErrorCategory.TOO_LARGE),
    SERVER_UNREACHABLE(ErrorCategory.UNAVAILABLE),
    INTERNAL(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    ServerErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
