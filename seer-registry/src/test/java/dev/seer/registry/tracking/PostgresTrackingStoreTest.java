package dev.seer.registry.tracking;

import dev.seer.metadata.MetadataConfig;
import dev.seer.testing.PostgresDatabase;
import org.junit.jupiter.api.Tag;

/** The tracking store on a real PostgreSQL, in a schema of its own. */
@Tag("integration")
class PostgresTrackingStoreTest extends TrackingStoreContract {
    PostgresDatabase postgres;

    @Override
    public MetadataConfig config() {
        postgres = PostgresDatabase.create();
        return new MetadataConfig(postgres.url(), postgres.user(), "", 4);
    }

    @Override
    public void dropBackend() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
