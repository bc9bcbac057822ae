package dev.seer.training.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down correction for testing several candidates at once (Holm 1979, "A simple
 * sequentially rejective multiple test procedure", Scandinavian Journal of Statistics 6:65–70),
 * with the semantics of statsmodels' {@code multipletests(pvals, alpha, method="holm")}: it
 * controls the family-wise error rate at α under any dependence between the tests.
 *
 * <p>With the m p-values sorted ascending, p(k) is rejected when p(j) ≤ α/(m − j + 1) for every
 * j ≤ k (the first failure stops the procedure). The adjusted p-values are the running maximum of
 * (m − k + 1)·p(k), capped at 1, returned in input order; tied p-values get the same adjusted value
 * whatever their order. {@link #reject} compares p(k) with α/(m − k + 1) as statsmodels does, rather
 * than the adjusted value with α, so that decisions agree with it to the last bit at the boundary.
 */
public final class Holm {
    private Holm() {}

    /** Adjusted p-values in input order. */
    public static double[] adjust(double[] pValues) {
        Integer[] order = ascending(pValues);
        int m = pValues.length;
        double[] adjusted = new double[m];
        double runningMax = 0;
        for (int k = 0; k < m; k++) {
            runningMax = Math.max(runningMax, Math.min(1, (m - k) * pValues[order[k]]));
            adjusted[order[k]] = runningMax;
        }
        return adjusted;
    }

    /** Which hypotheses Holm rejects at family-wise level {@code alpha}, in input order. */
    public static boolean[] reject(double[] pValues, double alpha) {
        Arguments.requireProbability(alpha, "alpha");
        Integer[] order = ascending(pValues);
        int m = pValues.length;
        boolean[] rejected = new boolean[m];
        for (int k = 0; k < m && pValues[order[k]] <= alpha / (m - k); k++) {
            rejected[order[k]] = true;
        }
        return rejected;
    }

    private static Integer[] ascending(double[] pValues) {
        Arguments.requireNonNull(pValues, "pValues");
        for (int i = 0; i < pValues.length; i++) {
            if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
                throw Arguments.invalid("pValues", "Argument [pValues] has [" + pValues[i] + "] at index [" + i
                        + "], not a probability in [0, 1]");
            }
        }
        Integer[] order = new Integer[pValues.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        return order;
    }
}
