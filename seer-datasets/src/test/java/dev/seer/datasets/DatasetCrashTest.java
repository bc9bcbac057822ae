package dev.seer.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.HistoricalRetrieval;
import dev.seer.features.offline.OfflineStore;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A create killed with SIGKILL at several of its steps (during the join, while profiling,
 * while storing objects, just before recording the version) leaves no version and nothing a
 * reader could mistake for one: the catalog has no dataset, every object stored is intact, and
 * gc removes what was left. Killed just after recording, it leaves exactly that version. A run
 * that is not killed then finds that version (same inputs), which reproduces to the same hash.
 */
@Tag("integration")
class DatasetCrashTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    /**
     * A step to kill at: during it (killed as soon as it is announced, it runs on for a while),
     * or held at its announcement ({@code pause}) for a step too short to kill during.
     * {@code committed}: the version is recorded by then.
     */
    private record Kill(String step, boolean pause, boolean committed) {}

    private static final List<Kill> KILLS = List.of(new Kill("point-in-time join", false, false),
            new Kill("profiling the columns", false, false), new Kill("writing the test split", false, false),
            new Kill("storing the objects", false, false),
            new Kill("recording the version", true, false), // the last step before the commit point
            new Kill("recorded the version", true, true)); // just after it

    @Test
    void aCreateKilledAtAnyStepLeavesNoVersionUntilItIsRecorded() throws Exception {
        Path home = dir.resolve("home");
        Path entities = prepare(home);
        List<String> killedAt = new ArrayList<>();
        for (Kill kill : KILLS) {
            killedAt.add(killAt(home, entities, kill));
            withStore(home, datasets -> {
                assertThat(datasets.list()).as("versions after a kill at [%s]", kill.step())
                        .extracting(DatasetVersion::toString).containsExactlyElementsOf(kill.committed() ? List.of("churn:1") : List.of());
                assertThat(datasets.verify(m -> { }).ok()).as("what was stored is intact").isTrue();
                return null;
            });
        }
        System.out.println("killed at: " + killedAt);
        assertThat(killedAt).noneMatch(s -> s.endsWith("(not reached)"));

        Process worker = JavaProcess.start(DatasetWorker.class, List.of(home.toString(), entities.toString()), Map.of());
        String out = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(worker.waitFor()).as(out).isZero();
        assertThat(out).contains("done churn:1");
        withStore(home, datasets -> {
            assertThat(datasets.versions("churn")).as("the run after the commit point adds no version").hasSize(1);
            DatasetStore.GarbageReport garbage = datasets.gc(false, "test");
            System.out.println("gc after the kills: " + garbage.objects().size() + " objects, " + garbage.leftovers().size()
                    + " leftovers");
            assertThat(garbage.leftovers()).as("the killed runs' staging folders").isNotEmpty();
            DatasetVersion version = datasets.get(DatasetRef.parse("churn"));
            assertThat(version.version()).isEqualTo(1);
            assertThat(datasets.verify(m -> { }).ok()).isTrue();
            assertThat(datasets.reproduce(version.ref(), m -> { }).same()).isTrue();
            return null;
        });
    }

    /** Starts a create, kills it (SIGKILL) once it announces the kill's step; returns where it was killed. */
    private static String killAt(Path home, Path entities, Kill kill) throws Exception {
        List<String> args = new ArrayList<>(List.of(home.toString(), entities.toString()));
        if (kill.pause()) {
            args.add(kill.step());
        }
        Process worker = JavaProcess.start(DatasetWorker.class, args, Map.of());
        BufferedReader lines = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.startsWith("step " + kill.step())) {
            assertThat(line).doesNotStartWith("done");
        }
        worker.destroyForcibly(); // SIGKILL
        worker.waitFor();
        return kill.step() + (line == null ? " (not reached)" : "");
    }

    /** A home with the example's definitions, 200,000 transactions ingested, and an entity file of 200,000 rows. */
    private static Path prepare(Path home) throws Exception {
        Path repo = home.resolveSibling("repo");
        Files.createDirectories(repo.resolve("data"));
        Files.writeString(repo.resolve("repo.yaml"), DatasetStoreTest.REPOSITORY);
        Files.writeString(repo.resolve("data/transactions.csv"), DatasetStoreTest.transactions(new Random(1), 200_000));
        withStore(home, datasets -> null); // creates the metadata database
        try (MetadataDatabase database = MetadataDatabase.open(MetadataConfig.SECTION.defaults(), home);
                AuditLog audit = new AuditLog(database, Clock.systemUTC(), AuditConfig.SECTION.defaults())) {
            JdbcCatalog catalog = new JdbcCatalog(database, audit, Clock.systemUTC());
            new FeatureRegistry(catalog).apply(repo, "alice");
            new Ingestor(catalog, new OfflineStore(home.resolve("offline")), Clock.systemUTC())
                    .ingest("transactions", Optional.empty(), "alice");
        }
        Path entities = home.resolveSibling("entities.csv");
        StringBuilder rows = new StringBuilder("customer_id,event_timestamp,churned\n");
        Random random = new Random(2);
        for (int i = 0; i < 200_000; i++) {
            rows.append(random.nextInt(300)).append(',').append(T0.plusSeconds(random.nextInt(30 * 24 * 3600))).append(',')
                    .append(random.nextBoolean()).append('\n');
        }
        Files.writeString(entities, rows);
        return entities;
    }

    private static <T> T withStore(Path home, Function<DatasetStore, T> use) throws Exception {
        Files.createDirectories(home);
        try (MetadataDatabase database = MetadataDatabase.open(MetadataConfig.SECTION.defaults(), home);
                AuditLog audit = new AuditLog(database, Clock.systemUTC(), AuditConfig.SECTION.defaults())) {
            JdbcCatalog catalog = new JdbcCatalog(database, audit, Clock.systemUTC());
            Ingestor ingestor = new Ingestor(catalog, new OfflineStore(home.resolve("offline")), Clock.systemUTC());
            return use.apply(new DatasetStore(home.resolve("datasets"), catalog, new HistoricalRetrieval(catalog, ingestor),
                    audit, Clock.systemUTC()));
        }
    }
}
