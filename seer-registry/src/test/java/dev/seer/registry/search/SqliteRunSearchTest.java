package dev.seer.registry.search;

import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The run search contract on the embedded SQLite metadata store in a temporary home. */
class SqliteRunSearchTest extends RunSearchContract {
    @TempDir
    Path home;

    @Override
    MetadataDatabase open() {
        return MetadataDatabase.open(new MetadataConfig("", "", "", 2), home);
    }
}
