package dev.seer.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seer.features.definition.Definitions;
import dev.seer.features.offline.WindowAggregator.Function;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowAggregatorTest {
    static final long H = 3_600_000_000L;

    @Test
    void theWindowIsOpenAtItsStartAndClosedAtItsEnd() {
        int[] key = {0, 0, 0};
        long[] time = {1 * H, 2 * H, 3 * H};
        double[] value = {1, 10, 100};
        // At 3h with a 2h window: (1h, 3h] holds the events at 2h and 3h, not the one at 1h.
        double[] sum = WindowAggregator.aggregate(1, key, time, value, new int[] {0, 0, 0}, new long[] {3 * H, 3 * H - 1, H - 1},
                Function.SUM, window(2 * H, 0));
        assertThat(sum[0]).isEqualTo(110);
        assertThat(sum[1]).isEqualTo(11); // (1h - 1us, 3h - 1us]: the events at 1h and 2h
        assertThat(sum[2]).isNaN();       // nothing yet: null, not zero
        assertThat(WindowAggregator.aggregate(1, key, time, value, new int[] {0}, new long[] {H - 1}, Function.COUNT, window(2 * H, 0)))
                .containsExactly(0);
    }

    @Test
    void aStepMovesTheStartInWholeStepsAndKeepsTheEndAtT() {
        int[] key = {0, 0, 0};
        long[] time = {1 * H, 2 * H, 3 * H};
        double[] value = {1, 10, 100};
        // 2h window, 2h step: at 3h + 30m the start is floor(1h30m / 2h) * 2h = 0, so all three count;
        // at 4h it is 2h, so only the event at 3h does.
        double[] sum = WindowAggregator.aggregate(1, key, time, value, new int[] {0, 0}, new long[] {3 * H + H / 2, 4 * H},
                Function.SUM, window(2 * H, 2 * H));
        assertThat(sum).containsExactly(111, 100);
    }

    static Definitions.Aggregation window(long windowMicros, long stepMicros) {
        return new Definitions.Aggregation("a", java.util.Optional.empty(), "sum", java.time.Duration.ofNanos(windowMicros * 1000),
                java.time.Duration.ofNanos(stepMicros * 1000));
    }

    @Test
    void matchesABruteForceOracleForEveryFunction() {
        Random random = new Random(17);
        for (int round = 0; round < 40; round++) {
            int keys = 1 + random.nextInt(20);
            int n = random.nextInt(2000);
            int[] ek = new int[n];
            long[] et = new long[n];
            double[] ev = new double[n];
            for (int i = 0; i < n; i++) {
                ek[i] = random.nextInt(keys);
                et[i] = random.nextInt(200) * H / 4; // coarse: ties with each other and with query times
                ev[i] = random.nextInt(10) == 0 ? Double.NaN : random.nextInt(50) - 10 + (random.nextBoolean() ? 0.25 : 0);
            }
            int m = random.nextInt(500);
            int[] qk = new int[m];
            long[] qt = new long[m];
            for (int i = 0; i < m; i++) {
                qk[i] = random.nextInt(keys);
                qt[i] = random.nextInt(220) * H / 4;
            }
            long windowLength = (1 + random.nextInt(40)) * H / 4;
            Definitions.Aggregation window = window(windowLength, round % 2 == 0 ? 0 : (1 + random.nextInt(8)) * H / 8);
            for (Function function : Function.values()) {
                double[] got = WindowAggregator.aggregate(keys, ek, et, ev, qk, qt, function, window);
                for (int q = 0; q < m; q++) {
                    double expected = oracle(ek, et, ev, qk[q], qt[q], function, window);
                    if (Double.isNaN(expected)) {
                        assertThat(got[q]).as("round %d %s query %d", round, function, q).isNaN();
                    } else {
                        assertThat(got[q]).as("round %d %s query %d", round, function, q).isCloseTo(expected, within(1e-9));
                    }
                }
            }
        }
    }

    /** Straight from the definition: scan every event. */
    private static double oracle(int[] ek, long[] et, double[] ev, int key, long t, Function function,
            Definitions.Aggregation window) {
        long start = window.step().isZero() ? t - window.window().toNanos() / 1000
                : Math.floorDiv(t - window.window().toNanos() / 1000, window.step().toNanos() / 1000) * (window.step().toNanos() / 1000);
        long count = 0;
        long present = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int last = -1;
        Set<Double> distinct = new HashSet<>();
        for (int i = 0; i < ek.length; i++) {
            if (ek[i] != key || et[i] > t || et[i] <= start) {
                continue;
            }
            count++;
            if (last == -1 || et[i] >= et[last]) { // a later event, or a tie stored later
                last = i;
            }
            if (Double.isNaN(ev[i])) {
                continue;
            }
            present++;
            sum += ev[i];
            min = Math.min(min, ev[i]);
            max = Math.max(max, ev[i]);
            distinct.add(ev[i]);
        }
        return switch (function) {
            case COUNT -> count;
            case SUM -> present == 0 ? Double.NaN : sum;
            case MEAN -> present == 0 ? Double.NaN : sum / present;
            case MIN -> present == 0 ? Double.NaN : min;
            case MAX -> present == 0 ? Double.NaN : max;
            case LAST -> last == -1 ? Double.NaN : ev[last];
            case DISTINCT_COUNT -> distinct.size();
        };
    }
}
