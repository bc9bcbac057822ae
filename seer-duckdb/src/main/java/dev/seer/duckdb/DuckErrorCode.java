package dev.seer.duckdb;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of the embedded engine. */
public enum DuckErrorCode implements ErrorCode {
    /** DuckDB failed a statement, or could not start: a fault on the server's side, not the caller's. */
    ENGINE_FAILURE(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    DuckErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
