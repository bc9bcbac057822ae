package dev.seer.registry.search;

import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.testing.PostgresDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/** The run search contract on a real PostgreSQL, in a schema of its own (skipped, outside CI, when it is down). */
@Tag("integration")
class PostgresRunSearchTest extends RunSearchContract {
    @TempDir
    Path home;

    PostgresDatabase postgres;

    @Override
    MetadataDatabase open() {
        postgres = PostgresDatabase.create();
        return MetadataDatabase.open(new MetadataConfig(postgres.url(), postgres.user(), "", 2), home);
    }

    @Override
    void afterClose() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }
}
