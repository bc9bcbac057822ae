package dev.seer.registry;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of experiment tracking and the model registry. */
public enum RegistryErrorCode implements ErrorCode {
    /** An experiment, run, registered model, version or alias that does not exist. */
    NOT_FOUND(ErrorCategory.NOT_FOUND),
    /** A name or id taken already (an experiment name, a registered model). */
    ALREADY_EXISTS(ErrorCategory.CONFLICT),
    /** A request that cannot be met as given: a bad name, value, filter or order. */
    INVALID_REQUEST(ErrorCategory.USER_ERROR),
    /** A change the state does not allow: logging to a finished run, moving a protected alias unchecked. */
    INVALID_STATE(ErrorCategory.CONFLICT),
    /** A stored artifact whose content no longer matches its hash, or that is missing. */
    CORRUPTED(ErrorCategory.INTERNAL),
    /** The store failed (a database error); nothing was changed. */
    STORAGE_FAILURE(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    RegistryErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
