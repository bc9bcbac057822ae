package dev.seer.training.stats;

/**
 * One test's outcome: statistic, two-sided p-value, effect (A minus B, in the metric's units) and
 * its confidence interval [low, high] at the confidence the test was asked for.
 *
 * @param test which test produced it ({@code nadeau-bengio}, {@code mcnemar-exact},
 *     {@code mcnemar-chi-square}, {@code delong}, {@code paired-bootstrap})
 */
public record TestResult(String test, double statistic, double pValue, double effect, double low, double high) {

    /** The decision at {@code alpha}: true when the two-sided p-value is at or below it. */
    public boolean rejects(double alpha) {
        Arguments.requireProbability(alpha, "alpha");
        return pValue <= alpha;
    }
}
