package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearShapTest {
    private static final LinearModel LOGISTIC = new LinearModel(List.of("age", "income", "tenure"),
            new double[] {0.5, -2.0, 0.25}, -1.0, LinearModel.Link.LOGIT, new double[] {40, 3.5, 12});

    @Test
    void contributionsAreTheCoefficientTimesTheDistanceFromTheMeanAndAddUpToTheMargin() {
        Attribution a = LinearShap.of(LOGISTIC).explain(new double[] {50, 2.0, 12});
        assertThat(a.contributions()).containsExactly(0.5 * 10, -2.0 * -1.5, 0.0);
        assertThat(a.base()).isCloseTo(-1.0 + 0.5 * 40 - 2.0 * 3.5 + 0.25 * 12, within(1e-12));
        double margin = -1.0 + 0.5 * 50 - 2.0 * 2.0 + 0.25 * 12;
        assertThat(a.value()).isCloseTo(margin, within(1e-12));
        assertThat(a.sum()).isCloseTo(margin, within(1e-12));
        assertThat(a.scale()).isEqualTo(Scale.MARGIN);
        // the model's own probability is the logistic of what the contributions add up to
        try (var model = dev.seer.models.Models.load(dev.seer.models.ModelFormat.SEER_LINEAR, LOGISTIC.toBytes(),
                dev.seer.models.Signature.parse("age:float64,income:float64,tenure:float64->probability"))) {
            assertThat(1 / (1 + Math.exp(-a.sum()))).isCloseTo(model.predict(new double[][] {{50, 2.0, 12}})[0][0],
                    within(1e-12));
        }
    }

    @Test
    void aMissingValueIsFilledWithTheMeanAndContributesNothing() {
        Attribution a = LinearShap.of(LOGISTIC).explain(new double[] {Double.NaN, 2.0, 20});
        assertThat(a.contribution(0)).isZero();
        assertThat(a.contribution(2)).isEqualTo(0.25 * 8);
    }

    @Test
    void aBackgroundSampleMovesTheBaseToItsMean() {
        double[][] background = {{30, 1, 10}, {50, 3, 14}};
        Attribution a = LinearShap.of(LOGISTIC, background).explain(new double[] {40, 2, 12});
        assertThat(a.contributions()).containsExactly(new double[] {0, 0, 0}, within(1e-12));
        assertThat(a.base()).isCloseTo(a.value(), within(1e-12));
        assertThatThrownBy(() -> LinearShap.of(LOGISTIC, new double[][] {{1, 2}})).isInstanceOf(SeerException.class)
                .hasMessageContaining("Background row [0] has [2] values; the model takes [3]");
        assertThatThrownBy(() -> LinearShap.of(LOGISTIC).explain(new double[] {1, 2})).isInstanceOf(SeerException.class)
                .hasMessageContaining("[2] values; the model takes [3] [age, income, tenure]");
    }

    @Test
    void aModelWithoutMeansNeedsABackgroundAndCannotTakeAGap() {
        LinearModel ridge = new LinearModel(List.of("a", "b"), new double[] {1, 2}, 0.5, LinearModel.Link.IDENTITY);
        assertThatThrownBy(() -> LinearShap.of(ridge)).isInstanceOf(SeerException.class).hasMessageContaining("background");
        LinearShap shap = LinearShap.of(ridge, new double[][] {{0, 0}, {2, 2}});
        assertThat(shap.explain(new double[] {3, 1}).scale()).isEqualTo(Scale.VALUE);
        assertThatThrownBy(() -> shap.explain(new double[] {Double.NaN, 1})).isInstanceOf(SeerException.class)
                .hasMessageContaining("Feature [a] is missing");
    }
}
