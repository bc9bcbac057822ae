package dev.seer.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.Catalog.Term;
import dev.seer.core.catalog.CatalogEntry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog contract against a metadata database, with what only a database can show. */
abstract class JdbcCatalogContract extends CatalogContract {
    @TempDir
    Path home;

    MetadataDatabase database;
    AuditLog audit;

    /** A fresh, empty database of the backend: its URL (blank for SQLite in {@link #home}). */
    abstract MetadataConfig freshConfig() throws Exception;

    abstract String migrationLocation();

    abstract Connection rawConnection() throws SQLException;

    @Override
    Catalog open() throws Exception {
        database = MetadataDatabase.open(freshConfig(), home);
        audit = new AuditLog(database, clock, new AuditConfig(256, 10_000));
        return new JdbcCatalog(database, audit, clock);
    }

    @Override
    void close() throws Exception {
        if (audit != null) {
            audit.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anEntryWhoseTermsCannotBeFiledIsNotRecorded() throws SQLException {
        try (Connection c = rawConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE catalog_term"); // a store that fails between the entry and its terms
        }
        assertThatThrownBy(() -> catalog.create("ingest_batch", "b1", Json.object(), List.of(new Term("p:t/0", 1)), "t"))
                .isInstanceOf(SeerException.class).hasMessageContaining("Recording ingest_batch [b1]");
        assertThat(catalog.latest("ingest_batch", "b1")).isEmpty();
        assertThat(audit.query(AuditQuery.all().withAction("ingest_batch.recorded")).entries()).isEmpty();
    }

    /** Batches recorded before terms existed are filed by the migration that adds them, as Ingestor files new ones. */
    @Test
    void theMigrationFilesBatchesRecordedBefore() throws Exception {
        close();
        MetadataConfig config = freshConfig();
        Path old = home.resolve("old");
        java.nio.file.Files.createDirectories(old);
        String url = config.url().isBlank() ? "jdbc:sqlite:" + old.resolve("metadata.db") : config.url();
        Flyway.configure().dataSource(url, config.username().isBlank() ? null : config.username(), null)
                .locations(migrationLocation()).target("2").load().migrate();
        try (Connection c = java.sql.DriverManager.getConnection(url, config.username().isBlank() ? null : config.username(),
                null); PreparedStatement insert = c.prepareStatement("INSERT INTO catalog_entry (kind, name, version, body,"
                        + " body_hash, created_micros, created_by) VALUES ('ingest_batch', ?, 1, ?, 'h', 0, 't')")) {
            insert.setString(1, "clicks@events/0/0");
            insert.setString(2, "{\"source\":\"clicks\",\"lineage\":{\"topic\":\"events\",\"partition\":0,\"first_offset\":0,"
                    + "\"last_offset\":9},\"views\":[{\"view\":\"spend\"},{\"view\":\"counts\"}]}");
            insert.executeUpdate();
            insert.setString(1, "clicks@events/0/10");
            insert.setString(2, "{\"source\":\"clicks\",\"lineage\":{\"topic\":\"events\",\"partition\":0,\"first_offset\":10,"
                    + "\"last_offset\":4000000000},\"views\":[{\"view\":\"spend\"}]}");
            insert.executeUpdate();
            insert.setString(1, "orders@abc");
            insert.setString(2, "{\"source\":\"orders\",\"views\":[{\"view\":\"totals\"}]}");
            insert.executeUpdate();
        }
        database = MetadataDatabase.open(new MetadataConfig(url, config.username(), "", 2), old);
        audit = new AuditLog(database, clock, new AuditConfig(256, 10_000));
        catalog = new JdbcCatalog(database, audit, clock);
        assertThat(catalog.filed("ingest_batch", "partition:clicks/events/0", 10)).extracting(CatalogEntry::name)
                .containsExactly("clicks@events/0/10", "clicks@events/0/0");
        assertThat(catalog.filed("ingest_batch", "view:spend", 10)).extracting(CatalogEntry::name)
                .containsExactly("clicks@events/0/0", "clicks@events/0/10");
        assertThat(catalog.filed("ingest_batch", "view:counts", 10)).extracting(CatalogEntry::name)
                .containsExactly("clicks@events/0/0");
        assertThat(catalog.filed("ingest_batch", "view:totals", 10)).extracting(CatalogEntry::name)
                .containsExactly("orders@abc");
        assertThat(catalog.filed("ingest_batch", "partition:orders/null/null", 10)).isEmpty();
    }
}
