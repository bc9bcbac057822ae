package dev.seer.core.audit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;

/**
 * What a component asks the audit log to record: who did what to which subject, with details.
 * The log adds the sequence number, time and hashes.
 */
public record AuditRecord(String actor, String action, String subjectType, String subjectId, JsonNode payload) {
    public AuditRecord {
        requireNonNull(actor, "actor is null");
        requireNonNull(action, "action is null");
        requireNonNull(subjectType, "subjectType is null");
        requireNonNull(subjectId, "subjectId is null");
        payload = payload == null ? Json.object() : payload;
    }
}
