package dev.seer.registry;

import dev.seer.core.store.SqlDatabase;

/**
 * The registry's tables in the metadata store (db/migration/registry): tracking (V1), search
 * indexes (V2) and the model registry (V3), versioned apart from the metadata store's own.
 */
public final class RegistrySchema {
    /** The newest migration this code reads and writes. */
    public static final int VERSION = 3;

    private RegistrySchema() {}

    /** Brings the registry's tables to {@link #VERSION}; cheap when they are. */
    public static void migrate(SqlDatabase database) {
        database.migrate("registry", VERSION);
    }
}
