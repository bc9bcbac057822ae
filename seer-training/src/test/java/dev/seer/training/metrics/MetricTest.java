package dev.seer.training.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.training.Task;
import dev.seer.training.TrainingErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The metric catalogue, argument errors, and the ranking metrics against their O(n·m) textbook definitions. */
class MetricTest {
    @Test
    void idsRoundTripAndUnknownIdsNameTheKnownOnes() {
        for (Metric metric : Metric.values()) {
            assertThat(Metric.parse(metric.id())).isSameAs(metric);
        }
        assertThat(Metric.ROC_AUC.id()).isEqualTo("roc_auc");
        assertThat(Metric.LOG_LOSS.id()).isEqualTo("log_loss");
        assertThatThrownBy(() -> Metric.parse("auc"))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(TrainingErrorCode.INVALID_SPEC))
                .hasMessageContaining("[auc]")
                .hasMessageContaining("roc_auc, pr_auc, log_loss, accuracy, f1, brier, rmse, mae, r2");
    }

    @Test
    void directionsAndTasks() {
        assertThat(List.of(Metric.values())).filteredOn(Metric::higherIsBetter)
                .containsExactly(Metric.ROC_AUC, Metric.PR_AUC, Metric.ACCURACY, Metric.F1, Metric.R2);
        assertThat(Metric.forTask(Task.BINARY)).containsExactly(Metric.ROC_AUC, Metric.PR_AUC, Metric.LOG_LOSS,
                Metric.ACCURACY, Metric.F1, Metric.BRIER);
        assertThat(Metric.forTask(Task.MULTICLASS)).containsExactly(Metric.ROC_AUC, Metric.PR_AUC, Metric.LOG_LOSS,
                Metric.ACCURACY, Metric.F1);
        assertThat(Metric.forTask(Task.REGRESSION)).containsExactly(Metric.RMSE, Metric.MAE, Metric.R2);
        assertThat(Metric.BRIER.appliesTo(Task.MULTICLASS)).isFalse();
    }

    @Test
    void badArgumentsAreRefusedNamingTheArgument() {
        double[] truth = {0, 1, 1};
        assertInvalid(() -> Scored.binary(truth, new double[] {0.1, 0.2}), "score", "[2] rows but truth has [3]");
        assertInvalid(() -> Scored.binary(truth, new double[] {0.1, 1.5, 0.2}), "score", "[1.5] at row [1]");
        assertInvalid(() -> Scored.binary(truth, new double[] {0.1, Double.NaN, 0.2}), "score", "[NaN]");
        assertInvalid(() -> Scored.binary(new double[] {0, Double.NaN, 1}, new double[] {0.1, 0.2, 0.3}), "truth",
                "[NaN] at row [1]");
        assertInvalid(() -> Scored.binary(new double[] {0, 2, 1}, new double[] {0.1, 0.2, 0.3}), "truth", "[2.0]");
        assertInvalid(() -> Scored.multiclass(new double[] {0, 1},
                new double[][] {{0.2, 0.3, 0.5}, {0.2, 0.3, 0.6}}), "probabilities", "row [1] sums to");
        assertInvalid(() -> Scored.multiclass(new double[] {0, 1}, new double[][] {{0.5, 0.5}, {0.2, 0.3, 0.5}}),
                "probabilities", "columns at row [1]");
        assertInvalid(() -> Scored.multiclass(new double[] {0, 3}, new double[][] {{0.5, 0.5, 0}, {0.2, 0.3, 0.5}}),
                "truth", "[3.0]");
        assertInvalid(() -> Scored.regression(new double[] {1, 2}, new double[] {1, Double.NaN}), "predicted",
                "[NaN]");
        assertInvalid(() -> Scored.regression(new double[0], new double[0]), "truth", "empty");
        Scored binary = Scored.binary(truth, new double[] {0.1, 0.8, 0.6});
        assertInvalid(() -> Metric.RMSE.value(binary), "metric", "[rmse] does not apply to task [binary]");
        assertInvalid(() -> Metric.ROC_AUC.value(binary, new int[] {0, 3}), "rows", "[3]");
        assertInvalid(() -> Metric.ROC_AUC.value(binary, new int[0]), "rows", "empty");
        assertInvalid(() -> ConfusionMatrix.of(Scored.regression(truth, truth)), "scored", "regression");
        assertInvalid(() -> CalibrationCurve.of(binary, 0, false), "bins", "[0]");
    }

    @Test
    void scoredIsACopy() {
        double[] truth = {0, 1, 1, 0};
        double[] p = {0.1, 0.8, 0.6, 0.7};
        Scored scored = Scored.binary(truth, p);
        double before = Metric.ROC_AUC.value(scored);
        p[0] = 0.9;
        scored.score()[1] = 0.0;
        assertThat(Metric.ROC_AUC.value(scored)).isEqualTo(before).isEqualTo(0.75);
    }

    @Test
    void binaryPredictionIsClassOneAboveOneHalfOnly() {
        Scored atHalf = Scored.binary(new double[] {0, 1}, new double[] {0.5, Math.nextUp(0.5)});
        assertThat(Metric.ACCURACY.value(atHalf)).isEqualTo(1.0);
        assertThat(ConfusionMatrix.of(atHalf).counts()).isEqualTo(new long[][] {{1, 0}, {0, 1}});
        assertThat(ConfusionMatrix.of(atHalf, 0.6).count(1, 0)).isEqualTo(1);
    }

    @Test
    void curvesAndMatricesAreValuesAndCheckTheirShape() {
        Scored scored = SklearnFixtures.dataset("binary_ties").scored();
        assertThat(ConfusionMatrix.of(scored)).isEqualTo(ConfusionMatrix.of(scored))
                .hasSameHashCodeAs(ConfusionMatrix.of(scored));
        assertThat(CalibrationCurve.of(scored, 5, true)).isEqualTo(CalibrationCurve.of(scored, 5, true))
                .isNotEqualTo(CalibrationCurve.of(scored, 5, false));
        assertInvalid(() -> new ConfusionMatrix(List.of("0", "1"), new long[][] {{1, 2}}), "counts", "[1] rows");
        assertInvalid(() -> new CalibrationCurve(new double[1], new double[2], new long[1]), "counts", "[1], [2], [1]");
    }

    @Test
    void rocAucIsTheMannWhitneyProbabilityWithTiesOneHalf() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            Scored scored = tiedBinary(random, 30 + trial * 7);
            assertThat(Metric.ROC_AUC.value(scored)).isCloseTo(mannWhitney(scored, null), within(1e-15));
            int[] rows = Bootstrap.resample(null, scored.rows(), random);
            assertThat(Metric.ROC_AUC.value(scored, rows)).isCloseTo(mannWhitney(scored, rows), within(1e-15));
        }
    }

    @Test
    void averagePrecisionIsTheMeanPrecisionAtEachPositivesScore() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 20; trial++) {
            Scored scored = tiedBinary(random, 30 + trial * 7);
            int[] rows = Bootstrap.resample(null, scored.rows(), random);
            assertThat(Metric.PR_AUC.value(scored, rows)).isCloseTo(meanPrecision(scored, rows), within(1e-13));
        }
    }

    @Test
    void rankingMetricsAreNaNWithoutBothClasses() {
        Scored negatives = Scored.binary(new double[] {0, 0}, new double[] {0.3, 0.6});
        assertThat(Metric.ROC_AUC.value(negatives)).isNaN();
        assertThat(Metric.PR_AUC.value(negatives)).isNaN();
        Scored mixed = Scored.binary(new double[] {0, 1}, new double[] {0.3, 0.6});
        assertThat(Metric.PR_AUC.value(mixed, new int[] {1, 1})).isNaN();
        assertThat(Metric.ROC_AUC.value(mixed, new int[] {0, 1, 1})).isEqualTo(1.0);
    }

    @Test
    void concurrentReplicatesShareOneRankingAndAgree() throws Exception {
        Scored scored = tiedBinary(new SplittableRandom(3), 5_000);
        int[] rows = Bootstrap.resample(null, scored.rows(), new SplittableRandom(4));
        double expected = mannWhitney(scored, rows);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> Metric.ROC_AUC.value(scored, rows)));
            }
            for (Future<Double> result : results) {
                assertThat(result.get()).isCloseTo(expected, within(1e-15));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Scores on a coarse grid, so that ties within and across classes are common. */
    static Scored tiedBinary(SplittableRandom random, int n) {
        double[] truth = new double[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = random.nextInt(2);
            score[i] = Math.min(1.0, random.nextInt(8) / 10.0 + 0.2 * truth[i]);
        }
        truth[0] = 0;
        truth[1] = 1;
        return Scored.binary(truth, score);
    }

    // P(score of a positive > score of a negative) + ½ P(equal), over all weighted pairs
    private static double mannWhitney(Scored scored, int[] rows) {
        int[] sample = rows == null ? allRows(scored.rows()) : rows;
        double[] truth = scored.truth();
        double[] score = scored.score();
        double wins = 0;
        long pairs = 0;
        for (int i : sample) {
            for (int j : sample) {
                if (truth[i] == 1 && truth[j] == 0) {
                    wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return wins / pairs;
    }

    // for each positive in the sample: positives scored at least as high / rows scored at least as high
    private static double meanPrecision(Scored scored, int[] sample) {
        double[] truth = scored.truth();
        double[] score = scored.score();
        double sum = 0;
        int positives = 0;
        for (int i : sample) {
            if (truth[i] == 1) {
                int above = 0;
                int positiveAbove = 0;
                for (int j : sample) {
                    if (score[j] >= score[i]) {
                        above++;
                        positiveAbove += (int) truth[j];
                    }
                }
                sum += (double) positiveAbove / above;
                positives++;
            }
        }
        return sum / positives;
    }

    private static int[] allRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private static void assertInvalid(ThrowingCallable call, String argument, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(TrainingErrorCode.INVALID_ARGUMENT);
            assertThat(e.details()).containsEntry("argument", argument);
        }).hasMessageContaining(messagePart);
    }
}
