package dev.seer.training.metrics;

/**
 * numpy's default percentile (method "linear", Hyndman &amp; Fan type 7) step for step as numpy 1.24 computes it
 * ({@code numpy/lib/function_base.py}: {@code _quantile}, {@code _get_indexes}, {@code _lerp}), so quantile bin edges
 * fall on the same doubles as sklearn's and a value equal to an edge lands in the same bin.
 */
final class Quantiles {
    private Quantiles() {
    }

    /** The q-quantile (0 ≤ q ≤ 1) of ascending {@code sorted}. */
    static double linear(double[] sorted, double q) {
        int n = sorted.length;
        double virtualIndex = (n - 1) * q;
        double previous = Math.floor(virtualIndex);
        double gamma = virtualIndex - previous;
        if (virtualIndex >= n - 1) {
            return sorted[n - 1];
        }
        int below = (int) previous;
        return lerp(sorted[below], sorted[below + 1], gamma);
    }

    // numpy's _lerp: a + (b − a)·t, computed from b's side when t ≥ 0.5 for accuracy
    private static double lerp(double a, double b, double t) {
        double difference = b - a;
        return t >= 0.5 ? b - difference * (1 - t) : a + difference * t;
    }
}
