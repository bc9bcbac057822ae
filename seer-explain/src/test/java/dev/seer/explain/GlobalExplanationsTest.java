package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Permutation importance, partial dependence with ICE, and the SHAP summary, on models whose answers are known. */
class GlobalExplanationsTest {
    private static final List<String> NAMES = List.of("a", "b", "unused");
    /** y = a + 2b: feature "unused" never matters. */
    private static final Predictor ADDITIVE = rows -> java.util.Arrays.stream(rows)
            .map(r -> new double[] {r[0] + 2 * r[1]}).toArray(double[][]::new);
    private static final Scorer RMSE = new Scorer() {
        @Override
        public String name() {
            return "rmse";
        }

        @Override
        public boolean higherIsBetter() {
            return false;
        }

        @Override
        public double score(double[][] predictions, double[] labels) {
            double sum = 0;
            for (int i = 0; i < labels.length; i++) {
                sum += Math.pow(predictions[i][0] - labels[i], 2);
            }
            return Math.sqrt(sum / labels.length);
        }
    };

    private static double[][] rows(int n, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[n][3];
        for (double[] row : rows) {
            for (int j = 0; j < 3; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return rows;
    }

    @Test
    void permutationImportanceRanksWhatTheModelUsesAndGivesAnUnusedFeatureExactlyNothing() {
        double[][] rows = rows(400, 1);
        double[] labels = java.util.Arrays.stream(ADDITIVE.predict(rows)).mapToDouble(p -> p[0]).toArray();
        PermutationImportance importance = PermutationImportance.compute(ADDITIVE, rows, labels, NAMES, RMSE, 10, 7, 0.95);
        assertThat(importance.baseline()).isZero();
        PermutationImportance.Feature a = importance.features().get(0);
        PermutationImportance.Feature b = importance.features().get(1);
        PermutationImportance.Feature unused = importance.features().get(2);
        assertThat(unused.mean()).isZero();
        assertThat(unused.low()).isZero();
        assertThat(unused.high()).isZero();
        assertThat(a.low()).isPositive(); // the interval excludes zero
        assertThat(b.low()).isGreaterThan(a.high()); // doubling a feature's weight doubles its shuffle's damage
        // shuffling a standard normal column adds an error of sd sqrt(2) times the weight: sqrt(2) and 2 sqrt(2)
        assertThat(a.mean()).isCloseTo(Math.sqrt(2), within(0.15));
        assertThat(b.mean()).isCloseTo(2 * Math.sqrt(2), within(0.3));
        assertThat(PermutationImportance.compute(ADDITIVE, rows, labels, NAMES, RMSE, 10, 7, 0.95)).isEqualTo(importance);
        assertThatThrownBy(() -> PermutationImportance.compute(ADDITIVE, rows, labels, NAMES, RMSE, 1, 7, 0.95))
                .isInstanceOf(SeerException.class).hasMessageContaining("repeats >= 2");
    }

    @Test
    void partialDependenceOfAnAdditiveModelIsTheFeaturesEffectAndItsIceCurvesAreParallel() {
        double[][] rows = rows(200, 2);
        PartialDependence pd = PartialDependence.compute(ADDITIVE, rows, NAMES, 1, 0, 11);
        assertThat(pd.grid()).hasSize(11);
        double[] sortedB = java.util.Arrays.stream(rows).mapToDouble(r -> r[1]).sorted().toArray();
        assertThat(pd.grid()[0]).isBetween(sortedB[9], sortedB[10]); // the 5th percentile
        assertThat(pd.grid()[10]).isBetween(sortedB[188], sortedB[190]); // the 95th
        double meanA = java.util.Arrays.stream(rows).mapToDouble(r -> r[0]).average().orElseThrow();
        for (int g = 0; g < pd.grid().length; g++) {
            assertThat(pd.average()[g]).isCloseTo(meanA + 2 * pd.grid()[g], within(1e-12));
            for (int r = 0; r < rows.length; r++) {
                assertThat(pd.ice()[r][g] - pd.ice()[r][0]).isCloseTo(2 * (pd.grid()[g] - pd.grid()[0]), within(1e-12));
            }
        }
        double[][] coarse = {{0, 1, 0}, {0, 3, 0}, {0, Double.NaN, 0}, {0, 1, 0}};
        assertThat(PartialDependence.compute(ADDITIVE, coarse, NAMES, 1, 0, 10).grid()).containsExactly(1, 3);
        assertThatThrownBy(() -> PartialDependence.compute(ADDITIVE, new double[][] {{0, Double.NaN, 0}}, NAMES, 1, 0, 10))
                .isInstanceOf(SeerException.class).hasMessageContaining("Feature [b] is missing in every row");
    }

    @Test
    void theShapSummaryIsTheMeanAbsoluteContributionAndKeepsTheDependenceData() {
        LinearModel model = new LinearModel(NAMES, new double[] {1, 2, 0}, 0, LinearModel.Link.IDENTITY,
                new double[] {0, 0, 0});
        Explainer explainer = new LinearExplainer(LinearShap.of(model));
        double[][] rows = rows(100, 3);
        ShapSummary summary = ShapSummary.of(explainer, rows);
        for (int f = 0; f < 3; f++) {
            int feature = f;
            double expected = java.util.Arrays.stream(rows).mapToDouble(r -> Math.abs(model.weights()[feature] * r[feature]))
                    .average().orElseThrow();
            assertThat(summary.meanAbsolute()[0][f]).isCloseTo(expected, within(1e-12));
        }
        assertThat(summary.ranking(0)).containsExactly("b", "a", "unused");
        assertThat(summary.values()[5][0][1]).isCloseTo(2 * rows[5][1], within(1e-12));
        assertThat(summary.method()).isEqualTo("linear-shap");
    }
}
