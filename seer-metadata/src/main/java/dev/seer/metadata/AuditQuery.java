package dev.seer.metadata;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A filter over the audit log; empty parts match everything. Results come in sequence order,
 * starting after {@code afterSeq}, at most {@code limit} at a time (paging by cursor).
 */
public record AuditQuery(
        Optional<String> actor,
        Optional<String> action,
        Optional<String> subjectType,
        Optional<String> subjectId,
        Optional<Instant> from,
        Optional<Instant> to,
        long afterSeq,
        int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                    "[limit] must be from 1 to " + MAX_LIMIT + ", got " + limit, Map.of("limit", limit));
        }
        if (afterSeq < 0) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                    "[after] must be at least 0, got " + afterSeq, Map.of("after", afterSeq));
        }
    }

    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, DEFAULT_LIMIT);
    }

    public AuditQuery withActor(String value) {
        return new AuditQuery(Optional.of(value), action, subjectType, subjectId, from, to, afterSeq, limit);
    }

    public AuditQuery withAction(String value) {
        return new AuditQuery(actor, Optional.of(value), subjectType, subjectId, from, to, afterSeq, limit);
    }

    public AuditQuery withSubject(String type, Optional<String> id) {
        return new AuditQuery(actor, action, Optional.of(type), id, from, to, afterSeq, limit);
    }

    public AuditQuery withTimeRange(Optional<Instant> start, Optional<Instant> end) {
        return new AuditQuery(actor, action, subjectType, subjectId, start, end, afterSeq, limit);
    }

    public AuditQuery page(long after, int size) {
        return new AuditQuery(actor, action, subjectType, subjectId, from, to, after, size);
    }
}
