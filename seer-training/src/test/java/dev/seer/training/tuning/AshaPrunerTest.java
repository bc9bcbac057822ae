package dev.seer.training.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.SeerException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AshaPrunerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC);
    private static final SearchSpace SPACE = new SearchSpace(List.of(new FloatParam("u", 0, 1, false)));

    /**
     * Optuna's SuccessiveHalvingPruner, run sequentially by make_fixtures.py on learning curves
     * q_k + a_k / step that cross each other: the same trials are pruned at the same steps.
     */
    @Test
    void prunesTheSameTrialsAtTheSameStepsAsOptuna() {
        assertThat(OptunaReference.root().get("asha").size()).isEqualTo(4);
        for (JsonNode c : OptunaReference.root().get("asha")) {
            String label = c.get("label").asText();
            AshaPruner pruner = c.get("minResource").isTextual()
                    ? AshaPruner.auto(c.get("reductionFactor").asInt(), c.get("minEarlyStoppingRate").asInt())
                    : new AshaPruner(c.get("minResource").asLong(), c.get("reductionFactor").asInt(), c.get("minEarlyStoppingRate").asInt());
            double[] q = OptunaReference.doubles(c.get("q"));
            double[] a = OptunaReference.doubles(c.get("a"));
            int maxStep = c.get("maxStep").asInt();
            Direction direction = Direction.valueOf(c.get("direction").asText());
            List<Trial> trials = new Study(SPACE, direction, new RandomSampler(0), pruner, 1, StudyListener.NONE, CLOCK)
                    .optimize(t -> {
                        double value = Double.NaN;
                        for (long step = 1; step <= maxStep; step++) {
                            value = q[t.number()] + a[t.number()] / step;
                            if (t.report(step, value)) {
                                throw new Pruned();
                            }
                        }
                        return value;
                    }, q.length, null);
            for (Trial t : trials) {
                int k = t.number();
                assertThat(t.state().name()).as(label + " trial " + k).isEqualTo(c.get("states").get(k).asText());
                assertThat(t.intermediate().lastKey()).as(label + " trial " + k).isEqualTo(c.get("lastSteps").get(k).asLong());
                assertThat(t.intermediate()).as(label + " trial " + k + " keeps every report").hasSize((int) (long) t.intermediate().lastKey());
                assertThat(t.value().isPresent()).isEqualTo(t.state() == TrialState.COMPLETE);
            }
        }
    }

    /** Optuna's promotion rule, by hand: keep the top ⌊n/η⌋ of n values, or the best while n < η. */
    @Test
    void promotesTheTopFractionOfARung() {
        AshaPruner eta3 = new AshaPruner(1, 3, 0);
        // n = 5: top ⌊5/3⌋ = 1, so only the smallest (1) passes
        assertThat(eta3.promotable(1.0, List.of(5.0, 1.0, 3.0, 2.0, 4.0), Direction.MINIMIZE)).isTrue();
        assertThat(eta3.promotable(2.0, List.of(5.0, 1.0, 3.0, 2.0, 4.0), Direction.MINIMIZE)).isFalse();
        // n = 6: top 2 pass
        assertThat(eta3.promotable(2.0, List.of(5.0, 1.0, 3.0, 2.0, 4.0, 6.0), Direction.MINIMIZE)).isTrue();
        assertThat(eta3.promotable(3.0, List.of(5.0, 1.0, 3.0, 2.0, 4.0, 6.0), Direction.MINIMIZE)).isFalse();
        // n = 2 < η: must be the best so far; maximising mirrors
        assertThat(eta3.promotable(2.0, List.of(1.0, 2.0), Direction.MINIMIZE)).isFalse();
        assertThat(eta3.promotable(2.0, List.of(1.0, 2.0), Direction.MAXIMIZE)).isTrue();
        assertThat(eta3.promotable(5.0, List.of(5.0, 1.0, 3.0, 2.0, 4.0, 6.0), Direction.MAXIMIZE)).isTrue();
        assertThat(eta3.promotable(4.0, List.of(5.0, 1.0, 3.0, 2.0, 4.0, 6.0), Direction.MAXIMIZE)).isFalse();
    }

    /**
     * Forty random configurations with learning curves x + 1/step (x the quality, lower better)
     * over 64 rounds, rungs at 1, 4, 16: most of the worse half is stopped early, stopped trials
     * are recorded PRUNED with the values they reported (ending at a rung), and the best
     * configuration runs to the end.
     */
    @Test
    void stopsTheWorseHalfAndKeepsTheBest() {
        for (int parallelism : new int[] {1, 2}) {
            List<Trial> trials = new Study(SPACE, Direction.MINIMIZE, new RandomSampler(3), new AshaPruner(1, 4, 0), parallelism, StudyListener.NONE, CLOCK)
                    .optimize(t -> {
                        double x = (Double) t.params().get("u");
                        double value = Double.NaN;
                        for (long step = 1; step <= 64; step++) {
                            value = x + 1.0 / step;
                            if (t.report(step, value)) {
                                return value;
                            }
                        }
                        return value;
                    }, 40, null);
            List<Trial> byQuality = trials.stream().sorted(Comparator.comparingDouble(t -> (Double) t.params().get("u"))).toList();
            assertThat(byQuality.get(0).state()).isEqualTo(TrialState.COMPLETE);
            assertThat(byQuality.get(0).intermediate()).hasSize(64);
            long worseHalfPruned = byQuality.subList(20, 40).stream().filter(t -> t.state() == TrialState.PRUNED).count();
            assertThat(worseHalfPruned).as("parallelism " + parallelism).isGreaterThanOrEqualTo(16);
            for (Trial t : trials) {
                if (t.state() == TrialState.PRUNED) {
                    assertThat(t.value()).isEmpty();
                    assertThat(t.intermediate().lastKey()).isIn(1L, 4L, 16L, 64L);
                    assertThat(t.intermediate().get(1L)).isEqualTo((Double) t.params().get("u") + 1.0);
                }
            }
        }
    }

    /** A NaN at a rung prunes, as in Optuna. */
    @Test
    void aNanAtARungPrunes() {
        AshaPruner pruner = new AshaPruner(2, 2, 0);
        Trial fresh = TpeSamplerTest.pruned(0, Map.of("u", 0.5), Map.of());
        assertThat(pruner.prune(fresh, 1, Double.NaN, List.of(), Direction.MINIMIZE)).isFalse();
        assertThat(pruner.prune(fresh, 2, Double.NaN, List.of(), Direction.MINIMIZE)).isTrue();
        assertThat(pruner.prune(fresh, 2, 1.0, List.of(), Direction.MINIMIZE)).isFalse();
    }

    @Test
    void rejectsImpossibleSettings() {
        assertThatThrownBy(() -> new AshaPruner(0, 4, 0)).isInstanceOf(SeerException.class).hasMessageContaining("min resource");
        assertThatThrownBy(() -> new AshaPruner(1, 1, 0)).isInstanceOf(SeerException.class).hasMessageContaining("reduction factor");
        assertThatThrownBy(() -> new AshaPruner(1, 4, -1)).isInstanceOf(SeerException.class).hasMessageContaining("early-stopping rate");
    }
}
