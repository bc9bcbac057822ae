package dev.seer.features.stream;

import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;

/** Errors of streaming: the broker, push and Kafka sources. */
enum StreamErrorCode implements ErrorCode {
    BROKER_FAILED(ErrorCategory.UNAVAILABLE),
    BROKER_UNREACHABLE(ErrorCategory.UNAVAILABLE),
    TOPIC_NOT_FOUND(ErrorCategory.NOT_FOUND),
    SOURCE_NOT_STREAMING(ErrorCategory.USER_ERROR),
    RECORD_INVALID(ErrorCategory.USER_ERROR),
    PUSH_FAILED(ErrorCategory.UNAVAILABLE);

    private final ErrorCategory category;

    StreamErrorCode(ErrorCategory category) {
        this.category = category;
    }

    @Override
    public ErrorCategory category() {
        return category;
    }
}
