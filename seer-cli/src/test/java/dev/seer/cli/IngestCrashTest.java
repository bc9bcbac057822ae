package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.testing.JavaProcess;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed mid-ingest leaves all of its batch or none of it. */
@Tag("integration")
class IngestCrashTest {
    private static final int ROWS = 600_000;

    @TempDir
    Path dir;

    @Test
    void sigkillDuringIngestionLeavesAllOrNothingAndTheNextRunCompletes() throws Exception {
        Path home = dir.resolve("home");
        Path repo = copyExample();
        writeBigCsv(repo.resolve("data/transactions.csv"));
        assertThat(CliRun.run(home, "init").exitCode()).isZero();
        assertThat(CliRun.run(home, "apply", "-f", repo.toString()).exitCode()).isZero();
        for (long killAfterMillis : new long[] {700, 1500, 2500, 4000}) {
            Process ingest = JavaProcess.start(SeerCli.class, List.of("--home", home.toString(), "ingest", "transactions"),
                    Map.of());
            Thread.sleep(killAfterMillis);
            ingest.destroyForcibly();
            assertThat(ingest.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertAllOrNothing(home);
        }
        CliRun finished = CliRun.run(home, "--json", "ingest", "transactions");
        assertThat(finished.exitCode()).as(finished.err()).isZero();
        JsonNode report = Json.parse(finished.out());
        assertThat(report.path("rows_read").asLong()).isEqualTo(ROWS);
        assertAllOrNothing(home);
        assertThat(storedRows(home)).isEqualTo(report.path("already_ingested").asBoolean()
                ? storedRows(home) : report.path("rows_written").asLong());
        try (Stream<Path> files = Files.walk(home.resolve("offline/views"))) {
            assertThat(files.filter(Files::isRegularFile).count()).as("no unrecorded files left").isEqualTo(listedFiles(home));
        }
    }

    /** Either no batch is recorded and no recorded file exists, or one is and its files hold exactly its rows. */
    private void assertAllOrNothing(Path home) throws Exception {
        JsonNode batches = Json.parse(CliRun.run(home, "--json", "quarantine", "list").out());
        assertThat(batches.size()).isLessThanOrEqualTo(1);
        if (batches.size() == 1) {
            JsonNode body = batches.get(0).path("body");
            for (JsonNode file : body.path("files")) {
                assertThat(home.resolve("offline").resolve(file.asText())).exists();
            }
            assertThat(storedRows(home)).isEqualTo(body.path("rows_written").asLong());
        }
    }

    private long storedRows(Path home) throws Exception {
        JsonNode batches = Json.parse(CliRun.run(home, "--json", "quarantine", "list").out());
        if (batches.isEmpty()) {
            return 0;
        }
        StringBuilder files = new StringBuilder();
        for (JsonNode file : batches.get(0).path("body").path("files")) {
            if (file.asText().startsWith("views/")) {
                files.append(files.length() == 0 ? "" : ", ").append("'").append(home.resolve("offline").resolve(file.asText())).append("'");
            }
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet([" + files + "])")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long listedFiles(Path home) {
        JsonNode batches = Json.parse(CliRun.run(home, "--json", "quarantine", "list").out());
        long count = 0;
        for (JsonNode file : batches.get(0).path("body").path("files")) {
            count += file.asText().startsWith("views/") ? 1 : 0;
        }
        return count;
    }

    private Path copyExample() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("data"));
        Files.copy(Path.of("..", "examples", "churn", "feature_repo.yaml"), repo.resolve("feature_repo.yaml"));
        return repo;
    }

    private static void writeBigCsv(Path file) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("customer_id,event_ts,created_ts,spend,plan\n");
            for (int i = 0; i < ROWS; i++) {
                int day = 1 + i % 28;
                out.write((i % 5000) + ",2026-10-" + (day < 10 ? "0" : "") + day + "T12:00:00Z,2026-10-" + (day < 10 ? "0" : "")
                        + day + "T12:00:01Z," + (i % 997 == 0 ? "-1" : Integer.toString(i % 300)) + "," + (i % 2 == 0 ? "basic" : "pro") + "\n");
            }
        }
    }
}
