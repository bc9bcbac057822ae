package dev.seer.training.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.training.Task;
import dev.seer.training.metrics.SklearnFixtures.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every metric, calibration curve and confusion matrix against scikit-learn 1.2.1's values in
 * {@code sklearn-metrics.json} (see {@code make_fixtures.py}). Tolerance 1e-12 relative (absolute near 0): both sides
 * compute the same formulas in doubles, differing only in summation order (numpy sums pairwise) and in the last bit
 * of a logarithm.
 */
class MetricParityTest {
    private static final double TOLERANCE = 1e-12;

    static Stream<Arguments> metricsOfDatasets() {
        List<Arguments> cases = new ArrayList<>();
        for (Dataset dataset : SklearnFixtures.datasets()) {
            for (Metric metric : Metric.forTask(dataset.scored().task())) {
                cases.add(Arguments.of(dataset.name(), metric));
            }
        }
        return cases.stream();
    }

    @Test
    void fixturesComeFromTheInstalledScikitLearn() {
        assertThat(SklearnFixtures.sklearnVersion()).isEqualTo("1.2.1");
        assertThat(SklearnFixtures.datasets()).hasSizeGreaterThanOrEqualTo(15);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("metricsOfDatasets")
    void matchesScikitLearn(String name, Metric metric) {
        Dataset dataset = SklearnFixtures.dataset(name);
        double expected = dataset.expected(metric);
        double actual = metric.value(dataset.scored());
        if (Double.isNaN(expected)) {
            assertThat(actual).as("undefined in the fixture").isNaN();
        } else {
            assertThat(actual).isCloseTo(expected, within(TOLERANCE * Math.max(1.0, Math.abs(expected))));
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("metricsOfDatasets")
    void allRowsAsIndicesGiveTheSameValue(String name, Metric metric) {
        Scored scored = SklearnFixtures.dataset(name).scored();
        int[] all = new int[scored.rows()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        // boxed, so that NaN equals NaN
        assertThat(Double.valueOf(metric.value(scored, all))).isEqualTo(Double.valueOf(metric.value(scored)));
    }

    /** The counting path of a replicate against the metric of the replicate built as its own Scored (sorted anew). */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("metricsOfDatasets")
    void resampleEqualsTheMaterialisedReplicate(String name, Metric metric) {
        Scored scored = SklearnFixtures.dataset(name).scored();
        SplittableRandom random = new SplittableRandom(name.hashCode() * 31L + metric.id().hashCode());
        for (int replicate = 0; replicate < 5; replicate++) {
            int[] rows = Bootstrap.resample(null, scored.rows(), random);
            double expected = metric.value(materialise(scored, rows));
            double actual = metric.value(scored, rows);
            if (Double.isNaN(expected)) {
                assertThat(actual).isNaN();
            } else {
                assertThat(actual).isCloseTo(expected, within(TOLERANCE * Math.max(1.0, Math.abs(expected))));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryDatasets")
    void calibrationCurvesMatchScikitLearn(String name) {
        Dataset dataset = SklearnFixtures.dataset(name);
        for (String strategy : List.of("uniform", "quantile")) {
            for (int bins : new int[] {5, 10}) {
                JsonNode expected = dataset.calibration(strategy + "_" + bins);
                CalibrationCurve curve = CalibrationCurve.of(dataset.scored(), bins, strategy.equals("quantile"));
                String label = strategy + " " + bins;
                assertClose(curve.meanPredicted(), SklearnFixtures.doubles(expected.path("mean_predicted")), label);
                assertClose(curve.fractionPositive(), SklearnFixtures.doubles(expected.path("fraction_positive")),
                        label);
                assertThat(curve.counts()).as(label).containsExactly(longs(expected.path("counts")));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classificationDatasets")
    void confusionMatricesMatchScikitLearn(String name) {
        Dataset dataset = SklearnFixtures.dataset(name);
        ConfusionMatrix matrix = ConfusionMatrix.of(dataset.scored());
        JsonNode expected = dataset.confusion();
        assertThat(matrix.counts()).hasNumberOfRows(expected.size());
        for (int truth = 0; truth < expected.size(); truth++) {
            assertThat(matrix.counts()[truth]).as("truth row %s", truth).containsExactly(longs(expected.get(truth)));
        }
        assertThat(matrix.classes()).hasSize(expected.size()).startsWith("0", "1");
    }

    @Test
    void theQuantileCurveDropsEmptyBinsWhenEdgesRepeat() {
        // binary_ties has scores on a 0.1 grid, so some deciles coincide and sklearn returns fewer points
        Dataset ties = SklearnFixtures.dataset("binary_ties");
        assertThat(CalibrationCurve.of(ties.scored(), 10, true).counts()).hasSizeLessThan(10);
        assertThat(CalibrationCurve.of(ties.scored()).counts()).hasSize(10);
    }

    static Stream<String> binaryDatasets() {
        return SklearnFixtures.datasets().stream().filter(d -> d.scored().task() == Task.BINARY).map(Dataset::name);
    }

    static Stream<String> classificationDatasets() {
        return SklearnFixtures.datasets().stream().filter(d -> d.scored().task() != Task.REGRESSION)
                .map(Dataset::name);
    }

    private static Scored materialise(Scored scored, int[] rows) {
        double[] truth = new double[rows.length];
        double[] score = new double[rows.length];
        double[][] probabilities = new double[rows.length][];
        double[] allTruth = scored.truth();
        double[] allScore = scored.score();
        double[][] allProbabilities = scored.probabilities();
        for (int t = 0; t < rows.length; t++) {
            truth[t] = allTruth[rows[t]];
            if (allScore != null) {
                score[t] = allScore[rows[t]];
            } else {
                probabilities[t] = allProbabilities[rows[t]];
            }
        }
        return switch (scored.task()) {
            case BINARY -> Scored.binary(truth, score);
            case MULTICLASS -> Scored.multiclass(truth, probabilities);
            case REGRESSION -> Scored.regression(truth, score);
        };
    }

    private static void assertClose(double[] actual, double[] expected, String label) {
        assertThat(actual).as(label).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s bin %s", label, i)
                    .isCloseTo(expected[i], within(TOLERANCE * Math.max(1.0, Math.abs(expected[i]))));
        }
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
