package dev.seer.monitoring.performance;

/**
 * SplitMix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number generators"):
 * a generator small enough to be written the same way in the Python reference script, so that
 * the calibration check's shuffled splits, and therefore its decision, are the same on both
 * sides. {@link java.util.Random} would tie the fixture to Java's LCG.
 */
final class SplitMix64 {
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A value in [0, bound): the unsigned remainder; its bias (below 2^-40 here) does not matter for shuffling. */
    int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    /** Fisher-Yates from the last position down, the order the Python script follows. */
    void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
