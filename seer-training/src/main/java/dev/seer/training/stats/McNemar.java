package dev.seer.training.stats;

/**
 * McNemar's test for two classifiers scored on the same held-out rows, with statsmodels'
 * semantics ({@code statsmodels.stats.contingency_tables.mcnemar}). Only the discordant rows
 * matter: b rows where only A is right, c rows where only B is right. Under the null each
 * discordant row is equally likely to go either way, so b ~ Binomial(b + c, 1/2).
 *
 * <ul>
 *   <li>{@link #exact} ({@code exact=True}): statistic min(b, c), p = min(1, 2·P(X ≤ min(b, c)))
 *       with X ~ Binomial(b + c, 1/2); no discordant rows gives p = 1.
 *   <li>{@link #chiSquare} ({@code exact=False}): statistic (|b − c| − k)²/(b + c), k = 1 with the
 *       continuity correction, p from chi-square with one degree of freedom. Where statsmodels
 *       divides 0 by 0 (b + c = 0) this returns statistic 0 and p = 1.
 * </ul>
 *
 * <p>The effect is the difference of accuracies, (b − c)/n. Its interval is Agresti and Min's
 * adjusted Wald interval for the difference of paired proportions (Agresti, Min 2005, "Simple
 * improved confidence intervals for comparing matched proportions", Statistics in Medicine
 * 24:729–740): add 1/2 to every cell of the 2×2 table (so b + 1/2, c + 1/2, n + 2) and apply the
 * Wald formula (b' − c')/n' ± z·√((b' + c') − (b' − c')²/n')/n', clipped to [−1, 1]. It needs only b,
 * c and n (Newcombe's interval needs all four cells), is defined when b = c = 0, and has near-nominal
 * coverage where the plain Wald interval does not.
 */
public final class McNemar {
    private static final double DEFAULT_CONFIDENCE = 0.95;

    private McNemar() {}

    /** The exact test with a 95% interval for the difference of accuracies. */
    public static TestResult exact(long onlyACorrect, long onlyBCorrect, long n) {
        return exact(onlyACorrect, onlyBCorrect, n, DEFAULT_CONFIDENCE);
    }

    /** The exact (binomial) test; see the class comment. */
    public static TestResult exact(long onlyACorrect, long onlyBCorrect, long n, double confidence) {
        checkCounts(onlyACorrect, onlyBCorrect, n);
        Arguments.requireProbability(confidence, "confidence");
        long smaller = Math.min(onlyACorrect, onlyBCorrect);
        long discordant = onlyACorrect + onlyBCorrect;
        double p = discordant == 0 ? 1 : Math.min(1, 2 * Distributions.binomialHalfCdf(smaller, discordant));
        return withInterval("mcnemar-exact", smaller, p, onlyACorrect, onlyBCorrect, n, confidence);
    }

    /** The chi-square test, with or without the continuity correction; see the class comment. */
    public static TestResult chiSquare(long onlyACorrect, long onlyBCorrect, long n, boolean continuityCorrection,
            double confidence) {
        checkCounts(onlyACorrect, onlyBCorrect, n);
        Arguments.requireProbability(confidence, "confidence");
        double discordant = onlyACorrect + onlyBCorrect;
        if (discordant == 0) {
            return withInterval("mcnemar-chi-square", 0, 1, 0, 0, n, confidence);
        }
        double gap = Math.abs(onlyACorrect - onlyBCorrect) - (continuityCorrection ? 1 : 0);
        double statistic = gap * gap / discordant;
        return withInterval("mcnemar-chi-square", statistic, Distributions.chiSquareOneSurvival(statistic),
                onlyACorrect, onlyBCorrect, n, confidence);
    }

    /** The exact test on per-row correctness of A and B over the same rows. */
    public static TestResult compare(boolean[] aCorrect, boolean[] bCorrect, double confidence) {
        Arguments.requireNonNull(aCorrect, "aCorrect");
        Arguments.requireNonNull(bCorrect, "bCorrect");
        Arguments.requireSameLength(bCorrect.length, "bCorrect", aCorrect.length, "aCorrect");
        if (aCorrect.length == 0) {
            throw Arguments.invalid("aCorrect", "Argument [aCorrect] is empty");
        }
        long onlyA = 0;
        long onlyB = 0;
        for (int i = 0; i < aCorrect.length; i++) {
            if (aCorrect[i] != bCorrect[i]) {
                if (aCorrect[i]) {
                    onlyA++;
                } else {
                    onlyB++;
                }
            }
        }
        return exact(onlyA, onlyB, aCorrect.length, confidence);
    }

    private static TestResult withInterval(String test, double statistic, double p, long onlyA, long onlyB, long n,
            double confidence) {
        double b = onlyA + 0.5;
        double c = onlyB + 0.5;
        double rows = n + 2.0;
        double centre = (b - c) / rows;
        double standardError = Math.sqrt((b + c) - (b - c) * (b - c) / rows) / rows;
        double halfWidth = Distributions.normalCritical(confidence) * standardError;
        return new TestResult(test, statistic, p, (double) (onlyA - onlyB) / n,
                Math.max(-1, centre - halfWidth), Math.min(1, centre + halfWidth));
    }

    private static void checkCounts(long onlyA, long onlyB, long n) {
        if (onlyA < 0 || onlyB < 0) {
            throw Arguments.invalid(onlyA < 0 ? "onlyACorrect" : "onlyBCorrect", "Arguments [onlyACorrect] ["
                    + onlyA + "] and [onlyBCorrect] [" + onlyB + "] must be >= 0");
        }
        if (n <= 0 || onlyA > n - onlyB) {
            throw Arguments.invalid("n", "Argument [n] [" + n + "] must be > 0 and at least onlyACorrect"
                    + " + onlyBCorrect [" + onlyA + " + " + onlyB + "]");
        }
    }
}
