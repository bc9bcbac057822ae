package dev.seer.training.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.training.metrics.SklearnFixtures.Dataset;
import dev.seer.training.Task;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/**
 * The percentile bootstrap: determinism, stratification, and the coverage of its 95 % interval in simulations
 * where the true value is known analytically.
 */
class BootstrapTest {
    @Test
    void intervalsContainThePointValueForEveryMetricOfTheFixtures() {
        for (Dataset dataset : SklearnFixtures.datasets()) {
            if (dataset.scored().rows() < 100) {
                continue;
            }
            for (Metric metric : Metric.forTask(dataset.scored().task())) {
                Interval interval = Bootstrap.interval(metric, dataset.scored(), 200, 0.95, 42);
                assertThat(interval.value()).as("%s on %s", metric, dataset.name())
                        .isEqualTo(metric.value(dataset.scored()))
                        .isBetween(interval.low(), interval.high());
                assertThat(interval.low()).isLessThan(interval.high());
                assertThat(interval.resamples()).isEqualTo(200);
                assertThat(interval.confidence()).isEqualTo(0.95);
            }
        }
    }

    @Test
    void theSameSeedRepeatsExactlyAndAnotherSeedDoesNot() {
        Scored scored = SklearnFixtures.dataset("binary_continuous").scored();
        Interval first = Bootstrap.interval(Metric.ROC_AUC, scored, 300, 0.9, 7);
        assertThat(Bootstrap.interval(Metric.ROC_AUC, scored, 300, 0.9, 7)).isEqualTo(first);
        assertThat(Bootstrap.interval(Metric.ROC_AUC, scored, 300, 0.9, 8)).isNotEqualTo(first);
    }

    @Test
    void severalMetricsShareReplicatesAndAgreeWithOneAtATime() {
        Scored scored = SklearnFixtures.dataset("multiclass_k4").scored();
        List<Metric> metrics = Metric.forTask(Task.MULTICLASS);
        Map<Metric, Interval> together = Bootstrap.intervals(metrics, scored, 150, 0.8, 99);
        assertThat(together).containsOnlyKeys(metrics);
        for (Metric metric : metrics) {
            assertThat(together.get(metric)).isEqualTo(Bootstrap.interval(metric, scored, 150, 0.8, 99));
        }
    }

    @Test
    void theIntervalIsThePercentileOfTheReplicatesDrawnWithThePublicResample() {
        // the replicates rebuilt outside Bootstrap: stratified by class, one SplittableRandom(seed) in sequence
        Scored scored = SklearnFixtures.dataset("binary_ties").scored();
        SplittableRandom random = new SplittableRandom(5);
        int[] strata = Arrays.stream(scored.truth()).mapToInt(v -> (int) v).toArray();
        double[] replicates = new double[101];
        for (int b = 0; b < replicates.length; b++) {
            replicates[b] = Metric.F1.value(scored, Bootstrap.resample(strata, scored.rows(), random));
        }
        Arrays.sort(replicates);
        Interval interval = Bootstrap.interval(Metric.F1, scored, 101, 0.5, 5);
        // 101 sorted values: the 25 % and 75 % quantiles fall exactly on positions 25 and 75
        assertThat(interval.low()).isEqualTo(replicates[25]);
        assertThat(interval.high()).isEqualTo(replicates[75]);
        assertThat(replicates[25]).isLessThan(replicates[75]);
    }

    @Test
    void stratifiedResamplesKeepEveryStratumAndItsSize() {
        int[] strata = {2, 0, 0, 1, 0, 2, 0, 0, 0, 0};
        SplittableRandom random = new SplittableRandom(1);
        for (int replicate = 0; replicate < 200; replicate++) {
            int[] rows = Bootstrap.resample(strata, strata.length, random);
            int[] sizes = new int[3];
            for (int row : rows) {
                sizes[strata[row]]++;
            }
            assertThat(sizes).containsExactly(7, 1, 2);
        }
        int[] plain = Bootstrap.resample(null, 1000, random);
        assertThat(plain).hasSize(1000);
        assertThat(Arrays.stream(plain).min().orElseThrow()).isNotNegative();
        assertThat(Arrays.stream(plain).max().orElseThrow()).isLessThan(1000);
        assertThat(Arrays.stream(plain).distinct().count()).as("about 1 − 1/e of the rows").isBetween(580L, 680L);
    }

    @Test
    void aRareClassNeverLeavesAReplicateUndefined() {
        // 3 positives in 200 rows: an unstratified replicate misses them all with probability (197/200)^200 ≈ 5 %
        double[] truth = new double[200];
        double[] p = new double[200];
        for (int i = 0; i < 200; i++) {
            truth[i] = i < 3 ? 1 : 0;
            p[i] = (i * 37 % 200) / 200.0;
        }
        Interval interval = Bootstrap.interval(Metric.ROC_AUC, Scored.binary(truth, p), 1000, 0.95, 3);
        assertThat(interval.resamples()).isEqualTo(1000);
        assertThat(interval.low()).isLessThan(interval.value()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void anUndefinedMetricGivesAnUndefinedInterval() {
        Scored negatives = Scored.binary(new double[] {0, 0, 0}, new double[] {0.1, 0.5, 0.9});
        Interval interval = Bootstrap.interval(Metric.ROC_AUC, negatives, 100, 0.95, 1);
        assertThat(interval.value()).isNaN();
        assertThat(interval.low()).isNaN();
        assertThat(interval.resamples()).isZero();
    }

    @Test
    void badArgumentsAreRefused() {
        Scored scored = SklearnFixtures.dataset("regression").scored();
        assertThatThrownBy(() -> Bootstrap.interval(Metric.RMSE, scored, 0, 0.95, 1))
                .isInstanceOf(SeerException.class).hasMessageContaining("[resamples]");
        assertThatThrownBy(() -> Bootstrap.interval(Metric.RMSE, scored, 100, 1.0, 1))
                .isInstanceOf(SeerException.class).hasMessageContaining("[confidence]");
        assertThatThrownBy(() -> Bootstrap.resample(new int[] {0, -1}, 2, new SplittableRandom(1)))
                .isInstanceOf(SeerException.class).hasMessageContaining("[strata]");
    }

    /**
     * Binormal scores: negatives N(0, 1), positives N(1, 1), squashed by the logistic (monotone, so the AUC is kept).
     * True AUC = Φ(1/√2) = 0.7602. 1,000 datasets of 100 + 100 rows, 200 resamples each: the binomial standard error
     * of the coverage is 0.007; the percentile interval is known to run a little narrow at this size, so the accepted
     * band is [0.92, 0.975].
     */
    @Test
    void rocAucIntervalsCoverTheTrueAuc() {
        double trueAuc = new NormalDistribution().cumulativeProbability(1 / Math.sqrt(2));
        SplittableRandom random = new SplittableRandom(2026);
        int covered = 0;
        for (int dataset = 0; dataset < 1000; dataset++) {
            double[] truth = new double[200];
            double[] p = new double[200];
            for (int i = 0; i < 200; i++) {
                truth[i] = i % 2;
                p[i] = 1 / (1 + Math.exp(-(truth[i] + gaussian(random))));
            }
            Interval interval = Bootstrap.interval(Metric.ROC_AUC, Scored.binary(truth, p), 200, 0.95, dataset);
            covered += interval.low() <= trueAuc && trueAuc <= interval.high() ? 1 : 0;
        }
        System.out.printf("ROC AUC 95%% percentile bootstrap coverage: %.3f (1000 datasets)%n", covered / 1000.0);
        assertThat(covered / 1000.0).isBetween(0.92, 0.975);
    }

    /**
     * Errors N(0, 1): true RMSE = 1. Same design and band as the AUC simulation, 400 rows per dataset (at 200 rows the
     * interval of a root mean square covers about 0.93: the percentile method's known narrowness at small n).
     */
    @Test
    void rmseIntervalsCoverTheTrueRmse() {
        SplittableRandom random = new SplittableRandom(2027);
        int covered = 0;
        for (int dataset = 0; dataset < 1000; dataset++) {
            double[] truth = new double[400];
            double[] predicted = new double[400];
            for (int i = 0; i < 400; i++) {
                truth[i] = 5 * random.nextDouble();
                predicted[i] = truth[i] + gaussian(random);
            }
            Interval interval = Bootstrap.interval(Metric.RMSE, Scored.regression(truth, predicted), 200, 0.95,
                    dataset);
            covered += interval.low() <= 1.0 && 1.0 <= interval.high() ? 1 : 0;
        }
        System.out.printf("RMSE 95%% percentile bootstrap coverage: %.3f (1000 datasets)%n", covered / 1000.0);
        assertThat(covered / 1000.0).isBetween(0.92, 0.975);
    }

    /** Not a timed assertion: prints the cost of the training pipeline's largest case. */
    @Test
    void printsTheTimeOfAThousandResampleRocAucIntervalOnOneHundredThousandRows() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 100_000;
        double[] truth = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextDouble() < 0.3 ? 1 : 0;
            p[i] = Math.round(1000 / (1 + Math.exp(-(truth[i] + gaussian(random))))) / 1000.0;
        }
        Scored scored = Scored.binary(truth, p);
        long start = System.nanoTime();
        double value = Metric.ROC_AUC.value(scored);
        long sorted = System.nanoTime();
        Interval interval = Bootstrap.interval(Metric.ROC_AUC, scored, 1000, 0.95, 1);
        long end = System.nanoTime();
        System.out.printf("ROC AUC, 100,000 rows: first value (sorts) %d ms; 1,000-resample interval %d ms; %s%n",
                (sorted - start) / 1_000_000, (end - sorted) / 1_000_000, interval);
        assertThat(interval.value()).isEqualTo(value);
        assertThat(interval.resamples()).isEqualTo(1000);
        assertThat(interval.high() - interval.low()).isBetween(0.001, 0.02);
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller; SplittableRandom has no nextGaussian on Java 17
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
