package dev.seer.bench;

import dev.seer.monitoring.profile.Profile;
import dev.seer.monitoring.profile.WindowedProfiles;
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
 * begins every 3.6 million rows as in a live log). Rows cycle through a pool of 1,024 drawn once,
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

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        JmhMain.run(ProfileBench.class, args);
    }
}
