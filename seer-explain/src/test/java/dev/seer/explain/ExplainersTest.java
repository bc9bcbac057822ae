package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** One shape for every model kind: per output, a base, one contribution per feature, the value they add up to, its scale. */
class ExplainersTest {
    @Test
    void everyModelKindGivesTheSameShapeAndItAddsUp() throws Exception {
        Random random = new Random(4);
        float[] x = new float[300 * 3];
        float[] y = new float[300];
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 3; j++) {
                x[i * 3 + j] = (float) random.nextGaussian();
            }
            y[i] = x[i * 3] + x[i * 3 + 1] > 0 ? (x[i * 3 + 2] > 0 ? 2 : 1) : 0;
        }
        DMatrix matrix = new DMatrix(x, 300, 3, Float.NaN);
        matrix.setLabel(y);
        Booster booster = XGBoost.train(matrix, new HashMap<>(Map.of("objective", "multi:softprob", "num_class", 3,
                "max_depth", 3, "nthread", 1)), 5, new HashMap<>(), null, null);
        Signature multiclass = Signature.parse("a:float64,b:float64,c:float64->class-probabilities(3)");
        byte[] bytes = booster.toByteArray("ubj");
        booster.dispose();
        Explainer trees = Explainers.of(ModelFormat.XGBOOST_UBJ, bytes, multiclass, null);
        double[] row = {0.3, -1.2, Double.NaN};
        List<Attribution> perClass = trees.explain(row);
        assertThat(perClass).extracting(Attribution::output).containsExactly("class 0", "class 1", "class 2");
        assertThat(trees.scale()).isEqualTo(Scale.MARGIN);
        double[] margins = new double[3];
        for (int c = 0; c < 3; c++) {
            assertThat(perClass.get(c).contributions()).hasSize(3);
            assertThat(perClass.get(c).sum()).isCloseTo(perClass.get(c).value(), within(1e-6));
            margins[c] = perClass.get(c).value();
        }
        try (Model model = Models.load(ModelFormat.XGBOOST_UBJ, bytes, multiclass)) {
            double[] probabilities = model.predict(new double[][] {row})[0];
            double total = Math.exp(margins[0]) + Math.exp(margins[1]) + Math.exp(margins[2]);
            for (int c = 0; c < 3; c++) {
                assertThat(Math.exp(margins[c]) / total).isCloseTo(probabilities[c], within(1e-6));
            }
        }

        LinearModel linear = new LinearModel(List.of("a", "b", "c"), new double[] {1, -1, 0.5}, 0.2, LinearModel.Link.LOGIT,
                new double[] {0, 0, 0});
        Explainer logistic = Explainers.of(ModelFormat.SEER_LINEAR, linear.toBytes(),
                Signature.parse("a:float64,b:float64,c:float64->probability"), null);
        List<Attribution> one = logistic.explain(row);
        assertThat(one).extracting(Attribution::output).containsExactly("1");
        assertThat(one.get(0).sum()).isCloseTo(one.get(0).value(), within(1e-12));
        assertThat(logistic.method()).isEqualTo("linear-shap");
    }

    @Test
    void aRowOfTheWrongWidthOrAnUnexplainableModelIsRefusedNamingWhy() {
        LinearModel linear = new LinearModel(List.of("a", "b"), new double[] {1, 2}, 0, LinearModel.Link.IDENTITY,
                new double[] {0, 0});
        Explainer explainer = Explainers.of(ModelFormat.SEER_LINEAR, linear.toBytes(), Signature.parse("a:float64,b:float64->value"),
                null);
        assertThatThrownBy(() -> explainer.explain(new double[] {1, 2, 3})).isInstanceOf(SeerException.class)
                .hasMessageContaining("[3] values; the model takes [2]: [a, b]");
        assertThatThrownBy(() -> Explainers.of(ModelFormat.ONNX, new byte[] {1}, Signature.parse("a:float64->value"), null))
                .isInstanceOf(SeerException.class).hasMessageContaining("KernelSHAP");
    }
}
