package dev.seer.features.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seer.features.definition.Definitions.Aggregation;
import dev.seer.features.definition.RepositoryLoader;
import dev.seer.features.offline.WindowAggregator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming side's tiles give the batch side's values, for every function, step and arrival order. */
class WindowTilesTest {
    static final long H = 3_600_000_000L;

    @TempDir
    java.nio.file.Path dir;

    /**
     * A paused instance that wakes after another took over writes its state, which has the same
     * latest event as the new owner's but misses an out-of-order event the owner added: the
     * store keeps the owner's, whichever is written last.
     */
    @Test
    void ofTwoStatesWithTheSameLatestEventTheStoreKeepsTheOneWithMoreEvents() {
        List<Aggregation> aggregations = List.of(new Aggregation("n", Optional.empty(), "count", Duration.ofHours(6)));
        WindowTiles zombie = WindowTiles.empty(aggregations);
        zombie.add(new WindowTiles.Event(10 * H, new double[] {Double.NaN}, new String[1]));
        zombie.add(new WindowTiles.Event(12 * H, new double[] {Double.NaN}, new String[1]));
        WindowTiles owner = WindowTiles.decode(aggregations, zombie.encode());
        owner.add(new WindowTiles.Event(11 * H, new double[] {Double.NaN}, new String[1])); // out of order
        assertThat(owner.latestMicros()).isEqualTo(zombie.latestMicros());
        try (RocksDbOnlineStore store = new RocksDbOnlineStore(dir.resolve("online"))) {
            store.write("w", List.of(owner.onlineRecord("k")));
            store.write("w", List.of(zombie.onlineRecord("k"))); // later, but with fewer events
            WindowTiles kept = WindowTiles.fromOnlineJson(aggregations, store.read("w", List.of("k")).get(0).orElseThrow().values());
            assertThat(kept.value(0, 12 * H)).isEqualTo(3.0);
            store.write("w", List.of(WindowTiles.onlineRecord("k", owner.encode()))); // a replay: the same state again
            assertThat(store.read("w", List.of("k")).get(0).orElseThrow()).isEqualTo(owner.onlineRecord("k"));
        }
    }

    @Test
    void tilesAgreeWithTheBatchAggregatorOnRandomOutOfOrderEvents() {
        Random random = new Random(5);
        for (int round = 0; round < 60; round++) {
            List<Aggregation> aggregations = new ArrayList<>();
            for (String function : RepositoryLoader.FUNCTIONS) {
                long window = (1 + random.nextInt(24)) * H / 2;
                long step = round % 3 == 0 ? 0 : (1 + random.nextInt(6)) * H / 4;
                aggregations.add(new Aggregation(function, Optional.of("v"), function, Duration.ofNanos(window * 1000),
                        Duration.ofNanos(Math.min(step, window) * 1000)));
            }
            int n = random.nextInt(400);
            long[] time = new long[n];
            double[] value = new double[n];
            WindowTiles tiles = WindowTiles.empty(aggregations);
            for (int i = 0; i < n; i++) {
                // mostly advancing, some far out of order, coarse enough for ties
                long base = i * H / 8;
                time[i] = Math.max(0, base - (random.nextInt(10) == 0 ? random.nextInt(80) : random.nextInt(3)) * H / 8);
                value[i] = random.nextInt(8) == 0 ? Double.NaN : random.nextInt(40) - 10 + (random.nextBoolean() ? 0.5 : 0);
                double[] numbers = new double[aggregations.size()];
                String[] texts = new String[aggregations.size()];
                java.util.Arrays.fill(numbers, value[i]);
                java.util.Arrays.fill(texts, Double.isNaN(value[i]) ? null : Double.toString(value[i]));
                tiles.add(new WindowTiles.Event(time[i], numbers, texts));
                if (random.nextInt(50) == 0) { // the state survives its stored forms
                    tiles = WindowTiles.fromOnlineJson(aggregations,
                            WindowTiles.decode(aggregations, tiles.encode()).toOnlineJson());
                }
            }
            if (n > 0) { // the record made from stored bytes is the record made from the state
                assertThat(WindowTiles.onlineRecord("k", tiles.encode())).isEqualTo(tiles.onlineRecord("k"));
            }
            long latest = n == 0 ? 0 : tiles.latestMicros();
            long[] at = {latest, latest + 1, latest + H / 3, latest + 5 * H, latest + 40 * H};
            for (int a = 0; a < aggregations.size(); a++) {
                Aggregation aggregation = aggregations.get(a);
                double[] expected = WindowAggregator.aggregate(1, new int[n], time, value, new int[at.length], at,
                        WindowAggregator.function(aggregation.function()), aggregation);
                for (int q = 0; q < at.length; q++) {
                    double got = tiles.value(a, at[q]);
                    String what = "round " + round + " " + aggregation + " at +" + (at[q] - latest);
                    if (Double.isNaN(expected[q])) {
                        assertThat(got).as(what).isNaN();
                    } else {
                        assertThat(got).as(what).isCloseTo(expected[q], within(1e-9));
                    }
                }
            }
        }
    }

    @Test
    void stateMadeForOtherAggregationsIsDroppedNotMisread() {
        Aggregation sum = new Aggregation("s", Optional.of("v"), "sum", Duration.ofHours(1));
        Aggregation max = new Aggregation("s", Optional.of("v"), "max", Duration.ofHours(1));
        WindowTiles tiles = WindowTiles.empty(List.of(sum));
        tiles.add(new WindowTiles.Event(H, new double[] {4}, new String[1]));
        assertThat(WindowTiles.decode(List.of(sum), tiles.encode()).value(0, H)).isEqualTo(4);
        WindowTiles other = WindowTiles.decode(List.of(max), tiles.encode());
        assertThat(other.latestMicros()).isEqualTo(Long.MIN_VALUE);
        assertThat(other.value(0, H)).isNaN();
    }
}
