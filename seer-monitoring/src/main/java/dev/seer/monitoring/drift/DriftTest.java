package dev.seer.monitoring.drift;

/**
 * The univariate drift tests, with Evidently's display names, default thresholds and direction of
 * comparison (research doc §1.2): p-value tests flag drift when p &lt; threshold (Kolmogorov–Smirnov:
 * p &lt;= threshold, as Evidently compares it), distances when score &gt;= threshold.
 */
public enum DriftTest {
    /** Two-sample Kolmogorov–Smirnov, SciPy's {@code ks_2samp}; numeric columns only. */
    KS("K-S p_value", 0.05, true, false),
    /** Pearson chi-square goodness of fit of the current counts against the reference shares. */
    CHI_SQUARE("chi-square p_value", 0.05, true, true),
    /** Two-proportion Z-test, for columns with at most two values. */
    Z("Z-test p_value", 0.05, true, true),
    /** Wasserstein-1 distance divided by the reference's standard deviation; numeric columns only. */
    WASSERSTEIN("Wasserstein distance (normed)", 0.1, false, false),
    /** Jensen–Shannon distance (natural log) between the binned shares. */
    JENSEN_SHANNON("Jensen-Shannon distance", 0.1, false, true),
    /** Population stability index between the binned shares. */
    PSI("PSI", 0.1, false, true);

    private final String displayName;
    private final double defaultThreshold;
    private final boolean pValue;
    private final boolean categorical;

    DriftTest(String displayName, double defaultThreshold, boolean pValue, boolean categorical) {
        this.displayName = displayName;
        this.defaultThreshold = defaultThreshold;
        this.pValue = pValue;
        this.categorical = categorical;
    }

    /** The name Evidently shows for the test. */
    public String displayName() {
        return displayName;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether the test's score is a p-value (and so takes part in the false-discovery control). */
    public boolean isPValue() {
        return pValue;
    }

    /** Whether the test applies to categorical columns (all tests apply to numeric ones). */
    public boolean appliesToCategorical() {
        return categorical;
    }

    /** Drift decision for a score (p-value or distance) against a threshold. */
    public boolean drifted(double score, double threshold) {
        if (this == KS) {
            return score <= threshold;
        }
        return pValue ? score < threshold : score >= threshold;
    }

    /**
     * Evidently's default test ({@code registry.py::_get_default_stattest}): a reference of at most
     * 1000 rows is small; {@code distinct} counts the values of both samples pooled. Small: numeric
     * with more than 5 values → KS; otherwise chi-square above 2 values, Z-test at 2 or fewer. Large:
     * numeric with more than 5 values → normed Wasserstein, everything else → Jensen–Shannon.
     */
    public static DriftTest defaultFor(boolean numeric, long referenceRows, long distinct) {
        if (referenceRows <= 1000) {
            if (numeric && distinct > 5) {
                return KS;
            }
            return distinct > 2 ? CHI_SQUARE : Z;
        }
        return numeric && distinct > 5 ? WASSERSTEIN : JENSEN_SHANNON;
    }
}
