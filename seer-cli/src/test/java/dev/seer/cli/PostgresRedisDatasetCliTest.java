package dev.seer.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * The dataset flows of {@link DatasetCliTest}, locally and through the server, with the metadata
 * in PostgreSQL (a schema per test) and the online store in Redis (a key prefix per test).
 * Outside CI a missing service skips with the reason; under CI it fails.
 */
@Tag("integration")
class PostgresRedisDatasetCliTest extends DatasetCliTest {
    @Override
    CliHome open(Path root) {
        return CliHome.onPostgresAndRedis(root);
    }
}
