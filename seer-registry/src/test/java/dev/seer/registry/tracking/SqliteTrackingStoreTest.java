package dev.seer.registry.tracking;

import dev.seer.metadata.MetadataConfig;

/** The tracking store on the embedded SQLite metadata store. */
class SqliteTrackingStoreTest extends TrackingStoreContract {
    @Override
    public MetadataConfig config() {
        return new MetadataConfig("", "", "", 4);
    }
}
