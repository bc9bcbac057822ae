package dev.seer.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.apache.datasketches.quantilescommon.KolmogorovSmirnov;
import org.junit.jupiter.api.Test;

class SketchDriftTest {
    private static final Map<String, double[]> REFERENCE = reference();

    @Test
    void exactModeStatisticsEqualScipyOnTheRawSamples() {
        NumericColumn a = column(REFERENCE.get("a"));
        NumericColumn b = column(REFERENCE.get("b"));

        NumericColumn.Ks ks = a.ks(b);

        assertThat(ks.statistic()).isCloseTo(REFERENCE.get("ks_statistic")[0], within(1e-15));
        assertThat(ks.errorBound()).isZero();
        assertThat(ks.n1()).isEqualTo(25);
        assertThat(ks.n2()).isEqualTo(15);
        assertThat(a.wasserstein(b)).isCloseTo(REFERENCE.get("wasserstein")[0], within(1e-12));
        assertThat(b.wasserstein(a)).isCloseTo(REFERENCE.get("wasserstein")[0], within(1e-12));
    }

    @Test
    void dataSketchesOwnDeltaUnderestimatesWhereTheFullWalkDoesNot() {
        NumericColumn a = column(REFERENCE.get("a"));
        NumericColumn b = column(REFERENCE.get("b"));

        // the reason this package walks every retained item itself (research §7.2)
        assertThat(KolmogorovSmirnov.computeKSDelta(a.sketch(), b.sketch()))
                .isLessThan(REFERENCE.get("ks_statistic")[0] - 0.02);
    }

    @Test
    void pValueIsScipysAsymptoticKolmogorovSurvival() {
        double[] lambdas = REFERENCE.get("kolmogorov_lambda");
        double[] expected = REFERENCE.get("kolmogorov_sf");
        for (int i = 0; i < lambdas.length; i++) {
            assertThat(SketchDrift.kolmogorovSurvival(lambdas[i])).as("lambda %s", lambdas[i])
                    .isCloseTo(expected[i], within(1e-12));
        }
        NumericColumn.Ks ks = column(REFERENCE.get("a")).ks(column(REFERENCE.get("b")));
        assertThat(ks.pValue()).isCloseTo(expected[expected.length - 1], within(1e-12));
        assertThat(SketchDrift.kolmogorovSurvival(0)).isEqualTo(1.0);
    }

    @Test
    void pmfAtInteriorSturgesEdgesIsNumpysHistogram() {
        double[] edges = REFERENCE.get("sturges_edges");
        double[] interior = Arrays.copyOfRange(edges, 1, edges.length - 1);

        assertThat(column(REFERENCE.get("a")).pmf(interior)).containsExactly(REFERENCE.get("hist_a"), within(1e-12));
        assertThat(column(REFERENCE.get("b")).pmf(interior)).containsExactly(REFERENCE.get("hist_b"), within(1e-12));
    }

    @Test
    void pmfRefusesSplitPointsThatAreNotIncreasing() {
        NumericColumn a = column(REFERENCE.get("a"));

        assertThatThrownBy(() -> a.pmf(new double[] {0, 0}))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("index [1]");
        assertThatThrownBy(() -> a.pmf(new double[] {Double.NaN}))
                .isInstanceOf(SeerException.class);
    }

    @Test
    void anEmptyColumnHasNoDataToCompare() {
        NumericColumn empty = new NumericColumn("x", 200);
        empty.update(Double.NaN);

        assertThatThrownBy(() -> empty.ks(column(REFERENCE.get("a"))))
                .isInstanceOf(SeerException.class).hasMessageContaining("[x] has no values (no data)");
        assertThatThrownBy(() -> empty.pmf(new double[] {0})).isInstanceOf(SeerException.class);
    }

    /**
     * In estimation mode the sketch KS must stay within e1 + e2 of the exact D on the raw samples,
     * and Wasserstein within (e1 + e2) * range; distributions with ties, tails and no overlap.
     */
    @Test
    void estimationModeStatisticsStayWithinTheRankErrorBound() {
        Random random = new Random(20261204);
        Map<String, DoubleSupplier[]> cases = new HashMap<>();
        cases.put("same normal", new DoubleSupplier[] {random::nextGaussian, random::nextGaussian});
        cases.put("normal shifted 0.1", new DoubleSupplier[] {random::nextGaussian, () -> random.nextGaussian() + 0.1});
        cases.put("normal vs wider normal", new DoubleSupplier[] {random::nextGaussian, () -> 1.5 * random.nextGaussian()});
        cases.put("exponential vs lognormal", new DoubleSupplier[] {
            () -> -Math.log(1 - random.nextDouble()), () -> Math.exp(random.nextGaussian() * 0.5)});
        cases.put("discrete with ties", new DoubleSupplier[] {
            () -> random.nextInt(10), () -> Math.min(random.nextInt(10), random.nextInt(12))});
        cases.put("disjoint", new DoubleSupplier[] {random::nextDouble, () -> 2 + random.nextDouble()});
        for (Map.Entry<String, DoubleSupplier[]> c : cases.entrySet()) {
            double[] x = draw(c.getValue()[0], 40_000);
            double[] y = draw(c.getValue()[1], 25_000);
            NumericColumn a = column(x);
            NumericColumn b = column(y);
            NumericColumn.Ks ks = a.ks(b);

            assertThat(ks.errorBound()).isCloseTo(2 * 0.013294757464848584, within(1e-12));
            assertThat(Math.abs(ks.statistic() - exactD(x, y))).as(c.getKey()).isLessThanOrEqualTo(ks.errorBound());
            double range = Math.max(a.max(), b.max()) - Math.min(a.min(), b.min());
            assertThat(Math.abs(a.wasserstein(b) - exactWasserstein(x, y))).as(c.getKey())
                    .isLessThanOrEqualTo(ks.errorBound() * range);
        }
    }

    @Test
    void onlyTheConservativePValueIgnoresSketchNoiseAtLargeN() {
        Random random = new Random(7);
        NumericColumn a = column(draw(random::nextGaussian, 50_000));
        NumericColumn same = column(draw(random::nextGaussian, 50_000));
        NumericColumn shifted = column(draw(() -> random.nextGaussian() + 0.2, 50_000));

        NumericColumn.Ks noShift = a.ks(same);
        NumericColumn.Ks shift = a.ks(shifted);

        // same distribution: the sketch's D error (< 0.027) alone can push the plain p-value under 0.05
        assertThat(noShift.conservativePValue()).isGreaterThan(0.05).isGreaterThanOrEqualTo(noShift.pValue());
        assertThat(shift.conservativePValue()).isLessThan(1e-10);
    }

    @Test
    void exactModeConservativePValueIsThePValue() {
        NumericColumn.Ks ks = column(REFERENCE.get("a")).ks(column(REFERENCE.get("b")));

        assertThat(ks.conservativePValue()).isEqualTo(ks.pValue());
    }

    static NumericColumn column(double[] values) {
        NumericColumn column = new NumericColumn("x", 200);
        for (double value : values) {
            column.update(value);
        }
        return column;
    }

    static double[] draw(DoubleSupplier supplier, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = supplier.getAsDouble();
        }
        return values;
    }

    /** The exact two-sample KS D: both ECDFs at every pooled value (as scipy.stats.ks_2samp). */
    static double exactD(double[] x, double[] y) {
        double[] a = x.clone();
        double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length || j < b.length) {
            double v = Math.min(i < a.length ? a[i] : Double.POSITIVE_INFINITY, j < b.length ? b[j] : Double.POSITIVE_INFINITY);
            while (i < a.length && a[i] <= v) {
                i++;
            }
            while (j < b.length && b[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
        }
        return d;
    }

    /** The exact Wasserstein-1 distance: the integral of |F1 - F2| (as scipy.stats.wasserstein_distance). */
    static double exactWasserstein(double[] x, double[] y) {
        double[] a = x.clone();
        double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int i = 0;
        int j = 0;
        double w = 0;
        double previous = Double.NaN;
        double gap = 0;
        while (i < a.length || j < b.length) {
            double v = Math.min(i < a.length ? a[i] : Double.POSITIVE_INFINITY, j < b.length ? b[j] : Double.POSITIVE_INFINITY);
            if (!Double.isNaN(previous)) {
                w += gap * (v - previous);
            }
            while (i < a.length && a[i] <= v) {
                i++;
            }
            while (j < b.length && b[j] <= v) {
                j++;
            }
            previous = v;
            gap = Math.abs((double) i / a.length - (double) j / b.length);
        }
        return w;
    }

    private static Map<String, double[]> reference() {
        try (InputStream in = SketchDriftTest.class.getResourceAsStream("/profile/reference.csv")) {
            Map<String, double[]> values = new HashMap<>();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            for (String line : lines) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(",");
                values.put(parts[0], Arrays.stream(parts, 1, parts.length).mapToDouble(Double::parseDouble).toArray());
            }
            return values;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
