package dev.seer.registry.tracking;

import dev.seer.metadata.MetadataConfig;
import org.junit.jupiter.api.Tag;

/** The tracking store on a real PostgreSQL, in a schema of its own. */
@Tag("integration")
class PostgresTrackingStoreTest extends TrackingStoreContract {
    @Override
    public MetadataConfig config() {
        return postgresConfig();
    }
}
