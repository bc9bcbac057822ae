package dev.seer.core.audit;

import java.util.concurrent.CompletableFuture;

/**
 * Where every component records its state changes. The future completes once the entry is
 * durable; callers that must not acknowledge before that wait on it.
 */
@FunctionalInterface
public interface AuditSink {
    /** @return the sequence number the entry was given, once it is durable */
    CompletableFuture<Long> record(AuditRecord record);
}
