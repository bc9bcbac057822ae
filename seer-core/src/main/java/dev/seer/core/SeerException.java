package dev.seer.core;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one exception type of Seer. It carries an {@link ErrorCode} (and through it a category)
 * and structured details, so that the REST layer and the CLI can render the same error the same
 * way. Messages put values in brackets: {@code Config key [server.port] ...}.
 */
public final class SeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;
    private final transient Map<String, Object> details;

    public SeerException(ErrorCode errorCode, String message) {
        this(errorCode, message, Map.of(), null);
    }

    public SeerException(ErrorCode errorCode, String message, Map<String, ?> details) {
        this(errorCode, message, details, null);
    }

    public SeerException(ErrorCode errorCode, String message, Map<String, ?> details, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(details, "details is null")));
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public ErrorCategory category() {
        return errorCode.category();
    }

    public Map<String, Object> details() {
        return details;
    }
}
