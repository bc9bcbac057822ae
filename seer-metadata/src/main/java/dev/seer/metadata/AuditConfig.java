package dev.seer.metadata;

import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;

/** Group commit of the audit log: the {@code audit} section. */
public record AuditConfig(int batchMaxEntries, int queueCapacity) {
    public static final ConfigKey BATCH_MAX_ENTRIES = new ConfigKey("audit.batch-max-entries", ConfigType.POSITIVE_INT,
            1000, "Most audit entries committed in one transaction (group commit).");
    public static final ConfigKey QUEUE_CAPACITY = new ConfigKey("audit.queue-capacity", ConfigType.POSITIVE_INT,
            100_000, "Most audit entries waiting to be committed; appenders wait when it is full.");
    public static final ConfigSection<AuditConfig> SECTION = ConfigSection.of("audit",
            v -> new AuditConfig(v.number(BATCH_MAX_ENTRIES), v.number(QUEUE_CAPACITY)), BATCH_MAX_ENTRIES, QUEUE_CAPACITY);
}
