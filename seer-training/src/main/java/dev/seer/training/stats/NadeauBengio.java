package dev.seer.training.stats;

/**
 * The corrected resampled t-test of Nadeau and Bengio (2003, "Inference for the Generalization
 * Error", Machine Learning 52:239–281), as extended to (repeated) k-fold cross-validation by
 * Bouckaert and Frank (2004, PAKDD).
 *
 * <p>The J fold differences d_j = metric(A) − metric(B) are not independent: their training sets
 * overlap, so the naive paired t-test's variance σ̂²/J is too small and the test rejects far too
 * often. Nadeau and Bengio approximate the correlation between folds by n_test/n and inflate the
 * variance of the mean to (1/J + n_test/n_train)·σ̂², σ̂² being the sample variance (divisor J − 1).
 * Then t = d̄ / √((1/J + n_test/n_train)·σ̂²) is referred to Student t with J − 1 degrees of
 * freedom; the interval is d̄ ± t_{J−1, (1+c)/2} times the same corrected standard error. For
 * k-fold CV repeated r times, J = k·r and n_test/n_train = 1/(k − 1). Applying a correction derived
 * for random subsampling to CV is a heuristic; docs/design/statistical-tests.md records how
 * calibrated it is in simulation at 5-fold and at repeated CV.
 *
 * <p>Zero spread: when every difference is 0 there is no evidence of a difference (t = 0, p = 1).
 * When every difference equals the same non-zero c, the test is at its limit as the spread shrinks
 * to 0: t = ±∞, p = 0 and the interval [c, c] — every fold agreed on the same non-zero gap, which is
 * the strongest evidence the data can give; this is also what scipy's ttest_1samp returns.
 */
public final class NadeauBengio {
    private NadeauBengio() {}

    /**
     * @param differences metric(A) − metric(B) on each of the J ≥ 2 splits
     * @param testToTrainRatio n_test/n_train of one split (1/(k − 1) for k-fold); 0 gives the
     *     uncorrected paired t-test
     * @param confidence level of the interval for the mean difference, in (0, 1)
     */
    public static TestResult test(double[] differences, double testToTrainRatio, double confidence) {
        Arguments.requireFinite(differences, "differences");
        if (differences.length < 2) {
            throw Arguments.invalid("differences", "Argument [differences] needs at least [2] folds, has ["
                    + differences.length + "]");
        }
        if (!(testToTrainRatio >= 0 && Double.isFinite(testToTrainRatio))) {
            throw Arguments.invalid("testToTrainRatio", "Argument [testToTrainRatio] must be finite and >= 0, was ["
                    + testToTrainRatio + "]");
        }
        Arguments.requireProbability(confidence, "confidence");
        if (allEqual(differences)) {
            return degenerate(differences[0]);
        }
        int folds = differences.length;
        double mean = mean(differences);
        double standardError = Math.sqrt((1.0 / folds + testToTrainRatio) * variance(differences, mean));
        double degreesOfFreedom = folds - 1;
        if (standardError == 0) { // testToTrainRatio 0 and a spread that underflows
            return degenerate(mean);
        }
        double t = mean / standardError;
        double halfWidth = Distributions.studentCritical(confidence, degreesOfFreedom) * standardError;
        return new TestResult("nadeau-bengio", t, Distributions.studentTwoSided(t, degreesOfFreedom),
                mean, mean - halfWidth, mean + halfWidth);
    }

    private static TestResult degenerate(double mean) {
        if (mean == 0) {
            return new TestResult("nadeau-bengio", 0, 1, 0, 0, 0);
        }
        return new TestResult("nadeau-bengio", Math.copySign(Double.POSITIVE_INFINITY, mean), 0, mean, mean, mean);
    }

    /** Checked on the values, not on a computed variance, which rounding can leave a hair above 0. */
    private static boolean allEqual(double[] values) {
        for (double value : values) {
            if (value != values[0]) {
                return false;
            }
        }
        return true;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** Two-pass sample variance (divisor n − 1): exactly 0 when all values are equal. */
    private static double variance(double[] values, double mean) {
        double sum = 0;
        for (double value : values) {
            double deviation = value - mean;
            sum += deviation * deviation;
        }
        return sum / (values.length - 1);
    }
}
