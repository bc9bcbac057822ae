package dev.seer.metadata;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded SQLite store, tampering with the file directly. */
class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path home;

    @Override
    MetadataConfig metadataConfig() {
        return new MetadataConfig("", "", "", 4);
    }

    @Override
    Path tempHome() {
        return home;
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + home.resolve("metadata.db"));
    }
}
