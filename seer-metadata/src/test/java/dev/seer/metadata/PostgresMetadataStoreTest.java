package dev.seer.metadata;

import dev.seer.testing.PostgresDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/** The same contract against a real PostgreSQL, in a schema of its own. */
@Tag("integration")
class PostgresMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path home;

    PostgresDatabase postgres;

    @Override
    MetadataConfig metadataConfig() {
        postgres = PostgresDatabase.create();
        return new MetadataConfig(postgres.url(), postgres.user(), "", 4);
    }

    @Override
    Path tempHome() {
        return home;
    }

    @Override
    Connection rawConnection() throws SQLException {
        return postgres.connect();
    }

    @Override
    void afterClose() throws SQLException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
