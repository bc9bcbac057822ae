package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import dev.seer.models.TreeEnsemble;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

/** KernelSHAP on real models loaded through {@link Models#load}: it sees only their predict. */
class KernelShapModelsTest {
    private static final int FEATURES = 6;
    private static final Signature REGRESSION = Signature.parse("a:float32,b:float32,c:float32,d:float32,e:float32,f:float32->value");
    private static final Signature BINARY = Signature.parse("a:float32,b:float32,c:float32,d:float32,e:float32,f:float32->probability");

    /**
     * With every coalition enumerated, KernelSHAP of a regression's value is the interventional
     * game's Shapley values, which interventional TreeSHAP computes exactly from the trees; they
     * differ only by XGBoost's float32 predictions.
     */
    @Test
    void onARegressionItAgreesWithInterventionalTreeShap() throws XGBoostError {
        byte[] bytes = train("reg:squarederror");
        Random random = new Random(2);
        double[][] background = rows(random, 9);
        InterventionalTreeShap exact = InterventionalTreeShap.of(TreeEnsemble.read(ModelFormat.XGBOOST_JSON, bytes), background);
        try (Model model = Models.load(ModelFormat.XGBOOST_JSON, bytes, REGRESSION)) {
            KernelShap shap = KernelShap.of(model, background, KernelShap.AUTO, 1);
            for (double[] x : rows(random, 5)) {
                Attribution a = shap.explain(x).get(0);
                double[] trees = exact.contributions(x);
                for (int i = 0; i < FEATURES; i++) {
                    assertThat(a.contribution(i)).as("feature %d", i).isCloseTo(trees[i], within(1e-5));
                }
                assertThat(a.base()).isCloseTo(trees[FEATURES], within(1e-5));
                assertThat(a.sum()).isCloseTo(a.value(), within(1e-9));
                assertThat(a.scale()).isEqualTo(Scale.VALUE);
            }
        }
    }

    @Test
    void onABinaryClassifierItExplainsTheProbabilityOfClassOne() throws XGBoostError {
        byte[] bytes = train("binary:logistic");
        Random random = new Random(3);
        try (Model model = Models.load(ModelFormat.XGBOOST_JSON, bytes, BINARY)) {
            KernelShap shap = KernelShap.of(model, rows(random, 8), KernelShap.AUTO, 1);
            assertThat(shap.outputs()).containsExactly("1");
            double[] x = rows(random, 1)[0];
            List<Attribution> all = shap.explain(x);
            assertThat(all).hasSize(1);
            assertThat(all.get(0).scale()).isEqualTo(Scale.PROBABILITY);
            assertThat(all.get(0).value()).isEqualTo(model.predict(new double[][] {x})[0][0]);
            assertThat(all.get(0).sum()).isCloseTo(all.get(0).value(), within(1e-9));
        }
    }

    private static byte[] train(String objective) throws XGBoostError {
        Random random = new Random(1);
        int n = 500;
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = random.nextDouble() < 0.05 ? Float.NaN : (float) random.nextGaussian();
            }
            double s = z(x[i * FEATURES]) * z(x[i * FEATURES + 1]) + Math.sin(2 * z(x[i * FEATURES + 2])) - z(x[i * FEATURES + 3]);
            y[i] = objective.startsWith("binary") ? (random.nextDouble() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0) : (float) s;
        }
        DMatrix matrix = new DMatrix(x, n, FEATURES, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", objective, "max_depth", 4, "eta", 0.3, "nthread", 1,
                "tree_method", "hist", "seed", 1));
        Booster booster = XGBoost.train(matrix, params, 10, new HashMap<>(), null, null);
        try {
            return booster.toByteArray("json");
        } finally {
            booster.dispose();
            matrix.dispose();
        }
    }

    /** Rows of float32 values (as the model's inputs are), some missing. */
    private static double[][] rows(Random random, int count) {
        double[][] out = new double[count][FEATURES];
        for (double[] row : out) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = random.nextDouble() < 0.1 ? Double.NaN : (float) random.nextGaussian();
            }
        }
        return out;
    }

    private static double z(float v) {
        return Float.isNaN(v) ? 0 : v;
    }
}
