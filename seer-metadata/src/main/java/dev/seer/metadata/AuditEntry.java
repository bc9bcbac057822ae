package dev.seer.metadata;

import java.time.Instant;

/**
 * One entry of the audit log as stored: its place in the chain ({@code seq}, from 1), time,
 * who did what to which subject, the canonical JSON payload, and the hashes that chain it.
 * Hashes are lower-case hex.
 */
public record AuditEntry(
        long seq,
        Instant time,
        String actor,
        String action,
        String subjectType,
        String subjectId,
        String payload,
        String prevHash,
        String hash) {}
