package dev.seer.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
