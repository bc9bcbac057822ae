package dev.seer.metadata;

import java.util.List;
import java.util.OptionalLong;

/** One page of query results; {@code nextAfter} is the cursor of the next page, empty on the last. */
public record AuditPage(List<AuditEntry> entries, OptionalLong nextAfter) {
    public AuditPage {
        entries = List.copyOf(entries);
    }
}
