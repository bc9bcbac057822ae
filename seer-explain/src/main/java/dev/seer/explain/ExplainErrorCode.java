package dev.seer.explain;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of explanations. Input that cannot be explained is refused naming the row and the feature. */
public enum ExplainErrorCode implements ErrorCode {
    /** A row that does not fit the model: the wrong number of values, a feature it does not take. */
    INVALID_ROW(ErrorCategory.USER_ERROR),
    /** A request that cannot be: contradictory constraints, a background of the wrong shape, an unknown option. */
    INVALID_ARGUMENT(ErrorCategory.USER_ERROR),
    /** A model kind an explainer does not take. */
    UNSUPPORTED_MODEL(ErrorCategory.USER_ERROR),
    /** The work was interrupted (a shutdown, a cancelled request). */
    INTERRUPTED(ErrorCategory.UNAVAILABLE);

    private final ErrorCategory category;

    ExplainErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
