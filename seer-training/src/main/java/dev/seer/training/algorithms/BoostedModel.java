package dev.seer.training.algorithms;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.training.Task;
import dev.seer.training.TrainingErrorCode;
import java.io.IOException;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * An XGBoost model that training may continue: read by XGBoost4J itself (JSON or UBJ) and kept as
 * its JSON, with what continuing it must agree with: its objective, which the task's must equal
 * (more rounds under another loss would not be the same model refreshed), and its rounds. A
 * random forest (several parallel trees per round) or a booster other than gbtree is refused:
 * continuing either by boosting would make a different kind of model.
 */
public final class BoostedModel {
    private final byte[] json;
    private final String objective;
    private final int rounds;
    private final int trees;

    private BoostedModel(byte[] json, String objective, int rounds, int trees) {
        this.json = json;
        this.objective = objective;
        this.rounds = rounds;
        this.trees = trees;
    }

    /** Reads {@code bytes}; {@code label} names the model in errors. */
    public static BoostedModel read(byte[] bytes, String label) {
        requireNonNull(bytes, "bytes is null");
        Booster booster = null;
        try {
            booster = XGBoost.loadModel(bytes);
            byte[] json = booster.toByteArray("json");
            int rounds = booster.getNumBoostedRound();
            JsonNode learner = Json.parse(json).path("learner");
            JsonNode gradientBooster = learner.path("gradient_booster");
            String kind = gradientBooster.path("name").asText();
            JsonNode params = gradientBooster.path("model").path("gbtree_model_param");
            if (!kind.equals("gbtree") || params.path("num_parallel_tree").asInt(1) != 1) {
                throw refused(label + " is not a boosted tree model (booster [" + kind + "], " + params.path(
                        "num_parallel_tree").asText("1") + " trees per round); only XGBoost's boosted trees are continued");
            }
            return new BoostedModel(json, learner.path("objective").path("name").asText(), rounds, Integer.parseInt(
                    params.path("num_trees").asText("0")));
        } catch (XGBoostError | IOException | NumberFormatException e) {
            throw refused(label + " cannot be read by XGBoost: " + e.getMessage());
        } finally {
            if (booster != null) {
                booster.dispose();
            }
        }
    }

    /** Refuses continuing this model for {@code task} when the task trains another objective. */
    public void checkObjective(Task task) {
        String expected = XGBoostLearner.objective(task);
        if (!objective.equals(expected)) {
            throw new SeerException(TrainingErrorCode.INVALID_SPEC, "The continued model's objective is [" + objective
                    + "]; task [" + task.id() + "] trains [" + expected + "]: continuing cannot change the objective",
                    Map.of("field", "task"));
        }
    }

    /** The boosting rounds it holds. */
    public int rounds() {
        return rounds;
    }

    /** The trees it holds (rounds times trees per round: one, or one per class). */
    public int trees() {
        return trees;
    }

    public String objective() {
        return objective;
    }

    byte[] json() {
        return json.clone();
    }

    private static SeerException refused(String message) {
        return new SeerException(TrainingErrorCode.INVALID_SPEC, message, Map.of("field", "continue_from"));
    }
}
