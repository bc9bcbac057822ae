package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class KernelShapTest {
    /** A nonlinear model of 5 features with interactions of every order up to 3. */
    private static final ToDoubleFunction<double[]> NONLINEAR = x -> Math.sin(x[0] * x[1]) + Math.exp(0.3 * x[2]) * x[3]
            + Math.max(x[4], x[0]) + x[1] * x[2] * x[3] + (Double.isNaN(x[4]) ? 0.7 : 0);

    @Test
    void withEveryCoalitionEnumeratedTheValuesAreTheExactShapleyValuesOfTheBackgroundGame() {
        Random random = new Random(1);
        double[][] background = gaussian(random, 7, 5);
        double[] weights = {1, 2, 3, 1, 5, 1, 2};
        BackgroundSummary summary = BackgroundSummary.of(background, weights);
        FunctionModel model = FunctionModel.value(5, NONLINEAR);
        KernelShap shap = KernelShap.of(model, summary, KernelShap.AUTO, 3);
        for (int r = 0; r < 5; r++) {
            double[] x = gaussian(random, 1, 5)[0];
            Attribution a = shap.explain(x).get(0);
            double[] exact = bruteForce(x, background, weights, row -> NONLINEAR.applyAsDouble(row));
            assertThat(a.contributions()).containsExactly(exact, within(1e-9));
            assertThat(a.sum()).isCloseTo(a.value(), within(1e-9));
            assertThat(a.value()).isCloseTo(NONLINEAR.applyAsDouble(x), within(1e-12));
            assertThat(a.scale()).isEqualTo(Scale.VALUE);
        }
    }

    @Test
    void classProbabilitiesGetOneExactAttributionPerClassOnTheProbabilityScale() {
        Random random = new Random(2);
        double[][] background = gaussian(random, 6, 4);
        double[] weights = {1, 1, 1, 1, 1, 1};
        FunctionModel model = new FunctionModel(4, "class-probabilities(3)", KernelShapTest::softmax);
        KernelShap shap = KernelShap.of(model, background, KernelShap.AUTO, 5);
        assertThat(shap.outputs()).containsExactly("class 0", "class 1", "class 2");
        double[] x = gaussian(random, 1, 4)[0];
        List<Attribution> all = shap.explain(x);
        assertThat(all).hasSize(3);
        for (int c = 0; c < 3; c++) {
            int cls = c;
            double[] exact = bruteForce(x, background, weights, row -> softmax(row)[cls]);
            assertThat(all.get(c).contributions()).containsExactly(exact, within(1e-9));
            assertThat(all.get(c).scale()).isEqualTo(Scale.PROBABILITY);
            assertThat(all.get(c).sum()).isCloseTo(softmax(x)[c], within(1e-9));
        }
    }

    @Test
    void valuesAddUpToTheOutputOnEveryRowInSamplingMode() {
        Random random = new Random(3);
        int m = 20;
        ToDoubleFunction<double[]> f = x -> Math.tanh(x[0] * x[5] + x[7]) + x[3] * x[3] * x[19] + Math.sin(x[11] + x[12] + x[13]);
        KernelShap shap = KernelShap.of(FunctionModel.value(m, f), gaussian(random, 10, m), KernelShap.AUTO, 7);
        for (double[] x : gaussian(random, 8, m)) {
            Attribution a = shap.explain(x).get(0);
            assertThat(a.sum()).isCloseTo(f.applyAsDouble(x), within(1e-9));
            assertThat(a.base()).isEqualTo(shap.expected()[0]);
        }
    }

    @Test
    void aLinearModelGetsItsExactLinearShapValuesWhetherEnumeratedOrSampled() {
        for (int m : new int[] {6, 20}) {
            Random random = new Random(m);
            double[] w = random.doubles(m, -2, 2).toArray();
            ToDoubleFunction<double[]> f = x -> {
                double s = 0.5;
                for (int i = 0; i < m; i++) {
                    s += w[i] * x[i];
                }
                return s;
            };
            double[][] background = gaussian(random, 12, m);
            KernelShap shap = KernelShap.of(FunctionModel.value(m, f), background, KernelShap.AUTO, 11);
            for (double[] x : gaussian(random, 4, m)) {
                double[] phi = shap.explain(x).get(0).contributions();
                for (int i = 0; i < m; i++) {
                    double mean = 0;
                    for (double[] b : background) {
                        mean += b[i] / background.length;
                    }
                    assertThat(phi[i]).as("feature %d of %d", i, m).isCloseTo(w[i] * (x[i] - mean), within(1e-9));
                }
            }
        }
    }

    /**
     * M = 20 in sampling mode against references computed without enumerating the 20-player game:
     * the model is a sum of terms of at most 3 features each, so its game is the sum of the terms'
     * games and each term's Shapley values come from its own 2^3 coalitions.
     */
    @Test
    void inSamplingModeTheValuesApproachTheExactValuesAndTheErrorFallsWithMoreSamples() {
        int m = 20;
        List<Term> terms = List.of(new Term(new int[] {0, 1}, x -> x[0] * x[1]),
                new Term(new int[] {2, 3, 4}, x -> Math.tanh(x[2] + x[3] * x[4])),
                new Term(new int[] {5}, x -> Math.sin(2 * x[5])),
                new Term(new int[] {6, 7}, x -> Math.max(x[6], x[7])),
                new Term(new int[] {8, 9, 10}, x -> x[8] * x[9] * x[10]),
                new Term(new int[] {11, 12}, x -> Math.exp(0.5 * (x[11] - x[12]))),
                new Term(new int[] {13, 14, 15, 16, 17, 18, 19}, x -> 0.3 * (x[13] + x[14] - x[15] + x[16] + x[17] - x[18] + x[19])));
        ToDoubleFunction<double[]> f = x -> terms.stream().mapToDouble(t -> t.f.applyAsDouble(x)).sum();
        Random random = new Random(4);
        double[][] background = gaussian(random, 15, m);
        double[][] rows = gaussian(random, 6, m);
        FunctionModel model = FunctionModel.value(m, f);
        double small = 0;
        double auto = 0;
        double large = 0;
        for (double[] x : rows) {
            double[] exact = new double[m];
            for (Term t : terms) {
                t.addShapley(x, background, exact);
            }
            for (long seed = 0; seed < 3; seed++) {
                small += rmse(KernelShap.of(model, background, 200, seed).explain(x).get(0).contributions(), exact);
                double[] phi = KernelShap.of(model, background, KernelShap.AUTO, seed).explain(x).get(0).contributions();
                auto += rmse(phi, exact);
                large += rmse(KernelShap.of(model, background, 10_000, seed).explain(x).get(0).contributions(), exact);
                assertThat(phi).containsExactly(exact, within(0.1 * scale(exact)));
            }
        }
        assertThat(auto).isLessThan(small);
        assertThat(large).isLessThan(auto);
        assertThat(auto / (rows.length * 3)).isLessThan(0.02);
    }

    @Test
    void theSameSeedRepeatsExactlyAndAnotherSeedDoesNot() {
        Random random = new Random(5);
        int m = 20;
        ToDoubleFunction<double[]> f = x -> Math.tanh(x[0] * x[1] + x[2]) + x[3] * x[4] * x[5] + Math.sin(x[6] - x[19]);
        double[][] background = gaussian(random, 10, m);
        double[][] rows = gaussian(random, 3, m);
        List<List<Attribution>> first = KernelShap.of(FunctionModel.value(m, f), background, KernelShap.AUTO, 42).explainAll(rows);
        KernelShap again = KernelShap.of(FunctionModel.value(m, f), background, KernelShap.AUTO, 42);
        assertThat(again.explain(rows[2])).isEqualTo(first.get(2));
        assertThat(again.explainAll(rows)).isEqualTo(first);
        List<Attribution> other = KernelShap.of(FunctionModel.value(m, f), background, KernelShap.AUTO, 43).explain(rows[0]);
        assertThat(other.get(0).contributions()).isNotEqualTo(first.get(0).get(0).contributions());
    }

    @Test
    void aDummyFeatureGetsZeroAndSymmetricFeaturesGetEqualValues() {
        ToDoubleFunction<double[]> f = x -> Math.exp(x[0] + x[1]) * x[3] + x[4];
        double[][] background = {{0, 0, 5, 1, 2}, {1, 1, -3, 0, 1}, {-1, -1, 2, 2, 0}};
        double[] x = {0.5, 0.5, 9, -1, 3};
        Attribution a = KernelShap.of(FunctionModel.value(5, f), background, KernelShap.AUTO, 1).explain(x).get(0);
        assertThat(a.contribution(2)).isCloseTo(0, within(1e-12));
        assertThat(a.contribution(0)).isCloseTo(a.contribution(1), within(1e-12));
    }

    @Test
    void aFeatureEqualToEveryBackgroundValueGetsZeroAndOneVaryingFeatureGetsTheWholeDifference() {
        ToDoubleFunction<double[]> f = x -> x[0] * x[1] + (Double.isNaN(x[2]) ? 1 : x[2]);
        double[][] background = {{1, 2, Double.NaN}, {1, 3, Double.NaN}};
        KernelShap shap = KernelShap.of(FunctionModel.value(3, f), background, KernelShap.AUTO, 1);
        assertThat(shap.varying(new double[] {1, 5, Double.NaN})).containsExactly(1);
        Attribution a = shap.explain(new double[] {1, 5, Double.NaN}).get(0);
        assertThat(a.contributions()).containsExactly(0, 5 - 2.5, 0);
        assertThat(shap.explain(new double[] {1, 2, Double.NaN}).get(0).contributions()).containsExactly(0, -0.5, 0);
    }

    @Test
    void aRowsCoalitionsArePredictedInFewBoundedBatchesWhateverTheChunk() {
        int m = 8;
        ToDoubleFunction<double[]> f = x -> Math.sin(x[0] * x[1]) + x[2] * x[3] * x[7] + Math.abs(x[4] - x[5]) * x[6];
        Random random = new Random(6);
        double[][] background = gaussian(random, 9, m);
        double[] x = gaussian(random, 1, m)[0];
        FunctionModel batched = FunctionModel.value(m, f);
        Attribution big = KernelShap.of(batched, background, KernelShap.AUTO, 3).explain(x).get(0);
        assertThat(batched.calls.get()).isEqualTo(3); // background, x, and the 254 coalitions × 9 rows in one call
        FunctionModel chunked = FunctionModel.value(m, f);
        Attribution small = new KernelShap(chunked, BackgroundSummary.of(background), KernelShap.AUTO, 3, 9 * m * 10)
                .explain(x).get(0);
        assertThat(chunked.largestCall.get()).isEqualTo(90);
        assertThat(chunked.calls.get()).isEqualTo(2 + (254 + 9) / 10);
        assertThat(small).isEqualTo(big);
    }

    @Test
    void badArgumentsAreRefusedNamingTheField() {
        FunctionModel model = FunctionModel.value(3, x -> x[0]);
        assertThatThrownBy(() -> KernelShap.of(model, new double[0][], KernelShap.AUTO, 1))
                .isInstanceOf(SeerException.class).hasMessageContaining("no rows")
                .satisfies(e -> assertThat(((SeerException) e).details()).containsEntry("field", "background"));
        assertThatThrownBy(() -> KernelShap.of(model, new double[][] {{1, 2, 3}, {1, 2}}, KernelShap.AUTO, 1))
                .isInstanceOf(SeerException.class).hasMessageContaining("row [1]")
                .satisfies(e -> assertThat(((SeerException) e).details()).containsEntry("field", "background"));
        assertThatThrownBy(() -> KernelShap.of(model, BackgroundSummary.of(new double[][] {{1, 2}}), KernelShap.AUTO, 1))
                .isInstanceOf(SeerException.class).hasMessageContaining("the model takes [3]");
        assertThatThrownBy(() -> KernelShap.of(model, new double[][] {{1, 2, 3}}, 1, 1))
                .isInstanceOf(SeerException.class).hasMessageContaining("nsamples")
                .satisfies(e -> assertThat(((SeerException) e).details()).containsEntry("field", "nsamples"));
        assertThatThrownBy(() -> KernelShap.of(model, new double[][] {{1, 2, 3}}, -5, 1))
                .isInstanceOf(SeerException.class).hasMessageContaining("nsamples");
        assertThatThrownBy(() -> BackgroundSummary.of(new double[][] {{1, 2, 3}}, new double[] {-1}))
                .isInstanceOf(SeerException.class)
                .satisfies(e -> assertThat(((SeerException) e).details()).containsEntry("field", "weights"));
        assertThatThrownBy(() -> KernelShap.of(model, new double[][] {{1, 2, 3}}, KernelShap.AUTO, 1).explain(new double[] {1, 2}))
                .isInstanceOf(SeerException.class).hasMessageContaining("[2] values");
    }

    @Test
    void aLargeBackgroundIsSummarisedByKMeans() {
        Random random = new Random(8);
        double[][] background = gaussian(random, 400, 3);
        FunctionModel model = FunctionModel.value(3, x -> x[0] + x[1] * x[2]);
        KernelShap.of(model, background, KernelShap.AUTO, 1);
        assertThat(model.largestCall.get()).isEqualTo(KernelShap.SUMMARY_CLUSTERS);
    }

    // ---- references computed independently of KernelShap ----

    /** Shapley values of v(S) = Σ_b w_b f(x_S, b_~S) / Σ w, by enumerating every coalition. */
    static double[] bruteForce(double[] x, double[][] background, double[] weights, ToDoubleFunction<double[]> f) {
        int m = x.length;
        double[] v = new double[1 << m];
        double total = java.util.Arrays.stream(weights).sum();
        for (int s = 0; s < v.length; s++) {
            for (int b = 0; b < background.length; b++) {
                double[] row = background[b].clone();
                for (int i = 0; i < m; i++) {
                    if ((s >> i & 1) == 1) {
                        row[i] = x[i];
                    }
                }
                v[s] += weights[b] * f.applyAsDouble(row) / total;
            }
        }
        return ShapleyGames.values(v, m);
    }

    /** A term of a model on a few features: its Shapley values come from its own small game. */
    record Term(int[] features, ToDoubleFunction<double[]> f) {
        void addShapley(double[] x, double[][] background, double[] phi) {
            int k = features.length;
            double[] v = new double[1 << k];
            for (int s = 0; s < v.length; s++) {
                for (double[] b : background) {
                    double[] row = b.clone();
                    for (int i = 0; i < k; i++) {
                        if ((s >> i & 1) == 1) {
                            row[features[i]] = x[features[i]];
                        }
                    }
                    v[s] += f.applyAsDouble(row) / background.length;
                }
            }
            double[] local = ShapleyGames.values(v, k);
            for (int i = 0; i < k; i++) {
                phi[features[i]] += local[i];
            }
        }
    }

    private static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    private static double scale(double[] exact) {
        return java.util.Arrays.stream(exact).map(Math::abs).max().orElse(1);
    }

    static double[][] gaussian(Random random, int rows, int width) {
        double[][] out = new double[rows][width];
        for (double[] row : out) {
            for (int j = 0; j < width; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return out;
    }

    private static double[] softmax(double[] x) {
        double[] z = {x[0] * x[1], Math.sin(x[2]) + x[3], 0.5 * x[0] * x[3] - x[2] * x[2]};
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < 3; c++) {
            z[c] /= sum;
        }
        return z;
    }
}
