package dev.seer.features;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of the feature store. */
public enum FeatureErrorCode implements ErrorCode {
    DEFINITION_INVALID(ErrorCategory.USER_ERROR),
    DEFINITION_UNREADABLE(ErrorCategory.USER_ERROR),
    EXPRESSION_REJECTED(ErrorCategory.USER_ERROR),
    SOURCE_UNREADABLE(ErrorCategory.USER_ERROR),
    VIEW_NOT_FOUND(ErrorCategory.NOT_FOUND),
    ENGINE_FAILURE(ErrorCategory.INTERNAL),
    /** The online store does not answer (a stopped or unreachable Redis): the message names the store and the operation. */
    ONLINE_STORE_UNREACHABLE(ErrorCategory.UNAVAILABLE),
    /** The online store lost its contents and is being loaded again from the offline store. */
    ONLINE_STORE_REBUILDING(ErrorCategory.UNAVAILABLE),
    /**
     * A rebuild of the online store cannot write the window aggregates again: no stream aggregation of them
     * runs in this process, or it did not answer in time. The store stays REBUILDING and the rebuild is retried.
     */
    WINDOW_STATES_UNAVAILABLE(ErrorCategory.UNAVAILABLE);

    private final ErrorCategory category;

    FeatureErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
