package dev.seer.datasets;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of versioned datasets. */
public enum DatasetErrorCode implements ErrorCode {
    /** A dataset name or version that does not exist. */
    DATASET_NOT_FOUND(ErrorCategory.NOT_FOUND),
    /** A request that cannot be met as given: a bad name, split, key or option. */
    INVALID_REQUEST(ErrorCategory.USER_ERROR),
    /** An input file that is missing, unreadable, or lacks what the request needs. */
    INPUT_UNREADABLE(ErrorCategory.USER_ERROR),
    /** A stored object whose content no longer matches its hash, or that is missing. */
    CORRUPTED(ErrorCategory.INTERNAL),
    STORAGE_FAILURE(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    DatasetErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
