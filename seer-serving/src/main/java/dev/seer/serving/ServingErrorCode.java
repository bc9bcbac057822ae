package dev.seer.serving;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of serving: deployments, the predict path, the prediction log, feedback and online learning. */
public enum ServingErrorCode implements ErrorCode {
    /** A deployment name that names no deployment. */
    UNKNOWN_DEPLOYMENT(ErrorCategory.NOT_FOUND),
    /** A deployment that cannot be: a bad name, split, arm or policy. */
    INVALID_DEPLOYMENT(ErrorCategory.USER_ERROR),
    /** Rows to score that do not fit the model: a missing, extra or mistyped feature. */
    INVALID_INPUT(ErrorCategory.USER_ERROR),
    /** A prediction id that names no logged prediction. */
    UNKNOWN_PREDICTION(ErrorCategory.NOT_FOUND),
    /** Feedback that contradicts feedback already recorded for the same prediction. */
    FEEDBACK_CONFLICT(ErrorCategory.CONFLICT),
    /** The prediction log could not make a batch durable; its predictions are not answered. */
    LOG_FAILURE(ErrorCategory.INTERNAL),
    /** A prediction log file that does not read back as written (a torn or changed record). */
    LOG_CORRUPT(ErrorCategory.INTERNAL),
    /** More work than the server takes: a full queue; the client may retry later. */
    OVERLOADED(ErrorCategory.UNAVAILABLE),
    /** A store a prediction needs (the online store) is unreachable or has lost its contents. */
    STORE_UNAVAILABLE(ErrorCategory.UNAVAILABLE),
    /** A deployment change that names a revision other than the current one: someone changed it meanwhile. */
    DEPLOYMENT_CONFLICT(ErrorCategory.CONFLICT),
    /** The metadata store failed on serving's own tables. */
    STORE_FAILURE(ErrorCategory.INTERNAL),
    /** Feedback that cannot be joined or counted: an outcome of the wrong kind, a time in the future, no source. */
    INVALID_FEEDBACK(ErrorCategory.USER_ERROR),
    /** A setting or value out of its range: a sequential test's alpha, an online learner's rate, a label that is not 0 or 1. */
    INVALID_ARGUMENT(ErrorCategory.USER_ERROR),
    /** More predict requests in flight than the server admits: refused at once (429), before any lookup, scoring or logging. */
    BUSY(ErrorCategory.BUSY),
    /** A model name that names no online model (one made by {@code seer models create-online}). */
    UNKNOWN_ONLINE_MODEL(ErrorCategory.NOT_FOUND),
    /** An online model under a name that is taken: by another online model, or by a registered model. */
    ONLINE_MODEL_EXISTS(ErrorCategory.CONFLICT);

    private final ErrorCategory category;

    ServingErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
