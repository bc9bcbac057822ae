package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.seer.models.ModelFormat;
import dev.seer.models.TreeEnsemble;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The Shapley axioms on a hand-built tree model, f = [x0 ≥ 0] + [x1 ≥ 0] (one tree, equal covers),
 * with a third feature it never reads: the dummy gets zero, the two symmetric features get equal
 * values, and the values add up, for every tree explainer.
 */
class ShapleyAxiomsTest {
    /** One depth-2 tree in XGBoost 3's JSON: root on x0, both children on x1, four leaves 0, 1, 1, 2, each cover 25. */
    static final String MODEL = """
            {"version": [3, 4, 0], "learner": {"attributes": {}, "feature_names": [], "feature_types": [],
              "learner_model_param": {"base_score": "[0]", "boost_from_average": "1", "num_class": "0",
                "num_feature": "3", "num_target": "1"},
              "objective": {"name": "reg:squarederror", "reg_loss_param": {}},
              "gradient_booster": {"name": "gbtree", "model": {
                "gbtree_model_param": {"num_parallel_tree": "1", "num_trees": "1"},
                "tree_info": [0], "iteration_indptr": [0, 1],
                "trees": [{"id": 0, "tree_param": {"num_deleted": "0", "num_feature": "3", "num_nodes": "7",
                    "size_leaf_vector": "1"},
                  "left_children": [1, 3, 5, -1, -1, -1, -1], "right_children": [2, 4, 6, -1, -1, -1, -1],
                  "parents": [2147483647, 0, 0, 1, 1, 2, 2], "split_indices": [0, 1, 1, 0, 0, 0, 0],
                  "split_conditions": [0, 0, 0, 0, 1, 1, 2], "split_type": [0, 0, 0, 0, 0, 0, 0],
                  "default_left": [0, 0, 0, 0, 0, 0, 0], "sum_hessian": [100, 50, 50, 25, 25, 25, 25],
                  "base_weights": [0, 0, 0, 0, 1, 1, 2], "loss_changes": [0, 0, 0, 0, 0, 0, 0],
                  "categories": [], "categories_nodes": [], "categories_segments": [], "categories_sizes": []}]}}}}
            """;

    @Test
    void aDummyGetsZeroSymmetricFeaturesGetEqualValuesAndTheValuesAddUp() {
        TreeEnsemble ensemble = TreeEnsemble.read(ModelFormat.XGBOOST_JSON, MODEL.getBytes(StandardCharsets.UTF_8));
        double[][] background = {{-1, -1, 0}, {1, -1, 3}, {-1, 1, -2}, {1, 1, 9}};
        for (double[] x : new double[][] {{1, 1, 5}, {-1, -1, -5}, {2, 3, 0}}) {
            double[] path = TreeShap.of(ensemble).contributions(x);
            double[] exact = TreeShap.of(ensemble, 0).contributions(x);
            double[] interventional = InterventionalTreeShap.of(ensemble, background).contributions(x);
            double f = ensemble.margins(x)[0];
            for (double[] phi : new double[][] {path, exact, interventional}) {
                assertThat(phi[2]).isZero(); // x2 is never read
                assertThat(phi[0]).isCloseTo(phi[1], within(1e-12)); // x0 and x1 play the same role
                assertThat(phi[0] + phi[1] + phi[2] + phi[3]).isCloseTo(f, within(1e-12));
            }
            // both features on their side: each adds half the distance from the mean output, 1
            assertThat(path[0]).isCloseTo((f - 1) / 2, within(1e-12));
            double[] interactions = TreeInteractions.of(ensemble).interactions(x);
            assertThat(interactions[0 * 4 + 2]).isZero();
            assertThat(interactions[2 * 4 + 2]).isZero();
            assertThat(interactions[0 * 4 + 1]).isCloseTo(0, within(1e-12)); // f is additive: no interaction
        }
    }
}
