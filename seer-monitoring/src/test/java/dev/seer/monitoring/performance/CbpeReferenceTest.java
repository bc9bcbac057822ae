package dev.seer.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.DoubleStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares with the fixture written by seer-bench/src/main/python/cbpe_reference.py: the isotonic
 * fit and realised metrics with sklearn 1.2.1 (within 1e-12), the estimates with a transcription of
 * NannyML's formulas (within 1e-9).
 */
class CbpeReferenceTest {
    private static final Map<String, double[]> FIXTURE = read("/performance/cbpe_reference.txt");
    private static final String[] METRIC_NAMES = {"accuracy", "precision", "recall", "f1", "specificity", "roc_auc"};

    @ParameterizedTest
    @ValueSource(strings = {"miscalibrated", "ties", "own_labels", "small"})
    void isotonicFitEqualsSklearn(String name) {
        Isotonic isotonic = Isotonic.fit(get(name + ".ref_scores"), labels(name + ".ref_labels"), null);
        DoubleStream chunks = DoubleStream.empty();
        for (int k = 0; FIXTURE.containsKey(name + ".chunk" + k + ".scores"); k++) {
            chunks = DoubleStream.concat(chunks, Arrays.stream(get(name + ".chunk" + k + ".scores")));
        }
        double[] query = DoubleStream.concat(DoubleStream.concat(Arrays.stream(get(name + ".ref_scores")), chunks),
                Arrays.stream(get(name + ".iso_extra"))).toArray();
        assertThat(query).hasSameSizeAs(get(name + ".iso_value"));
        double[] expected = get(name + ".iso_value");
        double[] actual = isotonic.apply(query);
        for (int i = 0; i < query.length; i++) {
            assertThat(actual[i]).as("%s isotonic at %s", name, query[i]).isCloseTo(expected[i], within(1e-12));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"miscalibrated", "ties", "own_labels", "small"})
    void calibrationDecisionEqualsTranscription(String name) {
        boolean expected = get(name + ".needs_calibration")[0] == 1.0;
        assertThat(CalibrationCheck.needed(get(name + ".ref_scores"), labels(name + ".ref_labels"), 42))
                .isEqualTo(expected);
        assertThat(fit(name).calibrated()).isEqualTo(get(name + ".calibrated")[0] == 1.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"miscalibrated", "ties", "own_labels", "small"})
    void estimatesEqualNannyMlTranscription(String name) {
        Cbpe cbpe = fit(name);
        boolean own = get(name + ".options")[2] == 1.0;
        for (int k = 0; FIXTURE.containsKey(name + ".chunk" + k + ".scores"); k++) {
            String chunk = name + ".chunk" + k;
            double[] scores = get(chunk + ".scores");
            Estimate estimate = own ? cbpe.estimate(scores, labels(chunk + ".predicted")) : cbpe.estimate(scores);
            assertThat(estimate.rows()).isEqualTo(scores.length);
            for (int m = 0; m < METRIC_NAMES.length; m++) {
                double[] e = get(chunk + ".estimated." + METRIC_NAMES[m]);
                Estimate.Value v = estimate.get(Metric.values()[m]);
                String what = chunk + " " + METRIC_NAMES[m];
                assertThat(v.value()).as(what + " value").isCloseTo(e[0], within(1e-9));
                assertThat(v.samplingError()).as(what + " sampling error").isCloseTo(e[1], within(1e-9));
                assertThat(v.lower()).as(what + " lower").isCloseTo(e[2], within(1e-9));
                assertThat(v.upper()).as(what + " upper").isCloseTo(e[3], within(1e-9));
                assertThat(v.lowerThreshold()).as(what + " lower threshold").isCloseTo(e[4], within(1e-9));
                assertThat(v.upperThreshold()).as(what + " upper threshold").isCloseTo(e[5], within(1e-9));
                assertThat(v.alert()).as(what + " alert").isEqualTo(e[6] == 1.0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"miscalibrated", "ties", "own_labels", "small"})
    void realisedEqualsSklearn(String name) {
        boolean own = get(name + ".options")[2] == 1.0;
        for (int k = 0; FIXTURE.containsKey(name + ".chunk" + k + ".scores"); k++) {
            String chunk = name + ".chunk" + k;
            double[] scores = get(chunk + ".scores");
            int[] labels = labels(chunk + ".labels");
            Realised realised = own ? Realised.of(scores, labels(chunk + ".predicted"), labels) : Realised.of(scores, labels);
            for (int m = 0; m < METRIC_NAMES.length; m++) {
                double[] e = get(chunk + ".realised." + METRIC_NAMES[m]);
                Realised.Value v = realised.get(Metric.values()[m]);
                String what = chunk + " realised " + METRIC_NAMES[m];
                assertThat(v.value()).as(what).isCloseTo(e[0], within(1e-12));
                assertThat(v.lower()).as(what + " lower").isCloseTo(e[1], within(1e-12));
                assertThat(v.upper()).as(what + " upper").isCloseTo(e[2], within(1e-12));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"miscalibrated", "ties"})
    void theFixtureExercisesBothDecisionsAndAlerts(String name) {
        // Guards the fixture itself: a script change that made every case alike would hollow out the tests above.
        assertThat(get("miscalibrated.needs_calibration")[0]).isEqualTo(1.0);
        assertThat(get("ties.needs_calibration")[0]).isEqualTo(0.0);
        assertThat(get(name + ".ref_scores").length).isGreaterThan(1000);
    }

    private static Cbpe fit(String name) {
        double[] options = get(name + ".options");
        Cbpe.Calibration calibration = Cbpe.Calibration.values()[(int) options[1]];
        Cbpe.Options o = new Cbpe.Options(options[0], calibration, 10, 42);
        double[] scores = get(name + ".ref_scores");
        int[] labels = labels(name + ".ref_labels");
        return options[2] == 1.0 ? Cbpe.fit(scores, labels(name + ".ref_predicted"), labels, o)
                : Cbpe.fit(scores, labels, o);
    }

    private static double[] get(String key) {
        return Objects.requireNonNull(FIXTURE.get(key), () -> "fixture has no [" + key + "]");
    }

    private static int[] labels(String key) {
        return Arrays.stream(get(key)).mapToInt(v -> (int) v).toArray();
    }

    private static Map<String, double[]> read(String resource) {
        Map<String, double[]> out = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(CbpeReferenceTest.class.getResourceAsStream(resource), resource),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                double[] values = new double[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    values[i - 1] = Double.parseDouble(parts[i].toLowerCase(Locale.ROOT).equals("nan") ? "NaN" : parts[i]);
                }
                out.put(parts[0], values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
