package dev.seer.registry.versions;

import dev.seer.metadata.MetadataConfig;

/** The model registry on the embedded SQLite metadata store. */
class SqliteModelRegistryTest extends ModelRegistryContract {
    @Override
    public MetadataConfig config() {
        return new MetadataConfig("", "", "", 4);
    }
}
