package dev.seer.registry.versions;

import dev.seer.metadata.MetadataConfig;
import dev.seer.testing.PostgresDatabase;
import org.junit.jupiter.api.Tag;

/** The model registry on a real PostgreSQL, in a schema of its own. */
@Tag("integration")
class PostgresModelRegistryTest extends ModelRegistryContract {
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
