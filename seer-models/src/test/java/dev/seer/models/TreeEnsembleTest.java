package dev.seer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

/**
 * The trees read from the file give XGBoost4J's own margins and outputs, row for row, on models
 * of every objective read, deep ones, random forests and rows with missing values; JSON and UBJ
 * give the same ensemble; what is not a tree ensemble of the kinds read is refused naming why.
 */
class TreeEnsembleTest {
    private static final int FEATURES = 6;

    /** A model trained here on 600 rows, a tenth of the values missing; returns the booster and its test rows. */
    private record Trained(Booster booster, float[] rows, int count) {}

    private static Trained train(String objective, Map<String, Object> extra, int rounds, long seed) throws XGBoostError {
        Random random = new Random(seed);
        int n = 600;
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = random.nextDouble() < 0.1 ? Float.NaN : (float) random.nextGaussian();
            }
            double signal = nan0(x[i * FEATURES]) + 0.5 * nan0(x[i * FEATURES + 1]) * nan0(x[i * FEATURES + 2])
                    + (Float.isNaN(x[i * FEATURES + 3]) ? 0.7 : 0);
            y[i] = switch (objective) {
                case "multi:softprob" -> signal < -0.5 ? 0 : signal < 0.5 ? 1 : 2;
                case "binary:logistic", "reg:logistic" -> random.nextDouble() < 1 / (1 + Math.exp(-2 * signal)) ? 1 : 0;
                default -> (float) (signal + 0.1 * random.nextGaussian());
            };
        }
        DMatrix matrix = new DMatrix(x, n, FEATURES, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", objective, "max_depth", 4, "eta", 0.3,
                "nthread", 1, "tree_method", "hist", "seed", seed));
        params.putAll(extra);
        Booster booster = XGBoost.train(matrix, params, rounds, new HashMap<>(), null, null);
        return new Trained(booster, x, n);
    }

    private static double nan0(float v) {
        return Float.isNaN(v) ? 0 : v;
    }

    @Test
    void marginsAndOutputsAreXGBoostsOwnForEveryKindOfModel() throws XGBoostError {
        List<String> cases = List.of("binary:logistic", "reg:logistic", "reg:squarederror", "reg:absoluteerror",
                "multi:softprob", "deep", "random forest", "binary from 0.2");
        for (String name : cases) {
            Trained trained = switch (name) {
                case "multi:softprob" -> train(name, Map.of("num_class", 3), 10, 1);
                case "deep" -> train("binary:logistic", Map.of("max_depth", 10, "min_child_weight", 0), 8, 2);
                case "random forest" -> train("binary:logistic", Map.of("num_parallel_tree", 20, "subsample", 0.8,
                        "colsample_bynode", 0.8, "eta", 1, "max_depth", 6), 1, 3);
                case "binary from 0.2" -> train("binary:logistic", Map.of("base_score", 0.2), 10, 4);
                default -> train(name, Map.of(), 10, 5);
            };
            try {
                for (String encoding : List.of("json", "ubj")) {
                    ModelFormat format = encoding.equals("json") ? ModelFormat.XGBOOST_JSON : ModelFormat.XGBOOST_UBJ;
                    TreeEnsemble trees = TreeEnsemble.read(format, trained.booster().toByteArray(encoding));
                    assertSame(name + " " + encoding, trees, trained);
                }
            } finally {
                trained.booster().dispose();
            }
        }
    }

    private static void assertSame(String what, TreeEnsemble trees, Trained trained) throws XGBoostError {
        DMatrix matrix = new DMatrix(trained.rows(), trained.count(), FEATURES, Float.NaN);
        float[][] margins = trained.booster().predict(matrix, true);
        float[][] outputs = trained.booster().predict(matrix);
        assertThat(trees.features()).isEqualTo(FEATURES);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < trained.count(); i++) {
            double[] row = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                row[j] = trained.rows()[i * FEATURES + j];
            }
            double[] ours = trees.margins(row);
            double[] out = trees.predict(row);
            for (int g = 0; g < ours.length; g++) {
                if (!close(ours[g], margins[i][g])) {
                    wrong.add(what + " row " + i + " margin " + g + ": " + ours[g] + " vs " + margins[i][g]);
                }
            }
            for (int k = 0; k < outputs[i].length; k++) {
                if (!close(out[k], outputs[i][k])) {
                    wrong.add(what + " row " + i + " output " + k + ": " + out[k] + " vs " + outputs[i][k]);
                }
            }
        }
        assertThat(wrong).as(what).isEmpty();
    }

    /** Within 1e-6 relative: XGBoost sums float32 leaves in float32, this sums them in double. */
    private static boolean close(double ours, float theirs) {
        return Math.abs(ours - theirs) <= 1e-6 * Math.max(1, Math.abs(theirs));
    }

    @Test
    void theTreesStructureIsReadAsWritten() throws XGBoostError {
        Trained trained = train("binary:logistic", Map.of("max_depth", 3), 4, 9);
        try {
            TreeEnsemble trees = TreeEnsemble.read(ModelFormat.XGBOOST_JSON, trained.booster().toByteArray("json"));
            assertThat(trees.trees()).hasSize(4);
            assertThat(trees.groups()).isEqualTo(1);
            assertThat(trees.link()).isEqualTo(TreeEnsemble.Link.LOGISTIC);
            for (TreeEnsemble.Tree tree : trees.trees()) {
                assertThat(tree.depth()).isBetween(1, 3);
                assertThat(tree.isLeaf(0)).isFalse();
                // a split's cover is its children's: the hessian sums of the rows that reached them
                for (int n = 0; n < tree.nodes(); n++) {
                    if (!tree.isLeaf(n)) {
                        assertThat(tree.cover(n)).isCloseTo(tree.cover(tree.left(n)) + tree.cover(tree.right(n)),
                                org.assertj.core.api.Assertions.within(1e-3 * tree.cover(n)));
                    }
                }
            }
        } finally {
            trained.booster().dispose();
        }
    }

    @Test
    void whatIsNotATreeEnsembleOfTheKindsReadIsRefusedNamingWhy() throws Exception {
        Trained trained = train("binary:logistic", Map.of("max_depth", 2), 2, 11);
        String json;
        try {
            json = new String(trained.booster().toByteArray("json"), StandardCharsets.UTF_8);
        } finally {
            trained.booster().dispose();
        }
        assertRefused(edit(json, m -> ((ObjectNode) m.path("learner").path("objective")).put("name", "count:poisson")),
                "objective [count:poisson]");
        assertRefused(edit(json, m -> ((ObjectNode) m.path("learner").path("gradient_booster")).put("name", "dart")),
                "booster [dart]");
        assertRefused(edit(json, m -> ((ArrayNode) tree0(m).path("left_children")).set(1, Json.mapper().getNodeFactory()
                .numberNode(0))), "which is not a tree");
        assertRefused(edit(json, m -> ((ArrayNode) tree0(m).path("split_indices")).set(0, Json.mapper().getNodeFactory()
                .numberNode(99))), "feature [99]");
        assertRefused(edit(json, m -> ((ArrayNode) tree0(m).path("split_type")).set(0, Json.mapper().getNodeFactory()
                .numberNode(1))), "categorical split in tree [0]");
        assertRefused(edit(json, m -> ((ObjectNode) tree0(m)).remove("sum_hessian")), "no array [sum_hessian] in tree [0]");
        assertRefused(edit(json, m -> ((ObjectNode) m.path("learner").path("learner_model_param")).put("base_score", "[1.5]")),
                "must be in (0, 1)");
    }

    private static com.fasterxml.jackson.databind.JsonNode tree0(com.fasterxml.jackson.databind.JsonNode model) {
        return model.path("learner").path("gradient_booster").path("model").path("trees").get(0);
    }

    private static byte[] edit(String json, java.util.function.Consumer<com.fasterxml.jackson.databind.JsonNode> change) {
        var model = Json.parse(json);
        change.accept(model);
        return Json.write(model).getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefused(byte[] model, String reason) {
        assertThatThrownBy(() -> TreeEnsemble.read(ModelFormat.XGBOOST_JSON, model)).isInstanceOfSatisfying(
                SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL))
                .hasMessageContaining(reason);
    }
}
