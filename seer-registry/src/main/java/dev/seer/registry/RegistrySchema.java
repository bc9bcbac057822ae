package dev.seer.registry;

import dev.seer.core.store.SqlDatabase;

/**
 * The registry's tables in the metadata store (db/migration/registry): tracking (V1), the model
 * registry (V3), run artifacts (V4) and covering indexes for run search (V5), versioned apart
 * from the metadata store's own. (No V2 was ever released.)
 */
public final class RegistrySchema {
    /** The newest migration this code reads and writes. */
    public static final int VERSION = 5;

    private RegistrySchema() {}

    /** Brings the registry's tables to {@link #VERSION}; cheap when they are. */
    public static void migrate(SqlDatabase database) {
        database.migrate("registry", VERSION);
    }
}
