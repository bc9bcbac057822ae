package dev.seer.metadata;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The catalog contract against the embedded SQLite store. */
class SqliteCatalogTest extends JdbcCatalogContract {
    @Override
    MetadataConfig freshConfig() {
        return new MetadataConfig("", "", "", 4);
    }

    @Override
    String migrationLocation() {
        return "classpath:db/migration/sqlite";
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + home.resolve("metadata.db"));
    }
}
