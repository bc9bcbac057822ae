package dev.seer.training;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of training, evaluation and tuning. Bad input is found before any training starts. */
public enum TrainingErrorCode implements ErrorCode {
    /** A training spec that cannot run: bad YAML, an unknown key, algorithm or parameter, an empty or reversed range. */
    INVALID_SPEC(ErrorCategory.USER_ERROR),
    /** Data that cannot be trained on: a missing or constant label, a label that does not fit the task, an empty split. */
    INVALID_DATA(ErrorCategory.USER_ERROR),
    /** Arguments a caller passed that cannot be: a metric of another task, arrays of different lengths. */
    INVALID_ARGUMENT(ErrorCategory.USER_ERROR),
    /** A study or run that is not in a state for what was asked (resuming a finished study). */
    INVALID_STATE(ErrorCategory.USER_ERROR),
    /** The training library failed on data that passed the checks. */
    TRAINING_FAILED(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    TrainingErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
