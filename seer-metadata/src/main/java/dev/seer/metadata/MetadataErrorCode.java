package dev.seer.metadata;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of the metadata and audit store. */
public enum MetadataErrorCode implements ErrorCode {
    STORE_UNAVAILABLE(ErrorCategory.UNAVAILABLE),
    STORE_FAILURE(ErrorCategory.INTERNAL),
    MIGRATION_FAILED(ErrorCategory.INTERNAL),
    UNSUPPORTED_URL(ErrorCategory.USER_ERROR),
    AUDIT_CLOSED(ErrorCategory.UNAVAILABLE),
    AUDIT_ENTRY_NOT_FOUND(ErrorCategory.NOT_FOUND),
    AUDIT_LOG_TAMPERED(ErrorCategory.CONFLICT),
    TREE_HEAD_INVALID(ErrorCategory.USER_ERROR),
    TOKEN_MISSING(ErrorCategory.UNAUTHORISED),
    TOKEN_INVALID(ErrorCategory.UNAUTHORISED),
    TOKEN_REVOKED(ErrorCategory.UNAUTHORISED),
    TOKEN_NOT_FOUND(ErrorCategory.NOT_FOUND),
    TOKEN_ALREADY_REVOKED(ErrorCategory.CONFLICT),
    TOKEN_NAME_TAKEN(ErrorCategory.CONFLICT);

    private final ErrorCategory category;

    MetadataErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
