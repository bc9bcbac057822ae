package dev.seer.features;

/**
 * Stable LSD radix sort of row indices by (key id, time, created time), 16 bits a pass. Passes
 * over digits where every value agrees (the high bits of timestamps, usually) are skipped.
 */
final class RadixSort {
    private static final int BITS = 16;
    private static final int BUCKETS = 1 << BITS;

    private RadixSort() {}

    /** Indices 0..n-1 ordered by key, then time, then {@code created} (which may be null). */
    static int[] byKeyThenTime(int keyCount, int[] key, long[] time, long[] created) {
        int n = key.length;
        if (n == 0) {
            return new int[0];
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] buffer = new int[n];
        if (created != null) {
            order = sortByLong(order, buffer, created);
            buffer = order == buffer ? new int[n] : buffer;
        }
        int[] byTime = sortByLong(order, buffer, time);
        int[] spare = byTime == order ? buffer : order;
        return countingSortByKey(byTime, spare, key, keyCount);
    }

    /** Sorts {@code order} by {@code values} (signed, stable); returns whichever array holds the result. */
    private static int[] sortByLong(int[] order, int[] buffer, long[] values) {
        int[] from = order;
        int[] to = buffer;
        int[] counts = new int[BUCKETS];
        for (int shift = 0; shift < 64; shift += BITS) {
            java.util.Arrays.fill(counts, 0);
            for (int index : from) {
                counts[digit(values[index], shift)]++;
            }
            if (counts[digit(values[from[0]], shift)] == from.length) {
                continue; // all share this digit: the pass would change nothing
            }
            int sum = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }
            for (int index : from) {
                to[counts[digit(values[index], shift)]++] = index;
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        return from;
    }

    /** The digit at {@code shift}, with the sign bit flipped so that negative values sort first. */
    private static int digit(long value, int shift) {
        return (int) (((value ^ Long.MIN_VALUE) >>> shift) & (BUCKETS - 1));
    }

    private static int[] countingSortByKey(int[] order, int[] out, int[] key, int keyCount) {
        int[] counts = new int[keyCount + 1];
        for (int index : order) {
            counts[key[index] + 1]++;
        }
        for (int k = 0; k < keyCount; k++) {
            counts[k + 1] += counts[k];
        }
        for (int index : order) {
            out[counts[key[index]]++] = index;
        }
        return out;
    }
}
