package dev.seer.training.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each test by simulation: over {@value #DATASETS} datasets drawn under a true null its rejection
 * rate at α = 0.05 must be within ±0.015 of α (three Monte-Carlo standard errors are 0.0146), and
 * under a stated effect its power is printed and must clear a floor. Every simulation is seeded
 * (a SplittableRandom per test), so a run is deterministic. The figures go to stdout, which
 * surefire writes to target/surefire-reports/dev.seer.training.stats.CalibrationSimulationTest-output.txt;
 * docs/design/statistical-tests.md quotes them.
 */
class CalibrationSimulationTest {
    private static final int DATASETS = 2000;
    private static final double ALPHA = 0.05;
    private static final double TOLERANCE = 0.015;

    // ---- Nadeau-Bengio over cross-validation folds -----------------------------------------

    /**
     * Two symmetric learners: y = β₁x₁ + β₂x₂ + ε with x₁, x₂, ε iid N(0, 1); A fits y on x₁ by
     * least squares (with intercept), B fits y on x₂. With β₁ = β₂ they are equally good in
     * expectation; the fold differences are A's test MSE minus B's on each fold of k-fold CV,
     * repeated r times on fresh partitions, and the test uses n_test/n_train = 1/(k − 1).
     *
     * <p>What this finds (docs/design/statistical-tests.md has the grid): on one 5-fold run the
     * correction over-corrects — the folds' test sets are disjoint and these learners stable, so
     * the differences are nearly uncorrelated and the corrected test rejects about 1.4% of the time
     * at α = 5%, outside the ±0.015 band (conservative, never liberal). Repeated CV is where it is
     * calibrated: 5×2-fold (r = 5, k = 2) and 10×10-fold are inside the band, while the uncorrected
     * test rejects about half the time there. So the assertion at 5-fold is "not liberal", and the
     * calibration assertions are at 5×2 and 10×10.
     */
    @Test
    void nadeauBengioIsCalibratedOnRepeatedCrossValidationAndConservativeOnOneRun() {
        int n = 200;
        double[] fiveFold = nadeauBengioRates(n, 5, 1, 0.5, 0.5, 101);
        double[] fiveByTwo = nadeauBengioRates(n, 2, 5, 0.5, 0.5, 102);
        double[] tenByTen = nadeauBengioRates(n, 10, 10, 0.5, 0.5, 103);
        double power5 = nadeauBengioRates(n, 5, 1, 0.7, 0.4, 104)[0];
        double power5x2 = nadeauBengioRates(n, 2, 5, 0.7, 0.4, 105)[0];
        double power10x10 = nadeauBengioRates(n, 10, 10, 0.7, 0.4, 106)[0];
        report("nadeau-bengio 5-fold", "n=" + n + " beta=(0.5,0.5) seed=101", fiveFold[0]);
        report("  uncorrected paired t, same folds", "n=" + n + " beta=(0.5,0.5) seed=101", fiveFold[1]);
        report("nadeau-bengio 5x2-fold", "n=" + n + " beta=(0.5,0.5) seed=102", fiveByTwo[0]);
        report("  uncorrected paired t, same folds", "n=" + n + " beta=(0.5,0.5) seed=102", fiveByTwo[1]);
        report("nadeau-bengio 10x10-fold", "n=" + n + " beta=(0.5,0.5) seed=103", tenByTen[0]);
        report("  uncorrected paired t, same folds", "n=" + n + " beta=(0.5,0.5) seed=103", tenByTen[1]);
        report("nadeau-bengio 5-fold power", "n=" + n + " beta=(0.7,0.4) seed=104", power5);
        report("nadeau-bengio 5x2-fold power", "n=" + n + " beta=(0.7,0.4) seed=105", power5x2);
        report("nadeau-bengio 10x10-fold power", "n=" + n + " beta=(0.7,0.4) seed=106", power10x10);
        assertThat(fiveFold[0]).isLessThanOrEqualTo(ALPHA);
        assertThat(fiveByTwo[0]).isCloseTo(ALPHA, within(TOLERANCE));
        assertThat(tenByTen[0]).isCloseTo(ALPHA, within(TOLERANCE));
        assertThat(tenByTen[1]).isGreaterThan(0.3);
        assertThat(power5).isGreaterThan(0.15);
        assertThat(power5x2).isGreaterThan(0.4);
        assertThat(power10x10).isGreaterThan(0.5);
    }

    /** Rejection rates of the corrected test (index 0) and the uncorrected one (index 1) on the same folds. */
    private static double[] nadeauBengioRates(int n, int k, int repeats, double beta1, double beta2, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        double[] y = new double[n];
        int[] order = new int[n];
        int[] rejected = new int[2];
        for (int dataset = 0; dataset < DATASETS; dataset++) {
            for (int i = 0; i < n; i++) {
                x1[i] = random.nextGaussian();
                x2[i] = random.nextGaussian();
                y[i] = beta1 * x1[i] + beta2 * x2[i] + random.nextGaussian();
            }
            double[] differences = new double[k * repeats];
            for (int r = 0; r < repeats; r++) {
                shuffle(order, random);
                for (int fold = 0; fold < k; fold++) {
                    differences[r * k + fold] = foldMse(x1, y, order, k, fold) - foldMse(x2, y, order, k, fold);
                }
            }
            rejected[0] += NadeauBengio.test(differences, 1.0 / (k - 1), 0.95).rejects(ALPHA) ? 1 : 0;
            rejected[1] += NadeauBengio.test(differences, 0, 0.95).rejects(ALPHA) ? 1 : 0;
        }
        return new double[] {(double) rejected[0] / DATASETS, (double) rejected[1] / DATASETS};
    }

    /** Test MSE on fold {@code fold} of a 1-D least-squares line fitted on the other folds. */
    private static double foldMse(double[] x, double[] y, int[] order, int k, int fold) {
        double[] train = new double[5];
        double[] test = new double[5];
        for (int position = 0; position < order.length; position++) {
            int row = order[position];
            double[] sums = position % k == fold ? test : train;
            sums[0] += 1;
            sums[1] += x[row];
            sums[2] += y[row];
            sums[3] += x[row] * x[row];
            sums[4] += x[row] * y[row];
        }
        double slope = (train[4] - train[1] * train[2] / train[0]) / (train[3] - train[1] * train[1] / train[0]);
        double intercept = (train[2] - slope * train[1]) / train[0];
        double squared = 0;
        for (int position = fold; position < order.length; position += k) {
            double residual = y[order[position]] - intercept - slope * x[order[position]];
            squared += residual * residual;
        }
        return squared / test[0];
    }

    // ---- McNemar on held-out predictions --------------------------------------------------

    /** Each row: both right 0.7, only A right pA, only B right pB, both wrong the rest. */
    @Test
    void mcNemarIsCalibratedUnderTheNullAndHasPower() {
        int n = 1000;
        double nullRate = mcNemarRate(n, 0.1, 0.1, 201);
        double power = mcNemarRate(n, 0.12, 0.08, 202);
        report("mcnemar-exact", "n=" + n + " P(only A)=P(only B)=0.1 seed=201", nullRate);
        report("mcnemar-exact power", "n=" + n + " P(only A)=0.12 P(only B)=0.08 seed=202", power);
        assertThat(nullRate).isCloseTo(ALPHA, within(TOLERANCE));
        assertThat(power).isGreaterThan(0.5);
    }

    private static double mcNemarRate(int n, double onlyA, double onlyB, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] a = new boolean[n];
        boolean[] b = new boolean[n];
        int rejected = 0;
        for (int dataset = 0; dataset < DATASETS; dataset++) {
            for (int i = 0; i < n; i++) {
                double u = random.nextDouble();
                a[i] = u < 0.7 + onlyA;
                b[i] = u < 0.7 || u >= 0.7 + onlyA && u < 0.7 + onlyA + onlyB;
            }
            rejected += McNemar.compare(a, b, 0.95).rejects(ALPHA) ? 1 : 0;
        }
        return (double) rejected / DATASETS;
    }

    // ---- DeLong on held-out scores ----------------------------------------------------------

    /**
     * Binormal scores: a positive scores μ + e, a negative e, with A's and B's noise correlated
     * 0.5 (two models of the same rows). Equal μ means equal AUC.
     */
    @Test
    void deLongIsCalibratedUnderTheNullAndHasPower() {
        int n = 200;
        double nullRate = deLongRate(n, 1.0, 1.0, 301);
        double power = deLongRate(n, 1.4, 1.0, 302);
        report("delong", "n=" + n + " (half positive) mu=(1.0,1.0) rho=0.5 seed=301", nullRate);
        report("delong power", "n=" + n + " (half positive) mu=(1.4,1.0) rho=0.5 seed=302", power);
        assertThat(nullRate).isCloseTo(ALPHA, within(TOLERANCE));
        assertThat(power).isGreaterThan(0.5);
    }

    private static double deLongRate(int n, double muA, double muB, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] positive = new boolean[n];
        double[] a = new double[n];
        double[] b = new double[n];
        int rejected = 0;
        for (int dataset = 0; dataset < DATASETS; dataset++) {
            for (int i = 0; i < n; i++) {
                positive[i] = i % 2 == 0;
                double shared = random.nextGaussian();
                a[i] = (positive[i] ? muA : 0) + Math.sqrt(0.5) * (shared + random.nextGaussian());
                b[i] = (positive[i] ? muB : 0) + Math.sqrt(0.5) * (shared + random.nextGaussian());
            }
            rejected += DeLong.compare(positive, a, b, 0.95).rejects(ALPHA) ? 1 : 0;
        }
        return (double) rejected / DATASETS;
    }

    // ---- Paired bootstrap --------------------------------------------------------------------

    /**
     * Per-row squared errors of two regressors whose residuals are N(0, σ²_A) and N(0, σ²_B),
     * correlated 0.5; the metric is MSE, so the difference is the mean of the per-row differences.
     */
    @Test
    void pairedBootstrapIsCalibratedUnderTheNullAndHasPower() {
        int n = 200;
        int resamples = 499;
        double nullRate = bootstrapRate(n, 1.0, resamples, 401);
        double power = bootstrapRate(n, 1.3, resamples, 402);
        report("paired-bootstrap", "MSE n=" + n + " B=" + resamples + " sd=(1.0,1.0) rho=0.5 seed=401", nullRate);
        report("paired-bootstrap power", "MSE n=" + n + " B=" + resamples + " sd=(1.3,1.0) rho=0.5 seed=402", power);
        assertThat(nullRate).isCloseTo(ALPHA, within(TOLERANCE));
        assertThat(power).isGreaterThan(0.5);
    }

    private static double bootstrapRate(int n, double sdA, int resamples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] d = new double[n];
        int rejected = 0;
        for (int dataset = 0; dataset < DATASETS; dataset++) {
            for (int i = 0; i < n; i++) {
                double shared = random.nextGaussian();
                double residualA = sdA * Math.sqrt(0.5) * (shared + random.nextGaussian());
                double residualB = Math.sqrt(0.5) * (shared + random.nextGaussian());
                d[i] = residualA * residualA - residualB * residualB;
            }
            TestResult result = PairedBootstrap.compare(PairedBootstrapTest.meanOf(d), n, null, resamples, 0.95,
                    random.nextLong());
            rejected += result.rejects(ALPHA) ? 1 : 0;
        }
        return (double) rejected / DATASETS;
    }

    // ---- Holm across candidates ----------------------------------------------------------------

    /**
     * Five candidates against one baseline, each a two-sided z-test; the family-wise error rate
     * (any rejection when all five nulls hold) must be within ±0.015 of α. Under the effect two of
     * the five are truly better (z shifted by 3); power is the share of families rejecting both.
     */
    @Test
    void holmControlsTheFamilyWiseErrorAndHasPower() {
        double familyWise = holmRate(0, 501, false);
        double power = holmRate(3, 502, true);
        report("holm family-wise error", "m=5 independent z-tests seed=501", familyWise);
        report("holm power (both true effects found)", "m=5, two with z-shift 3 seed=502", power);
        assertThat(familyWise).isCloseTo(ALPHA, within(TOLERANCE));
        assertThat(power).isGreaterThan(0.4);
    }

    private static double holmRate(double shift, long seed, boolean countBothEffects) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] p = new double[5];
        int hits = 0;
        for (int family = 0; family < DATASETS; family++) {
            for (int i = 0; i < p.length; i++) {
                double z = random.nextGaussian() + (i < 2 ? shift : 0);
                p[i] = Distributions.normalTwoSided(z);
            }
            boolean[] rejected = Holm.reject(p, ALPHA);
            boolean hit = countBothEffects ? rejected[0] && rejected[1] : anyOf(rejected);
            hits += hit ? 1 : 0;
        }
        return (double) hits / DATASETS;
    }

    private static boolean anyOf(boolean[] values) {
        for (boolean value : values) {
            if (value) {
                return true;
            }
        }
        return false;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    private static void report(String test, String setting, double rate) {
        System.out.println(String.format(Locale.ROOT, "simulation %-40s alpha=%.2f datasets=%d rate=%.4f  %s",
                test, ALPHA, DATASETS, rate, setting));
    }
}
