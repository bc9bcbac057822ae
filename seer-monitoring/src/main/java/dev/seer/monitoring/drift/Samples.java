package dev.seer.monitoring.drift;

import java.util.Arrays;

/** Cleaning and counting over numeric samples; each column is sorted once and reused by every test. */
final class Samples {
    private Samples() {
    }

    /** The finite values, sorted: NaN (missing) and ±inf are dropped, as Evidently drops them. */
    static double[] cleanSorted(double[] values) {
        double[] out = new double[values.length];
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                out[n++] = v;
            }
        }
        out = n == out.length ? out : Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    static int distinct(double[] sorted) {
        int d = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                d++;
            }
        }
        return d;
    }

    /** Distinct values of the union of two sorted samples (Evidently's pooled nunique). */
    static int distinctUnion(double[] a, double[] b) {
        int i = 0;
        int j = 0;
        int d = 0;
        while (i < a.length || j < b.length) {
            double v = i < a.length && (j >= b.length || a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.length && a[i] == v) {
                i++;
            }
            while (j < b.length && b[j] == v) {
                j++;
            }
            d++;
        }
        return d;
    }

    /** Population standard deviation (ddof = 0), two-pass as numpy's {@code std}. */
    static double std(double[] a) {
        double sum = 0;
        for (double v : a) {
            sum += v;
        }
        double mean = sum / a.length;
        double ss = 0;
        for (double v : a) {
            double dv = v - mean;
            ss += dv * dv;
        }
        return Math.sqrt(ss / a.length);
    }
}
