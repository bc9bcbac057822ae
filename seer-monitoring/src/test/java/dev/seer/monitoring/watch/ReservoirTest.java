package dev.seer.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Arrays;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class ReservoirTest {
    private static Reservoir filled(long seed, int capacity, int rows) {
        Reservoir r = Reservoir.create(2, capacity, seed);
        for (int i = 0; i < rows; i++) {
            r.offer(new double[] {i, -i});
        }
        return r;
    }

    @Test
    void everyRowOfTheStreamIsKeptWithTheSameProbability() {
        int capacity = 10;
        int stream = 100;
        int seeds = 4000;
        long[] kept = new long[stream];
        for (long seed = 0; seed < seeds; seed++) {
            Reservoir r = filled(seed * 7919, capacity, stream);
            for (int i = 0; i < r.size(); i++) {
                kept[(int) r.row(i)[0]]++;
            }
        }
        double expected = (double) seeds * capacity / stream;
        double chiSquare = Arrays.stream(kept).mapToDouble(k -> (k - expected) * (k - expected) / expected).sum();
        double critical = new ChiSquaredDistribution(stream - 1).inverseCumulativeProbability(0.999);
        assertThat(chiSquare).as("chi-square of the rows' inclusion counts").isLessThan(critical);
        // the first rows (kept at first) and the last (offered once) are not favoured either way
        assertThat(kept[0]).isBetween((long) (expected * 0.75), (long) (expected * 1.25));
        assertThat(kept[stream - 1]).isBetween((long) (expected * 0.75), (long) (expected * 1.25));
    }

    @Test
    void eachSlotHoldsAnyRowOfTheStreamAlike() {
        // slot s holds row s until replaced: over many seeds, which row a slot ends with must not depend on the slot
        int capacity = 5;
        int stream = 50;
        long[][] counts = new long[capacity][2]; // per slot: rows from the first half, rows from the second
        for (long seed = 1; seed <= 4000; seed++) {
            Reservoir r = filled(seed, capacity, stream);
            for (int s = 0; s < capacity; s++) {
                counts[s][r.row(s)[0] < stream / 2.0 ? 0 : 1]++;
            }
        }
        for (long[] slot : counts) {
            double share = (double) slot[0] / (slot[0] + slot[1]);
            assertThat(share).isBetween(0.45, 0.55);
        }
    }

    @Test
    void theSameSeedAndRowsGiveTheSameSampleAndAnotherSeedAnother() {
        assertThat(filled(42, 20, 1000).toBytes()).isEqualTo(filled(42, 20, 1000).toBytes());
        assertThat(filled(43, 20, 1000).toBytes()).isNotEqualTo(filled(42, 20, 1000).toBytes());
    }

    @Test
    void keepsEveryRowUntilFullThenExactlyItsCapacity() {
        Reservoir small = filled(1, 10, 7);
        assertThat(small.size()).isEqualTo(7);
        assertThat(small.column(0)).containsExactly(0, 1, 2, 3, 4, 5, 6);
        Reservoir full = filled(1, 10, 5000);
        assertThat(full.size()).isEqualTo(10);
        assertThat(full.seen()).isEqualTo(5000);
        for (int i = 0; i < full.size(); i++) {
            double[] row = full.row(i);
            assertThat(row[1]).isEqualTo(-row[0]); // rows are kept whole
        }
    }

    @Test
    void aReservoirReadBackFromItsBytesGoesOnAsTheOriginalWould() {
        Reservoir original = filled(9, 50, 300);
        Reservoir read = Reservoir.fromBytes(original.toBytes());
        assertThat(read.toBytes()).isEqualTo(original.toBytes());
        assertThat(read.width()).isEqualTo(2);
        assertThat(read.capacity()).isEqualTo(50);
        assertThat(read.seen()).isEqualTo(300);
        for (int i = 300; i < 2000; i++) {
            original.offer(new double[] {i, -i});
            read.offer(new double[] {i, -i});
        }
        assertThat(read.toBytes()).isEqualTo(original.toBytes());
        assertThat(Reservoir.fromBytes(Reservoir.create(3, 10, 0).toBytes()).size()).isZero();
    }

    @Test
    void damagedBytesAreCorruptState() {
        byte[] bytes = filled(3, 10, 40).toBytes();
        byte[] flipped = bytes.clone();
        flipped[40] ^= 1;
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 8);
        for (byte[] bad : new byte[][] {flipped, cut, new byte[5], null}) {
            assertThatThrownBy(() -> Reservoir.fromBytes(bad)).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.CORRUPT_STATE));
        }
    }

    @Test
    void aRowOfAnotherWidthIsIncompatible() {
        Reservoir r = Reservoir.create(3, 10, 0);
        assertThatThrownBy(() -> r.offer(new double[] {1, 2})).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INCOMPATIBLE));
        assertThat(r.seen()).isZero();
    }
}
