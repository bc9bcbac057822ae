package dev.seer.models;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/**
 * Errors of model files and their signatures. A model file written by a newer library or a newer
 * Seer is refused with core's {@code UNSUPPORTED_FORMAT}, as every stored form is.
 */
public enum ModelErrorCode implements ErrorCode {
    /** Bytes that are not a model of the declared format, or a model the runtime refuses. */
    INVALID_MODEL(ErrorCategory.USER_ERROR),
    /** A model whose features or output differ from the signature declared for it. */
    SIGNATURE_MISMATCH(ErrorCategory.USER_ERROR),
    /** A signature that cannot be: bad syntax, a duplicate input, a type a model cannot take. */
    INVALID_SIGNATURE(ErrorCategory.USER_ERROR),
    /** A model format id that is not one of {@link ModelFormat}'s. */
    UNKNOWN_FORMAT(ErrorCategory.USER_ERROR),
    /** Rows to predict that do not fit the signature (a row of the wrong width). */
    INVALID_INPUT(ErrorCategory.USER_ERROR),
    /** The runtime failed on a model it had loaded: predicting rows that fit the signature, or releasing it. */
    RUNTIME_FAILURE(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    ModelErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
