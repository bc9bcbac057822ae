package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.explain.Counterfactuals.Constraint;
import dev.seer.explain.Counterfactuals.Direction;
import dev.seer.explain.Counterfactuals.Goal;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Counterfactuals on a logistic score whose answers are known: the nearest change, constraints kept, diversity, none found. */
class CounterfactualsTest {
    private static final List<String> NAMES = List.of("income", "debt", "age", "accounts");
    private static final double[] W = {1.0, -2.0, 0.5, 0.0};
    private static final Predictor SCORE = rows -> java.util.Arrays.stream(rows).map(r -> {
        double m = -1;
        for (int i = 0; i < W.length; i++) {
            m += W[i] * r[i];
        }
        return new double[] {1 / (1 + Math.exp(-m))};
    }).toArray(double[][]::new);
    private static final Goal APPROVED = new Goal(0, 0.5, true);
    private static final double[][] REFERENCE = reference();

    private static double[][] reference() {
        Random random = new Random(1);
        double[][] rows = new double[500][4];
        for (double[] r : rows) {
            for (int j = 0; j < 4; j++) {
                r[j] = random.nextGaussian() * (j == 2 ? 2 : 1);
            }
        }
        return rows;
    }

    @Test
    void theNearestChangeIsFoundAndReachesTheGoal() {
        double[] row = {0, 0.2, 0, 0}; // margin -1.4: refused
        Counterfactuals.Result result = Counterfactuals.search(SCORE, NAMES, row, APPROVED, Map.of(), REFERENCE, Map.of(),
                1, 50_000);
        assertThat(result.none()).isFalse();
        Counterfactuals.Counterfactual best = result.found().get(0);
        assertThat(SCORE.predict(new double[][] {best.row()})[0][0]).isGreaterThanOrEqualTo(0.5);
        assertThat(best.prediction()[0]).isGreaterThanOrEqualTo(0.5);
        // needed alone: income +1.4 (MAD about 0.67), debt -0.7 (MAD 0.67), age +2.8 (MAD 1.35): debt is nearest per unit
        assertThat(best.changes()).containsOnlyKeys("debt");
        assertThat(best.changes().get("debt")[0]).isEqualTo(0.2);
        assertThat(best.changes().get("debt")[1]).isLessThanOrEqualTo(-0.5).isGreaterThan(-0.5 - 1e-6); // on the boundary
    }

    @Test
    void constraintsAreKeptAndSeveralCounterfactualsChangeDifferentFeatures() {
        double[] row = {0, 0.2, 0, 3};
        Map<String, Constraint> constraints = Map.of(
                "debt", new Constraint(true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, Direction.ANY),
                "age", new Constraint(false, 0, 5, 1, Direction.INCREASE),
                "income", new Constraint(false, Double.NEGATIVE_INFINITY, 10, 0.5, Direction.ANY));
        Counterfactuals.Result result = Counterfactuals.search(SCORE, NAMES, row, APPROVED, constraints, REFERENCE, Map.of(),
                3, 50_000);
        assertThat(result.found()).hasSizeGreaterThanOrEqualTo(2);
        List<java.util.Set<String>> sets = result.found().stream().map(c -> c.changes().keySet()).toList();
        assertThat(new java.util.HashSet<>(sets)).hasSameSizeAs(sets);
        for (Counterfactuals.Counterfactual c : result.found()) {
            assertThat(c.changes()).doesNotContainKey("debt");
            assertThat(c.prediction()[0]).isGreaterThanOrEqualTo(0.5);
            if (c.changes().containsKey("age")) {
                double age = c.changes().get("age")[1];
                assertThat(age).isGreaterThan(0).isLessThanOrEqualTo(5);
                assertThat(age % 1).isZero();
            }
            if (c.changes().containsKey("income")) {
                assertThat(c.changes().get("income")[1] % 0.5).isZero();
            }
        }
        for (int i = 1; i < result.found().size(); i++) {
            assertThat(result.found().get(i).distance()).isGreaterThanOrEqualTo(result.found().get(i - 1).distance());
        }
    }

    @Test
    void noCounterfactualWithinTheConstraintsIsAnAnswerNotAFailure() {
        double[] row = {0, 3, 0, 0}; // margin -7
        Map<String, Constraint> constraints = Map.of(
                "income", new Constraint(false, -1, 1, 0, Direction.ANY),
                "debt", new Constraint(true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, Direction.ANY),
                "age", new Constraint(false, -1, 1, 0, Direction.ANY));
        Counterfactuals.Result result = Counterfactuals.search(SCORE, NAMES, row, APPROVED, constraints, REFERENCE, Map.of(),
                2, 50_000);
        assertThat(result.none()).isTrue();
        assertThat(result.evaluated()).isPositive();
        assertThat(result.budgetSpent()).isFalse();
    }

    @Test
    void contradictoryOrUnknownConstraintsAreRefusedNamingTheFeature() {
        double[] row = {0, 0, 0, 0};
        assertThatThrownBy(() -> Counterfactuals.search(SCORE, NAMES, row, APPROVED, Map.of("height", Constraint.FREE),
                REFERENCE, Map.of(), 1, 100)).isInstanceOf(SeerException.class).hasMessageContaining("[height]");
        assertThatThrownBy(() -> Counterfactuals.search(SCORE, NAMES, row, APPROVED, Map.of("age",
                new Constraint(false, 5, 1, 0, Direction.ANY)), REFERENCE, Map.of(), 1, 100))
                .isInstanceOf(SeerException.class).hasMessageContaining("Feature [age] has min [5.0] above max [1.0]");
        assertThatThrownBy(() -> Counterfactuals.search(SCORE, NAMES, row, APPROVED, Map.of("age",
                new Constraint(true, 0, 1, 0, Direction.ANY)), REFERENCE, Map.of(), 1, 100))
                .isInstanceOf(SeerException.class).hasMessageContaining("immutable and also given a range");
        assertThatThrownBy(() -> Counterfactuals.search(SCORE, NAMES, new double[] {1}, APPROVED, Map.of(), REFERENCE,
                Map.of(), 1, 100)).isInstanceOf(SeerException.class).hasMessageContaining("[1] values");
    }
}
