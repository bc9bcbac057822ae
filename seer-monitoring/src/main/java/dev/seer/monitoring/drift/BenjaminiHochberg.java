package dev.seer.monitoring.drift;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini–Hochberg adjusted p-values (Y. Benjamini, Y. Hochberg, "Controlling the false discovery
 * rate: a practical and powerful approach to multiple testing", JRSS B 57(1), 1995), as statsmodels'
 * {@code multipletests(method='fdr_bh')} computes them: sort ascending, p_(i)·m/i, then a running
 * minimum from the largest down, clipped to 1. Rejecting where the adjusted p-value is below α is the
 * BH step-up procedure at level α, so one adjustment serves every column's own threshold.
 */
final class BenjaminiHochberg {
    private BenjaminiHochberg() {
    }

    /** A NaN p-value (a test that could not run) stays NaN and is not counted among the m tests, so it never spreads. */
    static double[] adjust(double[] p) {
        int[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).mapToInt(Integer::intValue).toArray();
        int m = order.length;
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, p[i] / ((double) rank / m));
            adjusted[i] = Math.min(running, 1.0);
        }
        return adjusted;
    }
}
