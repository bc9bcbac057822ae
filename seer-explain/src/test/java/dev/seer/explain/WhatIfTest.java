package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhatIfTest {
    private static final LinearModel MODEL = new LinearModel(List.of("income", "debt"), new double[] {1, -2}, -1,
            LinearModel.Link.LOGIT, new double[] {0, 0});
    private static final Explainer EXPLAINER = new LinearExplainer(LinearShap.of(MODEL));
    private static final Predictor PREDICT = rows -> java.util.Arrays.stream(rows)
            .map(r -> new double[] {1 / (1 + Math.exp(-(-1 + r[0] - 2 * (Double.isNaN(r[1]) ? 0 : r[1]))))})
            .toArray(double[][]::new);

    @Test
    void theChangedFeaturesContributionMovesByItsEffectAndTheOthersStay() {
        WhatIf w = WhatIf.of(PREDICT, EXPLAINER, new double[] {1, 1}, Map.of("debt", 0.25));
        assertThat(w.before()[0]).isCloseTo(1 / (1 + Math.exp(2)), within(1e-12));
        assertThat(w.after()[0]).isCloseTo(1 / (1 + Math.exp(0.5)), within(1e-12));
        double[] moved = w.contributionChanges().get(0);
        assertThat(moved[0]).isZero();
        assertThat(moved[1]).isCloseTo(-2 * (0.25 - 1), within(1e-12));
        assertThat(w.explainedAfter().get(0).sum()).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void aFeatureOutsideTheModelOrNoChangeIsRefused() {
        assertThatThrownBy(() -> WhatIf.of(PREDICT, EXPLAINER, new double[] {1, 1}, Map.of("height", 2.0)))
                .isInstanceOf(SeerException.class).hasMessageContaining("Feature [height] is not one the model takes: [income, debt]");
        assertThatThrownBy(() -> WhatIf.of(PREDICT, EXPLAINER, new double[] {1, 1}, Map.of()))
                .isInstanceOf(SeerException.class).hasMessageContaining("at least one feature");
    }
}
