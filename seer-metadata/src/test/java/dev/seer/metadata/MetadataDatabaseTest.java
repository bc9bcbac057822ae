package dev.seer.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataDatabaseTest {
    @TempDir
    Path home;

    @Test
    void theSchemaVersionConstantIsTheLatestMigrationOfEveryDialect() throws IOException {
        for (String dialect : new String[] {"sqlite", "postgresql"}) {
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration", dialect))) {
                int latest = files.map(f -> Pattern.compile("V(\\d+)__.*\\.sql").matcher(f.getFileName().toString()))
                        .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
                assertThat(latest).as(dialect).isEqualTo(MetadataDatabase.SCHEMA_VERSION);
            }
        }
    }

    @Test
    void reopeningAnUpToDateStoreKeepsItsDataAndAFailedMigrationIsRetried() throws Exception {
        MetadataConfig config = new MetadataConfig("", "", "", 2);
        try (MetadataDatabase database = MetadataDatabase.open(config, home);
                Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO api_token (id, name, role, token_hash, created_micros, created_by)"
                    + " VALUES ('t', 'n', 'admin', x'00', 0, 'x')");
        }
        try (MetadataDatabase database = MetadataDatabase.open(config, home);
                Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("SELECT count(*) FROM api_token")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            s.executeUpdate("UPDATE flyway_schema_history SET success = 0");
        }
        // A history with a failed migration is handed to Flyway, which refuses to go on.
        assertThatThrownBy(() -> MetadataDatabase.open(config, home)).isInstanceOf(SeerException.class)
                .hasMessageContaining("Migrating the metadata store");
        Path other = Files.createDirectories(home.resolve("other"));
        try (MetadataDatabase database = MetadataDatabase.open(config, other)) {
            assertThat(database.describe()).startsWith("sqlite jdbc:sqlite:");
        }
        assertThatThrownBy(() -> MetadataDatabase.open(config, home.resolve("missing")))
                .isInstanceOf(SeerException.class).hasMessageContaining("Cannot connect to the metadata store");
    }

    /**
     * SQLite plans from statistics it never gathers by itself; opening the store refreshes them
     * for tables that grew (and a server does again every hour), so a table filled since the
     * last open has its row count in sqlite_stat1 after the next.
     */
    @Test
    void openingASqliteStoreGathersThePlannersStatisticsOfTablesThatGrew() throws Exception {
        MetadataConfig config = new MetadataConfig("", "", "", 2);
        try (MetadataDatabase database = MetadataDatabase.open(config, home);
                Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE grown (id INTEGER PRIMARY KEY, key TEXT NOT NULL)");
            s.execute("CREATE INDEX grown_by_key ON grown (key)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                    + " INSERT INTO grown (id, key) SELECT i, 'k' || (i % 50) FROM n");
            assertThat(statistics(s, "grown_by_key")).isNull();
        }
        try (MetadataDatabase database = MetadataDatabase.open(config, home);
                Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(statistics(s, "grown_by_key")).startsWith("5000 100");
        }
    }

    private static String statistics(Statement s, String index) throws SQLException {
        try (ResultSet rows = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) {
            rows.next();
            if (rows.getInt(1) == 0) {
                return null;
            }
        }
        try (ResultSet rows = s.executeQuery("SELECT stat FROM sqlite_stat1 WHERE idx = '" + index + "'")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    @Test
    void anUnsupportedUrlIsNamed() {
        assertThatThrownBy(() -> MetadataDatabase.open(new MetadataConfig("jdbc:mysql://x/y", "", "", 2), home))
                .hasMessageContaining("[jdbc:mysql://x/y]").hasMessageContaining("is not one of the supported kinds: jdbc:postgresql:, jdbc:sqlite: URLs");
    }

    @Test
    void anUnreachablePostgresqlIsUnavailableWithoutLeakingThePassword() {
        assertThatThrownBy(() -> MetadataDatabase.open(
                new MetadataConfig("jdbc:postgresql://127.0.0.1:1/x?password=hunter2", "u", "", 1), home))
                .isInstanceOf(SeerException.class)
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.STORE_UNAVAILABLE))
                .hasMessageNotContaining("hunter2");
    }
}
