package dev.seer.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seer.features.Definitions.Aggregation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming side's tiles give the batch side's values, for every function, step and arrival order. */
class WindowTilesTest {
    static final long H = 3_600_000_000L;

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
                assertThat(WindowTiles.onlineRecord("k", tiles.encode(), 5)).isEqualTo(tiles.onlineRecord("k", 5));
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
