package dev.seer.features.offline;

import static dev.seer.features.offline.PointInTimeJoin.NO_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PointInTimeJoinTest {
    private static final long H = 3_600_000_000L; // an hour in micros

    @Test
    void theLatestRowAtOrBeforeTheEntityTimeWins() {
        int[] match = join(new int[] {0, 0, 0}, new long[] {5 * H, 10 * H, 1 * H},
                new int[] {0, 0, 0}, new long[] {2 * H, 5 * H, 11 * H}, none(3), 0, false);
        assertThat(match).containsExactly(1, 1, -1); // at 5h the 5h row (inclusive); at 10h still it; at 1h nothing
    }

    @Test
    void ttlBoundsAreInclusive() {
        long ttl = 2 * H;
        int[] match = join(new int[] {0, 0, 0}, new long[] {7 * H, 7 * H + 1, 5 * H},
                new int[] {0}, new long[] {5 * H}, none(1), ttl, false);
        assertThat(match).containsExactly(0, -1, 0); // T - ttl == event_ts is still in; one micro later it is out
    }

    @Test
    void eventTimeBeatsCreatedTimeAndTiesGoToTheLatestCreated() {
        int[] featureKey = {0, 0, 0};
        long[] time = {4 * H, 4 * H, 3 * H};
        long[] created = {4 * H + 10, 4 * H + 20, 9 * H};
        assertThat(join(new int[] {0}, new long[] {6 * H}, featureKey, time, created, 0, false)).containsExactly(1);
    }

    @Test
    void theCreatedFilterDropsRowsCreatedAfterTheEntityTime() {
        int[] featureKey = {0, 0};
        long[] time = {2 * H, 4 * H};
        long[] created = {2 * H, 7 * H};
        assertThat(join(new int[] {0, 0}, new long[] {5 * H, 8 * H}, featureKey, time, created, 0, true))
                .containsExactly(0, 1);
        assertThat(join(new int[] {0, 0}, new long[] {5 * H, 8 * H}, featureKey, time, created, 0, false))
                .containsExactly(1, 1);
    }

    @Test
    void anExactTieGoesToTheRowStoredLast() {
        int[] featureKey = {0, 0, 0, 0};
        long[] time = {5 * H, 5 * H, 5 * H, 5 * H};
        long[] created = {6 * H, 6 * H, 6 * H, 4 * H};
        long[] order = {7, 9, 8, 10}; // row 3 was stored last but is created earlier: created still wins first
        assertThat(join(new int[] {0}, new long[] {5 * H}, featureKey, time, created, order, 0, false)).containsExactly(1);
        assertThat(join(new int[] {0}, new long[] {5 * H}, featureKey, time, created, new long[] {9, 7, 8, 10}, 0, false))
                .containsExactly(0);
    }

    @Test
    void keysDoNotMixAndDuplicateEntityRowsEachGetTheirMatch() {
        int[] match = join(new int[] {1, 0, 1, 1}, new long[] {5 * H, 5 * H, 5 * H, 1 * H},
                new int[] {0, 1, 2}, new long[] {1 * H, 2 * H, 3 * H}, none(3), 0, false);
        assertThat(match).containsExactly(1, 0, 1, -1);
    }

    @Test
    void negativeTimesBeforeTheEpochSortCorrectly() {
        int[] match = join(new int[] {0}, new long[] {-1 * H}, new int[] {0, 0}, new long[] {-3 * H, 2 * H}, none(2), 0, false);
        assertThat(match).containsExactly(0);
    }

    @Test
    void matchesABruteForceOracleOnRandomDataWithTies() {
        Random random = new Random(42);
        for (int round = 0; round < 30; round++) {
            // Every third round spans years, beyond what the packed fast path takes: the general sort runs.
            long unit = round % 3 == 0 ? 400 * 24 * H : H;
            int keys = 1 + random.nextInt(40);
            int nEntities = random.nextInt(400);
            int nFeatures = random.nextInt(3000);
            int[] ek = new int[nEntities];
            long[] et = new long[nEntities];
            for (int i = 0; i < nEntities; i++) {
                ek[i] = random.nextInt(keys);
                et[i] = random.nextInt(50) * unit; // coarse times: many ties with feature rows
            }
            int[] fk = new int[nFeatures];
            long[] ft = new long[nFeatures];
            long[] fc = new long[nFeatures];
            for (int i = 0; i < nFeatures; i++) {
                fk[i] = random.nextInt(keys);
                ft[i] = random.nextInt(50) * unit;
                fc[i] = random.nextInt(5) == 0 ? NO_TIME : ft[i] + random.nextInt(4) * H;
            }
            long[] order = shuffledOrder(nFeatures, random); // storage order unrelated to input order
            long ttl = random.nextBoolean() ? 0 : random.nextInt(10) * unit;
            boolean filter = random.nextBoolean();
            int[] got = join(ek, et, fk, ft, fc, order, ttl, filter);
            for (int e = 0; e < nEntities; e++) {
                // Exact ties go to the row stored last, so the answer is one row, not one of several.
                assertThat(got[e]).as("round %d entity %d", round, e).isEqualTo(oracle(ek[e], et[e], fk, ft, fc, order, ttl, filter));
            }
        }
    }

    /** Straight from the rules: scan every row, keep the best candidate. */
    private static int oracle(int key, long t, int[] fk, long[] ft, long[] fc, long[] order, long ttl, boolean filter) {
        int best = -1;
        for (int i = 0; i < fk.length; i++) {
            boolean candidate = fk[i] == key && ft[i] <= t && (ttl == 0 || ft[i] >= t - ttl)
                    && (!filter || fc[i] == NO_TIME || fc[i] <= t);
            if (candidate && (best == -1 || ft[i] > ft[best] || (ft[i] == ft[best] && fc[i] > fc[best])
                    || (ft[i] == ft[best] && fc[i] == fc[best] && order[i] > order[best]))) {
                best = i;
            }
        }
        return best;
    }

    private static long[] shuffledOrder(int n, Random random) {
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** Rows stored in input order. */
    private static int[] join(int[] ek, long[] et, int[] fk, long[] ft, long[] fc, long ttl, boolean filter) {
        long[] order = new long[fk.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return join(ek, et, fk, ft, fc, order, ttl, filter);
    }

    private static int[] join(int[] ek, long[] et, int[] fk, long[] ft, long[] fc, long[] order, long ttl, boolean filter) {
        int keys = 0;
        for (int k : ek) {
            keys = Math.max(keys, k + 1);
        }
        for (int k : fk) {
            keys = Math.max(keys, k + 1);
        }
        return PointInTimeJoin.join(keys, ek, et, fk, ft, fc, order, ttl, filter);
    }

    private static long[] none(int n) {
        long[] created = new long[n];
        java.util.Arrays.fill(created, NO_TIME);
        return created;
    }
}
