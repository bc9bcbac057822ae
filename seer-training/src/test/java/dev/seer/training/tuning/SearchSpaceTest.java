package dev.seer.training.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.training.TrainingErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    @Test
    void rejectsImpossibleRangesNamingTheParameter() {
        invalid(() -> new IntParam("depth", 5, 4, false), "depth");
        invalid(() -> new IntParam("leaves", 0, 10, true), "leaves");
        invalid(() -> new FloatParam("lr", 1.0, 0.5, false), "lr");
        invalid(() -> new FloatParam("lr", 0.0, 1.0, true), "lr");
        invalid(() -> new FloatParam("alpha", 0.0, Double.POSITIVE_INFINITY, false), "alpha");
        invalid(() -> new CategoricalParam("booster", List.of()), "booster");
        invalid(() -> new CategoricalParam("booster", List.of("gbtree", "gbtree")), "booster");
        invalid(() -> new CategoricalParam("booster", Arrays.asList("gbtree", null)), "booster");
        invalid(() -> new SearchSpace(List.of(new IntParam("depth", 1, 3, false), new FloatParam("depth", 0, 1, false))), "depth");
    }

    /** One-value ranges are allowed (as in Optuna) and every sampler returns that value. */
    @Test
    void aOneValueRangeIsFixed() {
        SearchSpace space = new SearchSpace(List.of(new IntParam("n", 3, 3, false), new FloatParam("x", 0.5, 0.5, true), new FloatParam("y", 0, 1, false)));
        Map<String, Object> random = new RandomSampler(1).sample(space, List.of(), 0, Direction.MINIMIZE);
        assertThat(random).containsEntry("n", 3L).containsEntry("x", 0.5);
        List<Trial> history = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            history.add(TpeSamplerTest.complete(k, new RandomSampler(1).sample(space, List.of(), k, Direction.MINIMIZE), k));
        }
        Map<String, Object> tpe = new TpeSampler(1).sample(space, history, 12, Direction.MINIMIZE);
        assertThat(tpe).containsEntry("n", 3L).containsEntry("x", 0.5).containsKey("y");
        assertThat(List.copyOf(tpe.keySet())).containsExactly("n", "x", "y");
    }

    private static void invalid(ThrowingCallable call, String param) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(TrainingErrorCode.INVALID_SPEC))
                .hasMessageContaining("[" + param + "]");
    }
}
