package dev.seer.registry.versions;

import dev.seer.metadata.MetadataConfig;
import org.junit.jupiter.api.Tag;

/** The model registry on a real PostgreSQL, in a schema of its own. */
@Tag("integration")
class PostgresModelRegistryTest extends ModelRegistryContract {
    @Override
    public MetadataConfig config() {
        return postgresConfig();
    }
}
