package dev.seer.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The simulation: repeated experiments streamed one outcome at a time, 50/50 to champion and challenger,
 * looked at after every 100 outcomes up to 10,000, each stopped at its first decision. Under A/A (no difference)
 * the mSPRT's rate of false decisions stays at or under alpha, where a plain two-sample t-test looked at the same
 * way far exceeds it; with a real difference the mSPRT promotes in almost every run, and its confidence sequence
 * covers the true difference. Seeded, so the figures are exact for this code: A/A accuracy, mSPRT 64 of 2,000
 * runs decided (38 promotions), the t-test 767; A/A squared error, 22 of 1,000 against 367; 0.84 against 0.80,
 * 495 of 500 promoted, after 3,132 outcomes on average, 14 of 500 sequences missing the truth. About 45 million
 * outcomes in all, some 10 s on a quiet machine: tagged integration.
 */
@Tag("integration")
class SequentialSimulationTest {
    private static final double ALPHA = 0.05;
    private static final int OUTCOMES = 10_000;
    private static final int LOOK_EVERY = 100;
    private static final ArmHealth HEALTHY = new ArmHealth(OUTCOMES, 0, 1);
    private static final Promotion ACCURACY = new Promotion(Direction.HIGHER_IS_BETTER,
            new Guardrails(0.01, 100, 100));
    private static final double[] T_CRITICAL = new double[OUTCOMES];

    /** What happened to a set of runs: the first decision of each test, and the mSPRT's coverage. */
    record Tally(int runs, int msprtPromoted, int msprtRolledBack, int tPromoted, int tRolledBack, int notCovered,
            long outcomesToPromotion) {
        double msprtFalseRate() {
            return (double) (msprtPromoted + msprtRolledBack) / runs;
        }

        double tFalseRate() {
            return (double) (tPromoted + tRolledBack) / runs;
        }
    }

    @Test
    void aaTestsOfAccuracyRarelyDecideWithTheMsprtAndOftenWithAPeekingTTest() {
        Tally tally = simulate(2000, 17, Outcome.BERNOULLI, 0.0,
                (random, challenger) -> random.nextDouble() < 0.8 ? 1 : 0);
        // binomial slack: 3 standard deviations of a rate of alpha over 2,000 runs is 0.0146
        double slack = 3 * Math.sqrt(ALPHA * (1 - ALPHA) / tally.runs());
        assertThat(tally.msprtFalseRate()).as("%s", tally).isLessThanOrEqualTo(ALPHA + slack);
        assertThat((double) tally.msprtPromoted() / tally.runs()).as("%s", tally).isLessThanOrEqualTo(ALPHA + slack);
        assertThat(tally.tFalseRate()).as("%s", tally).isGreaterThan(0.15);
        assertThat(tally.notCovered()).isEqualTo(tally.msprtPromoted() + tally.msprtRolledBack());
        System.out.println("A/A accuracy 0.8: " + tally);
    }

    @Test
    void aaTestsOfASkewedContinuousMetricStayUnderAlpha() {
        // squared errors of a normal residual: chi-square with one degree of freedom, mean 1, heavily skewed
        Tally tally = simulate(1000, 23, Outcome.CONTINUOUS, 0.0, (random, challenger) -> {
            double e = random.nextGaussian();
            return e * e;
        });
        double slack = 3 * Math.sqrt(ALPHA * (1 - ALPHA) / tally.runs());
        assertThat(tally.msprtFalseRate()).as("%s", tally).isLessThanOrEqualTo(ALPHA + slack);
        assertThat(tally.tFalseRate()).as("%s", tally).isGreaterThan(0.15);
        System.out.println("A/A squared error: " + tally);
    }

    @Test
    void aBetterChallengerIsPromotedInMostRunsAndTheSequenceCoversTheTruth() {
        // accuracy 0.84 against 0.80: a difference of 0.04, a tenth of a standard deviation
        Tally tally = simulate(500, 29, Outcome.BERNOULLI, 0.04,
                (random, challenger) -> random.nextDouble() < (challenger ? 0.84 : 0.80) ? 1 : 0);
        assertThat((double) tally.msprtPromoted() / tally.runs()).as("%s", tally).isGreaterThanOrEqualTo(0.9);
        assertThat(tally.msprtRolledBack()).as("%s", tally).isZero();
        double slack = 3 * Math.sqrt(ALPHA * (1 - ALPHA) / tally.runs());
        assertThat((double) tally.notCovered() / tally.runs()).as("%s", tally).isLessThanOrEqualTo(ALPHA + slack);
        System.out.println("0.84 against 0.80: " + tally + ", mean outcomes to promotion "
                + tally.outcomesToPromotion() / Math.max(1, tally.msprtPromoted()));
    }

    /**
     * Runs {@code runs} experiments of {@link #OUTCOMES} outcomes each; the mSPRT and the t-test each take
     * their first decision at a look; the confidence sequence is followed to the end, and a run counts as not
     * covered if its final interval (the intersection of all) leaves out the true difference.
     */
    private static Tally simulate(int runs, long seed, Outcome outcome, double trueDifference,
            ToDoubleBiFunction<SplittableRandom, Boolean> draw) {
        SplittableRandom seeds = new SplittableRandom(seed);
        int msprtPromoted = 0;
        int msprtRolledBack = 0;
        int tPromoted = 0;
        int tRolledBack = 0;
        int notCovered = 0;
        long outcomesToPromotion = 0;
        for (int run = 0; run < runs; run++) {
            SplittableRandom random = seeds.split();
            Msprt msprt = new Msprt(MsprtSettings.defaults(outcome));
            TTest tTest = new TTest();
            Verdict msprtVerdict = Verdict.CONTINUE;
            int tSign = 0;
            for (int i = 1; i <= OUTCOMES; i++) {
                boolean challenger = random.nextBoolean();
                double value = draw.applyAsDouble(random, challenger);
                if (challenger) {
                    msprt.addChallenger(value);
                } else {
                    msprt.addChampion(value);
                }
                tTest.add(challenger, value);
                if (i % LOOK_EVERY != 0) {
                    continue;
                }
                if (msprtVerdict == Verdict.CONTINUE) {
                    msprtVerdict = ACCURACY.decide(msprt.result(), HEALTHY).verdict();
                    if (msprtVerdict == Verdict.PROMOTE) {
                        outcomesToPromotion += i;
                    }
                }
                if (tSign == 0) {
                    tSign = tTest.significantSign();
                }
            }
            msprtPromoted += msprtVerdict == Verdict.PROMOTE ? 1 : 0;
            msprtRolledBack += msprtVerdict == Verdict.ROLLBACK ? 1 : 0;
            tPromoted += tSign > 0 ? 1 : 0;
            tRolledBack += tSign < 0 ? 1 : 0;
            MsprtResult end = msprt.result();
            notCovered += end.lower() < trueDifference && trueDifference < end.upper() ? 0 : 1;
        }
        return new Tally(runs, msprtPromoted, msprtRolledBack, tPromoted, tRolledBack, notCovered,
                outcomesToPromotion);
    }

    /** Student's two-sample t-test with pooled variance, two-sided at alpha, as a fixed-horizon test is read. */
    private static final class TTest {
        private final double[] count = new double[2];
        private final double[] sum = new double[2];
        private final double[] sumSquares = new double[2];

        void add(boolean challenger, double value) {
            int arm = challenger ? 1 : 0;
            count[arm]++;
            sum[arm] += value;
            sumSquares[arm] += value * value;
        }

        /** +1 if the challenger's mean is significantly higher, −1 lower, 0 neither. */
        int significantSign() {
            if (count[0] < 2 || count[1] < 2) {
                return 0;
            }
            double meanA = sum[0] / count[0];
            double meanB = sum[1] / count[1];
            double ssA = sumSquares[0] - count[0] * meanA * meanA;
            double ssB = sumSquares[1] - count[1] * meanB * meanB;
            int df = (int) (count[0] + count[1] - 2);
            double pooled = (ssA + ssB) / df;
            double t = (meanB - meanA) / Math.sqrt(pooled * (1 / count[0] + 1 / count[1]));
            return Math.abs(t) > critical(df) ? (t > 0 ? 1 : -1) : 0;
        }

        private static double critical(int df) {
            if (T_CRITICAL[df] == 0) {
                T_CRITICAL[df] = new TDistribution(null, df).inverseCumulativeProbability(1 - ALPHA / 2);
            }
            return T_CRITICAL[df];
        }
    }
}
