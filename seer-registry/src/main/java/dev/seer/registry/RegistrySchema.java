package dev.seer.registry;

import dev.seer.core.store.SqlDatabase;

/**
 * The registry's tables in the metadata store (db/migration/registry): tracking (V1), search
 * indexes (V2), the model registry (V3) and run artifacts (V4), versioned apart from the
 * metadata store's own.
 */
public final class RegistrySchema {
    /** The newest migration this code reads and writes. */
    public static final int VERSION = 4;

    private RegistrySchema() {}

    /** Brings the registry's tables to {@link #VERSION}; cheap when they are. */
    public static void migrate(SqlDatabase database) {
        database.migrate("registry", VERSION);
    }
}
