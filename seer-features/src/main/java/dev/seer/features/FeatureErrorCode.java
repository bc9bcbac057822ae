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
    ENGINE_FAILURE(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    FeatureErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
