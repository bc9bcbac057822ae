package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code seer ingest} killed with SIGKILL at each of its announced steps leaves all of its
 * batch or none of it. The kills land where the ingestion says it is: on a progress line of a
 * long step (then the step is still running), or paused right after a finished step (see
 * {@link IngestWorker}), including between publishing the files and recording the batch, the
 * commit point. Readable rows are counted from the files that recorded batches list, which is
 * what readers of the offline store read, and compared with the count the generator wrote.
 */
@Tag("integration")
class IngestCrashTest {
    private static final int ROWS = 400_000;

    /**
     * Where to kill: at the progress line {@code step}, either held there ({@code pause}) or while
     * the step runs on, which then must not have finished ({@code finishedBy}, the line of its end).
     */
    private record Kill(String step, boolean pause, String finishedBy) {
        static Kill pausedAt(String step) {
            return new Kill(step, true, "recorded batch .*");
        }

        static Kill during(String step, String finishedBy) {
            return new Kill(step, false, finishedBy);
        }

        Pattern line() {
            return Pattern.compile("ingest: " + step);
        }
    }

    private static final List<Kill> BEFORE_THE_COMMIT_POINT = List.of(
            Kill.during("reading .* bytes\\)", "read [\\d,]+ rows .*"), // DuckDB is loading the file
            Kill.during("read [\\d,]+ rows .*", "view customer_stats: [\\d,]+ written.*"), // typing, checking, writing
            Kill.pausedAt("view customer_stats: [\\d,]+ written.*"), // files in staging only
            Kill.pausedAt("published \\d+ files .*")); // files in the store, no batch record yet
    private static final Kill AFTER_THE_COMMIT_POINT = Kill.pausedAt("recorded batch .*");

    @TempDir
    Path dir;

    @Test
    void aKillAtAnyStepLeavesAllOrNothingAndTheNextRunIngestsEachRowOnce() throws Exception {
        Path home = dir.resolve("home");
        Path repo = copyExample();
        long goodRows = writeBigCsv(repo.resolve("data/transactions.csv"));
        assertThat(CliRun.run(home, "init").exitCode()).isZero();
        assertThat(CliRun.run(home, "apply", "-f", repo.toString()).exitCode()).isZero();

        for (Kill kill : BEFORE_THE_COMMIT_POINT) {
            killAt(home, kill);
            assertThat(batches(home)).as("no batch after a kill at [%s]", kill.step()).isEmpty();
            assertThat(readableRows(home)).as("readable rows after a kill at [%s]", kill.step()).isZero();
            if (kill.step().startsWith("published")) {
                assertThat(unrecordedFiles(home)).as("the kill landed after publishing").isNotEmpty();
            }
        }
        // The run after the kills ingests the file, and is itself killed just after recording it.
        killAt(home, AFTER_THE_COMMIT_POINT);
        assertThat(batches(home)).as("the batch recorded before the kill").hasSize(1);
        assertThat(batches(home).get(0).path("body").path("rows_written").asLong()).isEqualTo(goodRows);
        assertThat(readableRows(home)).isEqualTo(goodRows);
        assertThat(unrecordedFiles(home)).as("files the killed runs published were swept").isEmpty();
        assertThat(staging(home)).as("the last kill left its staging folder and lock").isNotEmpty();

        CliRun again = CliRun.run(home, "--json", "ingest", "transactions");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Json.parse(again.out()).path("already_ingested").asBoolean()).isTrue();
        assertThat(batches(home)).hasSize(1);
        assertThat(readableRows(home)).as("each row once").isEqualTo(goodRows);
        assertThat(staging(home)).as(".staging after the next ingestion").isEmpty();
        assertThat(unrecordedFiles(home)).isEmpty();
    }

    /** Runs the ingestion until it reaches the kill's step, then kills it there with SIGKILL. */
    private static void killAt(Path home, Kill kill) throws Exception {
        Process ingest = JavaProcess.start(IngestWorker.class, List.of(kill.pause() ? kill.line().pattern() : "", "--home",
                home.toString(), "ingest", "transactions"), Map.of());
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(ingest.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !kill.line().matcher(line.replaceFirst("^progress ", "")).matches()) {
                seen.add(line);
            }
            assertThat(line).as("step [%s] announced; the run printed %s", kill.step(), seen).isNotNull();
            ingest.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroyForcibly, keeps its output readable
            List<String> after = new ArrayList<>(); // what it printed before the kill landed
            while ((line = out.readLine()) != null) {
                after.add(line);
            }
            assertThat(ingest.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Pattern finished = Pattern.compile("progress ingest: " + kill.finishedBy());
            assertThat(after).as("the kill at [%s] landed before [%s]", kill.step(), kill.finishedBy())
                    .noneMatch(l -> finished.matcher(l).matches());
        }
        System.out.println("killed at [" + kill.step() + "] after " + seen.size() + " lines");
    }

    private static List<JsonNode> batches(Path home) {
        List<JsonNode> batches = new ArrayList<>();
        Json.parse(CliRun.run(home, "--json", "quarantine", "list").out()).forEach(batches::add);
        return batches;
    }

    /** The view files that recorded batches list: what readers of the offline store read. */
    private static List<Path> recordedFiles(Path home) {
        List<Path> files = new ArrayList<>();
        for (JsonNode batch : batches(home)) {
            for (JsonNode file : batch.path("body").path("files")) {
                if (file.asText().startsWith("views/")) {
                    files.add(home.resolve("offline").resolve(file.asText()));
                }
            }
        }
        return files;
    }

    private static long readableRows(Path home) throws Exception {
        List<Path> files = recordedFiles(home);
        if (files.isEmpty()) {
            return 0;
        }
        StringBuilder list = new StringBuilder();
        for (Path file : files) {
            assertThat(file).exists();
            list.append(list.length() == 0 ? "" : ", ").append("'").append(file).append("'");
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet([" + list + "])")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Files in the store's view folders that no recorded batch lists. */
    private static List<Path> unrecordedFiles(Path home) throws Exception {
        Path views = home.resolve("offline/views");
        if (!Files.isDirectory(views)) {
            return List.of();
        }
        Set<Path> recorded = new HashSet<>(recordedFiles(home));
        try (Stream<Path> files = Files.walk(views)) {
            return files.filter(Files::isRegularFile).filter(f -> !recorded.contains(f)).toList();
        }
    }

    private static List<Path> staging(Path home) throws Exception {
        Path staging = home.resolve("offline/.staging");
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(staging)) {
            return entries.toList();
        }
    }

    private Path copyExample() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("data"));
        Files.copy(Path.of("..", "examples", "churn", "feature_repo.yaml"), repo.resolve("feature_repo.yaml"));
        return repo;
    }

    /**
     * Writes the transactions; returns how many rows pass the example's checks (every 997th row
     * has a negative spend, below its min 0): the rows a complete ingestion must write.
     */
    private static long writeBigCsv(Path file) throws Exception {
        long good = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("customer_id,event_ts,created_ts,spend,plan\n");
            for (int i = 0; i < ROWS; i++) {
                int day = 1 + i % 28;
                String date = "2026-10-" + (day < 10 ? "0" : "") + day;
                boolean negative = i % 997 == 0;
                out.write((i % 5000) + "," + date + "T12:00:00Z," + date + "T12:00:01Z," + (negative ? "-1" : Integer.toString(i % 300))
                        + "," + (i % 2 == 0 ? "basic" : "pro") + "\n");
                good += negative ? 0 : 1;
            }
        }
        return good;
    }
}
