package dev.seer.monitoring.drift;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts per category (or per distinct numeric value) of the reference and the current sample over
 * the union of their non-missing values, in ascending key order, and the histogram Evidently bins
 * numeric columns into. Built from the already sorted samples, so no second sort.
 */
final class Frequencies {
    final long[] reference;
    final long[] current;
    final long referenceSize;
    final long currentSize;

    private Frequencies(long[] reference, long[] current, long referenceSize, long currentSize) {
        this.reference = reference;
        this.current = current;
        this.referenceSize = referenceSize;
        this.currentSize = currentSize;
    }

    /** Counts given directly (the reference counts play f_exp's part after scaling to the current size). */
    static Frequencies of(long[] reference, long[] current) {
        long r = 0;
        long c = 0;
        for (int i = 0; i < reference.length; i++) {
            r += reference[i];
            c += current[i];
        }
        return new Frequencies(reference.clone(), current.clone(), r, c);
    }

    int size() {
        return reference.length;
    }

    /** One bin per distinct value of the union of two sorted samples (run-length merge). */
    static Frequencies perValue(double[] ref, double[] cur) {
        int distinct = Samples.distinctUnion(ref, cur);
        long[] r = new long[distinct];
        long[] c = new long[distinct];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < ref.length || j < cur.length) {
            double v = i < ref.length && (j >= cur.length || ref[i] <= cur[j]) ? ref[i] : cur[j];
            int i0 = i;
            int j0 = j;
            while (i < ref.length && ref[i] == v) {
                i++;
            }
            while (j < cur.length && cur[j] == v) {
                j++;
            }
            r[k] = i - i0;
            c[k] = j - j0;
            k++;
        }
        return new Frequencies(r, c, ref.length, cur.length);
    }

    /** One bin per category of the union; keys sorted (as Evidently's chi-square and Z-test order them). */
    static Frequencies perCategory(Map<String, long[]> counts, long referenceSize, long currentSize) {
        TreeSet<String> keys = new TreeSet<>(counts.keySet());
        long[] r = new long[keys.size()];
        long[] c = new long[keys.size()];
        int k = 0;
        for (String key : keys) {
            long[] rc = counts.get(key);
            r[k] = rc[0];
            c[k] = rc[1];
            k++;
        }
        return new Frequencies(r, c, referenceSize, currentSize);
    }

    /** Category → {reference count, current count}; null entries are missing and skipped. */
    static Map<String, long[]> count(String[] ref, String[] cur) {
        Map<String, long[]> counts = new HashMap<>();
        for (String s : ref) {
            if (s != null) {
                counts.computeIfAbsent(s, key -> new long[2])[0]++;
            }
        }
        for (String s : cur) {
            if (s != null) {
                counts.computeIfAbsent(s, key -> new long[2])[1]++;
            }
        }
        return counts;
    }

    /**
     * Evidently's numeric binning ({@code get_binned_data}): equal-width bins over the pooled
     * min..max, their number by Sturges' rule as numpy's {@code histogram_bin_edges(bins='sturges')}
     * computes it (width = range/(log2(n)+1), count = ceil(range/width)), edges by numpy's
     * {@code linspace} (i·step + min, last edge = max), and counts by numpy's histogram rule: bins
     * are [e_i, e_(i+1)) except the last, which is closed.
     */
    static Frequencies sturges(double[] ref, double[] cur) {
        double lo = Math.min(ref[0], cur[0]);
        double hi = Math.max(ref[ref.length - 1], cur[cur.length - 1]);
        double[] edges = sturgesEdges(lo, hi, (long) ref.length + cur.length);
        return new Frequencies(histogram(ref, edges), histogram(cur, edges), ref.length, cur.length);
    }

    static double[] sturgesEdges(double lo, double hi, long n) {
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double range = hi - lo;
        double width = range / (log2(n) + 1.0);
        int bins = width != 0 ? (int) Math.ceil(range / width) : 1;
        double step = range / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            edges[i] = i * step + lo;
        }
        edges[bins] = hi;
        return edges;
    }

    private static double log2(long n) {
        if (Long.bitCount(n) == 1) {
            return Long.numberOfTrailingZeros(n);
        }
        return Math.log(n) / Math.log(2.0);
    }

    /** numpy's {@code histogram} with explicit edges on a sorted sample: searchsorted left, last edge right. */
    static long[] histogram(double[] sorted, double[] edges) {
        long[] counts = new long[edges.length - 1];
        int prev = lowerBound(sorted, edges[0]);
        for (int i = 1; i < edges.length; i++) {
            int at = i == edges.length - 1 ? upperBound(sorted, edges[i]) : lowerBound(sorted, edges[i]);
            counts[i - 1] = at - prev;
            prev = at;
        }
        return counts;
    }

    static int lowerBound(double[] a, double key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static int upperBound(double[] a, double key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Proportions count / sample size, as Evidently divides by the cleaned column's length. */
    double[] referenceShares() {
        return shares(reference, referenceSize);
    }

    double[] currentShares() {
        return shares(current, currentSize);
    }

    private static double[] shares(long[] counts, long size) {
        double[] p = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            p[i] = counts[i] / (double) size;
        }
        return p;
    }

    @Override
    public String toString() {
        return Arrays.toString(reference) + " / " + Arrays.toString(current);
    }
}
