package dev.seer.features.offline;

/**
 * Stable LSD radix sort of row indices by (key id, time, created time), 16 bits a pass. Passes
 * over digits where every value agrees (the high bits of timestamps, usually) are skipped.
 */
final class RadixSort {
    private static final int BITS = 16;
    private static final int BUCKETS = 1 << BITS;

    private RadixSort() {}

    private static final int TIME_BITS = 42;

    /** Indices 0..n-1 ordered by key, then time, then {@code created} (which may be null). */
    static int[] byKeyThenTime(int keyCount, int[] key, long[] time, long[] created) {
        int n = key.length;
        if (n == 0) {
            return new int[0];
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long t : time) {
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        if (keyCount <= (1 << (63 - TIME_BITS)) && max - min >= 0 && max - min < (1L << TIME_BITS)) {
            return packed(key, time, created, min);
        }
        return general(keyCount, key, time, created);
    }

    /**
     * The fast path: key and time (relative to the minimum, up to 51 days of microseconds) packed
     * in one long, sorted with the row index carried along; reads are sequential, not through
     * the index. Rows equal in key and time are then put in created order, run by run.
     */
    private static int[] packed(int[] key, long[] time, long[] created, long min) {
        int n = key.length;
        long[] values = new long[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = ((long) key[i] << TIME_BITS) | (time[i] - min);
            order[i] = i;
        }
        long[] valuesBuffer = new long[n];
        int[] orderBuffer = new int[n];
        int[] counts = new int[BUCKETS];
        for (int shift = 0; shift < 64; shift += BITS) {
            java.util.Arrays.fill(counts, 0);
            for (long v : values) {
                counts[(int) ((v >>> shift) & (BUCKETS - 1))]++;
            }
            if (counts[(int) ((values[0] >>> shift) & (BUCKETS - 1))] == n) {
                continue;
            }
            int sum = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int at = counts[(int) ((values[i] >>> shift) & (BUCKETS - 1))]++;
                valuesBuffer[at] = values[i];
                orderBuffer[at] = order[i];
            }
            long[] swapValues = values;
            values = valuesBuffer;
            valuesBuffer = swapValues;
            int[] swapOrder = order;
            order = orderBuffer;
            orderBuffer = swapOrder;
        }
        if (created != null) {
            sortTiesByCreated(values, order, created);
        }
        return order;
    }

    /** Insertion sort of each run of equal packed values by created time; runs are short. */
    private static void sortTiesByCreated(long[] values, int[] order, long[] created) {
        int start = 0;
        for (int i = 1; i <= values.length; i++) {
            if (i == values.length || values[i] != values[start]) {
                for (int j = start + 1; j < i; j++) {
                    int row = order[j];
                    int k = j - 1;
                    while (k >= start && created[order[k]] > created[row]) {
                        order[k + 1] = order[k];
                        k--;
                    }
                    order[k + 1] = row;
                }
                start = i;
            }
        }
    }

    /** Any keys and times: LSD over created, then time, through the index, then a counting sort by key. */
    private static int[] general(int keyCount, int[] key, long[] time, long[] created) {
        int n = key.length;
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
