package dev.seer.bench;

import dev.seer.core.home.FileTrees;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.monitoring.profile.Profile;
import dev.seer.monitoring.profile.WindowedProfiles;
import dev.seer.monitoring.watch.MonitoringOptions;
import dev.seer.monitoring.watch.Observation;
import dev.seer.monitoring.watch.OutputShape;
import dev.seer.monitoring.watch.ProfileUpdater;
import dev.seer.monitoring.watch.WatchedColumns;
import dev.seer.monitoring.watch.WindowStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/**
 * Issue 18's per-prediction cost of monitoring: updating the profile of a logged prediction's
 * features, 20 numeric values (PredictBench's model) and its output, with the default sketches
 * (KLL k 200 per column, plus count, missing, min, max, mean and variance). Goal: under 2% of the
 * predict route's p50 (0.45–0.59 ms in BENCHMARKS' latest predict run, so 9–12 µs).
 *
 * <p>{@code profile}: one row into a {@link Profile}; {@code windowed}: one row into
 * {@link WindowedProfiles} (hour windows, the row's time advancing 1 ms per row, so a new window
 * begins every 3.6 million rows as in a live log); {@code watched}: one observation into the
 * server's {@link ProfileUpdater}, what its monitor feed does per answered prediction (the open
 * window's profile and its 10,000-row reservoir; a closed window stored in SQLite in a temporary
 * folder, once per 3.6 million rows). Rows cycle through a pool of 1,024 drawn once,
 * 5% of values missing. Run: {@code java -cp "seer-bench/target/classes:seer-bench/target/lib/*"
 * dev.seer.bench.ProfileBench [JMH options]}; each figure with the JVM's CPU time per operation.
 */
public class ProfileBench {
    static final int FEATURES = 20;
    static final int POOL = 1024;

    @State(Scope.Thread)
    public static class Fixture {
        Profile profile;
        WindowedProfiles windowed;
        Object[][] rows;
        int next;
        Instant time = Instant.parse("2026-12-04T00:00:00Z");
        ProfileUpdater updater;
        WatchedColumns columns;
        double[][] values;
        MetadataDatabase database;
        Path folder;

        @Setup(Level.Trial)
        public void setUp() {
            List<Profile.Column> schema = new ArrayList<>();
            for (int f = 0; f < FEATURES; f++) {
                schema.add(Profile.Column.numeric("f" + f));
            }
            schema.add(Profile.Column.numeric("output"));
            profile = Profile.create(schema);
            windowed = new WindowedProfiles(schema, Profile.Settings.DEFAULT, Duration.ofHours(1), Duration.ofDays(2));
            Random random = new Random(18);
            rows = new Object[POOL][];
            for (int r = 0; r < POOL; r++) {
                Object[] row = new Object[FEATURES + 1];
                for (int f = 0; f < FEATURES; f++) {
                    row[f] = random.nextDouble() < 0.05 ? Double.NaN : random.nextGaussian() * (1 + f);
                }
                row[FEATURES] = random.nextDouble();
                rows[r] = row;
            }
            List<String> names = new ArrayList<>();
            values = new double[POOL][FEATURES];
            for (int f = 0; f < FEATURES; f++) {
                names.add("f" + f);
                for (int r = 0; r < POOL; r++) {
                    values[r][f] = (Double) rows[r][f];
                }
            }
            columns = new WatchedColumns(names, OutputShape.SCORE);
            try {
                folder = Files.createTempDirectory("seer-profile-bench");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            database = MetadataDatabase.open(new MetadataConfig("", "", "", 2), folder);
            updater = new ProfileUpdater(new WindowStore(database), MonitoringOptions.DEFAULTS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            database.close();
            FileTrees.delete(folder);
        }

        Object[] row() {
            Object[] row = rows[next];
            next = (next + 1) & (POOL - 1);
            return row;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void profile(Fixture fixture) {
        fixture.profile.update(fixture.row());
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void windowed(Fixture fixture) {
        fixture.time = fixture.time.plusMillis(1);
        fixture.windowed.update(fixture.time, fixture.row());
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void watched(Fixture fixture) {
        fixture.time = fixture.time.plusMillis(1);
        int r = fixture.next;
        fixture.next = (r + 1) & (POOL - 1);
        fixture.updater.observe(fixture.columns, new Observation("bench", fixture.time, fixture.values[r],
                (Double) fixture.rows[r][FEATURES]));
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        JmhMain.run(ProfileBench.class, args);
    }
}
