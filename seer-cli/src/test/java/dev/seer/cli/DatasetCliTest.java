package dev.seer.cli;

import static dev.seer.cli.FeatureCliTest.sha256;
import static dev.seer.cli.FeatureCliTest.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seer dataset} and {@code seer lineage dataset} on a home of their own, then through its
 * server. The entity file asks for customers 1 to 20 at noon on 25, 26 and 27 November (60 unique
 * keys; customers 1, 5, 9, 13 and 17 churned); the expected feature values are read by hand from the example's
 * {@code transactions.csv} (customer 3's latest valid row before the 25th at noon is
 * {@code 150.83, basic}; over the 60 rows spend ranges 1.49 to 294.08, mean 156.529166...).
 * The second version drops customer 20, adds customer 21 (who has no transactions), flips the
 * label of customer 1 and leaves out the plan feature. {@link PostgresRedisDatasetCliTest} runs
 * the same on PostgreSQL and Redis.
 */
class DatasetCliTest {
    @TempDir
    Path dir;

    CliHome home;
    Path entities;
    Path changedEntities;
    String batch;

    /** The stores of the home under test: SQLite and RocksDB here. */
    CliHome open(Path root) {
        return CliHome.local(root);
    }

    @BeforeEach
    void home() throws Exception {
        home = open(dir.resolve("home"));
        assertThat(home.run("init").exitCode()).isZero();
        assertThat(home.run("apply", "-f", FeatureCliTest.EXAMPLE.toString()).exitCode()).isZero();
        CliRun ingested = home.run("--json", "ingest", "transactions");
        assertThat(ingested.exitCode()).as(ingested.err()).isZero();
        batch = Json.parse(ingested.out()).path("batch_id").asText();
        entities = writeEntities("entities.csv", false);
        changedEntities = writeEntities("entities-v2.csv", true);
    }

    @AfterEach
    void drop() throws Exception {
        if (home != null) {
            home.close();
        }
    }

    /** Customers 1-20 at three times; changed: without 20, with 21, and customer 1's label flipped. */
    private Path writeEntities(String name, boolean changed) throws Exception {
        StringBuilder rows = new StringBuilder("customer_id,event_timestamp,churned\n");
        for (int i = 0; i < 60; i++) {
            int customer = i % 20 + 1;
            boolean churned = i % 4 == 0;
            if (changed && customer == 20) {
                continue;
            }
            rows.append(customer).append(",2026-11-2").append(5 + i % 3).append("T12:00:00Z,")
                    .append(changed && customer == 1 ? !churned : churned).append('\n');
        }
        for (int day = 5; changed && day <= 7; day++) {
            rows.append("21,2026-11-2").append(day).append("T12:00:00Z,false\n");
        }
        Path file = dir.resolve(name);
        Files.writeString(file, rows);
        return file;
    }

    @Test
    void aDatasetIsCreatedShownTracedExportedVerifiedAndReproduced() throws Exception {
        CliRun created = home.run("dataset", "create", "churn", "--entities", entities.toString(), "--features",
                "churn_v1", "--label", "churned", "--split-by-key", "customer_id", "--split-fractions", "0.5,0.25,0.25");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("churn:1  60 rows", "New version");
        // The key split is a pure function of the dataset name and the customer: the same in every run.
        assertThat(created.out()).containsPattern("split train +27 rows").containsPattern("split validation +12 rows")
                .containsPattern("split test +21 rows");
        assertThat(home.run("dataset", "list").out()).contains("churn:1  60 rows");
        JsonNode audited = Json.parse(home.run("--json", "audit", "list", "--action", "dataset.recorded").out());
        assertThat(audited.path("entries")).singleElement().satisfies(e -> assertThat(e.path("subject_id").asText())
                .isEqualTo("churn"));

        JsonNode manifest = Json.parse(home.run("--json", "dataset", "show", "churn:1").out()).path("manifest");
        assertShown(manifest);
        assertThat(home.run("dataset", "show", "churn:1").out()).contains("label: churned", "splits (key on [\"customer_id\"])")
                .containsPattern("customer_stats__spend +min 1\\.49  max 294\\.08  nulls 0\\.0%")
                .containsPattern("customer_stats__plan +min basic  max pro  nulls 0\\.0%");

        assertLineage();
        assertExported(manifest);
        CliRun verified = home.run("dataset", "verify");
        assertThat(verified.exitCode()).isZero();
        assertThat(verified.out()).matches("(?s)\\d+ objects, [\\d,]+ bytes hashed: all intact\\s*");
        JsonNode reproduced = Json.parse(home.run("--json", "dataset", "reproduce", "churn:1").out());
        assertThat(reproduced.path("same").asBoolean()).isTrue();
        assertThat(reproduced.path("recorded_hash").asText()).isEqualTo(manifest.path("data").path("sha256").asText());
        assertThat(reproduced.path("reproduced_hash").asText()).isEqualTo(manifest.path("data").path("sha256").asText());
        assertThat(reproduced.path("reproduced_splits")).isEqualTo(reproduced.path("recorded_splits"));

        assertDiffOfTwoVersions();
        assertRefusals();
    }

    @Test
    void theSameCommandsWorkThroughTheServerThatOwnsTheHome() throws Exception {
        SeerHome seerHome = SeerHome.open(home.root);
        try (HomeLock lock = seerHome.lock("server", Clock.systemUTC());
                SeerServices services = SeerServices.open(seerHome, home.config(), Clock.systemUTC());
                SeerServer server = SeerServer.start(services)) {
            lock.publishUrl(server.url());
            CliRun created = home.run("--json", "dataset", "create", "churn", "--entities", entities.toString(),
                    "--features", "customer_stats:spend", "--split-by-time", "event_timestamp");
            assertThat(created.exitCode()).as(created.out() + created.err()).isZero();
            JsonNode version = Json.parse(created.out());
            assertThat(version.path("dataset").asText()).isEqualTo("churn:1");
            assertThat(version.path("manifest").path("data").path("rows").asLong()).isEqualTo(60);
            // Three days of 20 rows: the 0.8 and 0.9 quantiles are both the last day, and rows at a
            // cutoff go to the later split, so train has the first two days and test the last.
            JsonNode parts = version.path("manifest").path("splits").path("parts");
            assertThat(parts.path("train").path("rows").asLong()).isEqualTo(40);
            assertThat(parts.path("validation").path("rows").asLong()).isZero();
            assertThat(parts.path("test").path("rows").asLong()).isEqualTo(20);
            CliRun second = home.run("--json", "dataset", "create", "churn", "--entities", changedEntities.toString(),
                    "--features", "customer_stats:spend");
            assertThat(Json.parse(second.out()).path("dataset").asText()).as(second.err()).isEqualTo("churn:2");
            JsonNode diff = Json.parse(home.run("--json", "dataset", "diff", "churn:1", "churn:2").out());
            assertThat(diff.path("schema")).isEmpty();
            assertThat(diff.path("rows")).isEqualTo(Json.parse("{\"added\": 3, \"removed\": 3, \"changed\": 3}"));
            assertThat(texts(diff.path("samples").path("removed"), "customer_id")).containsOnly("20");
            CliRun lineage = home.run("lineage", "dataset", "churn");
            // By content: a server may keep the entity file under a path of its own.
            assertThat(lineage.out()).startsWith("churn:2  60 rows").contains("(sha256 " + sha256(changedEntities) + ", 60 rows)",
                    "view customer_stats version 1: 1 batches", "batch " + batch + " of source transactions");
            CliRun missing = home.run("dataset", "show", "churn:9");
            assertThat(missing.exitCode()).isEqualTo(3);
            assertThat(missing.err()).contains("Dataset [churn] has no version 9; its latest is 2");
        }
    }

    private void assertShown(JsonNode manifest) {
        assertThat(manifest.path("data").path("rows").asLong()).isEqualTo(60);
        assertThat(texts(manifest.path("schema"), "name")).containsExactly("customer_id", "event_timestamp", "churned",
                "customer_stats__spend", "customer_stats__plan");
        assertThat(texts(manifest.path("schema"), "type")).containsExactly("VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR");
        assertThat(texts(manifest.path("key"))).containsExactly("customer_id", "event_timestamp");
        assertThat(manifest.path("label").asText()).isEqualTo("churned");
        JsonNode spend = manifest.path("profile").path("customer_stats__spend");
        assertThat(spend.path("min").asText()).isEqualTo("1.49");
        assertThat(spend.path("max").asText()).isEqualTo("294.08");
        assertThat(spend.path("avg").asDouble()).isCloseTo(156.52916666666667, within(1e-9));
        assertThat(spend.path("null_percentage").asDouble()).isZero();
        assertThat(spend.path("count").asLong()).isEqualTo(60);
        JsonNode time = manifest.path("profile").path("event_timestamp");
        assertThat(time.path("min").asText()).isEqualTo("2026-11-25T12:00:00Z");
        assertThat(time.path("max").asText()).isEqualTo("2026-11-27T12:00:00Z");
        assertThat(manifest.path("splits").path("parts").path("train").path("rows").asLong()).isEqualTo(27);
    }

    private void assertLineage() throws Exception {
        CliRun lineage = home.run("lineage", "dataset", "churn:1");
        assertThat(lineage.exitCode()).as(lineage.err()).isZero();
        Path transactions = FeatureCliTest.EXAMPLE.resolve("data").resolve("transactions.csv");
        assertThat(lineage.out()).contains(
                "entities " + entities + " (sha256 " + sha256(entities) + ", 60 rows)",
                "(feature service churn_v1 version 1: [\"customer_stats:spend\",\"customer_stats:plan\"])",
                "options {\"filter_by_created_timestamp\":false,\"label\":\"churned\"}",
                "view customer_stats version 1: 1 batches",
                "batch " + batch + " of source transactions",
                "file " + transactions + " (sha256 " + sha256(transactions) + "); 60 rows matched");
    }

    /** The export is the stored split byte for byte, and reads back with the expected rows and values. */
    private void assertExported(JsonNode manifest) throws Exception {
        Path train = dir.resolve("train.parquet");
        assertThat(home.run("dataset", "export", "churn", "--split", "train", "--out", train.toString()).exitCode()).isZero();
        assertThat(sha256(train)).isEqualTo(manifest.path("splits").path("parts").path("train").path("sha256").asText());
        Path test = dir.resolve("test.parquet");
        assertThat(home.run("dataset", "export", "churn:1", "--split", "test", "--out", test.toString()).exitCode()).isZero();
        Path all = dir.resolve("all.parquet");
        assertThat(home.run("dataset", "export", "churn:1", "--out", all.toString()).exitCode()).isZero();
        assertThat(sha256(all)).isEqualTo(manifest.path("data").path("sha256").asText());
        assertThat(query("SELECT count(*) FROM read_parquet('" + train + "')")).containsExactly("27");
        assertThat(query("SELECT count(*) FROM read_parquet('" + train + "') t JOIN read_parquet('" + test
                + "') s USING (customer_id)")).as("a customer is in one split only").containsExactly("0");
        assertThat(query("SELECT customer_id || ' ' || event_timestamp || ' ' || churned || ' ' || customer_stats__spend"
                + " || ' ' || customer_stats__plan FROM read_parquet('" + all + "') WHERE customer_id IN ('1', '3', '20')"
                + " ORDER BY customer_id, event_timestamp")).containsExactly(
                        "1 2026-11-25T12:00:00Z true 50.41 basic",
                        "1 2026-11-26T12:00:00Z true 50.41 basic",
                        "1 2026-11-27T12:00:00Z true 50.41 basic",
                        "20 2026-11-25T12:00:00Z false 258.37 pro",
                        "20 2026-11-26T12:00:00Z false 258.37 pro",
                        "20 2026-11-27T12:00:00Z false 258.37 pro",
                        "3 2026-11-25T12:00:00Z false 150.83 basic",
                        "3 2026-11-26T12:00:00Z false 160.56 basic",
                        "3 2026-11-27T12:00:00Z false 160.56 basic");
        assertThat(query("SELECT count(*) FILTER (WHERE churned = 'true') FROM read_parquet('" + all + "')"))
                .containsExactly("15");
    }

    private void assertDiffOfTwoVersions() {
        CliRun second = home.run("dataset", "create", "churn", "--entities", changedEntities.toString(), "--features",
                "customer_stats:spend", "--label", "churned");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("churn:2  60 rows");
        JsonNode diff = Json.parse(home.run("--json", "dataset", "diff", "churn:1", "churn:2").out());
        assertThat(diff.path("key")).isEqualTo(Json.parse("[\"customer_id\", \"event_timestamp\"]"));
        assertThat(diff.path("schema")).isEqualTo(Json.parse("""
                [{"column": "customer_stats__plan", "change": "removed", "type_a": "VARCHAR"}]"""));
        assertThat(diff.path("rows")).isEqualTo(Json.parse("{\"added\": 3, \"removed\": 3, \"changed\": 3}"));
        assertThat(diff.path("samples")).isEqualTo(Json.parse("""
                {"added": [%s], "removed": [%s], "changed": [%s]}""".formatted(keys("21"), keys("20"), keys("1"))));
        // Customer 21 has no transactions: 3 of 60 rows without spend.
        assertThat(diff.path("statistics").path("customer_stats__spend").path("b").path("null_percentage").asDouble())
                .isEqualTo(5.0);
        assertThat(diff.path("statistics").path("customer_stats__plan").path("b").isNull()).isTrue();
        CliRun table = home.run("dataset", "diff", "churn:1", "churn:2");
        assertThat(table.out()).contains("churn:1 -> churn:2 by [\"customer_id\",\"event_timestamp\"]",
                "rows: 3 added, 3 removed, 3 changed").containsPattern("column customer_stats__plan +removed VARCHAR");
        CliRun same = home.run("--json", "dataset", "diff", "churn:2", "churn:2");
        assertThat(Json.parse(same.out()).path("rows")).isEqualTo(Json.parse("{\"added\": 0, \"removed\": 0, \"changed\": 0}"));
    }

    private void assertRefusals() {
        CliRun missing = home.run("dataset", "show", "nope");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("Dataset [nope] does not exist; datasets: [churn]", "[DATASET_NOT_FOUND]");
        CliRun noKey = home.run("dataset", "diff", "churn:1", "churn:2", "--key", "nope");
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).contains("lacks the column(s) [nope]");
        assertThat(home.run("dataset", "gc", "--dry-run").out()).contains("Would remove 0 objects");
    }

    /** The three keys of one customer, as diff samples list them. */
    private static String keys(String customer) {
        List<String> keys = new ArrayList<>();
        for (int day = 5; day <= 7; day++) {
            keys.add("{\"customer_id\": \"" + customer + "\", \"event_timestamp\": \"2026-11-2" + day + "T12:00:00Z\"}");
        }
        return String.join(", ", keys);
    }

    private static List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
