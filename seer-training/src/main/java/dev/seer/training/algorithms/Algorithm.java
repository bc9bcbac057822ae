package dev.seer.training.algorithms;

import dev.seer.core.SeerException;
import dev.seer.training.Task;
import dev.seer.training.TrainingErrorCode;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The algorithms a training spec may name, each with the parameters it takes and their defaults.
 * A parameter outside an algorithm's list is refused before training, so a typo never trains a
 * model with a default the user did not mean.
 */
public enum Algorithm {
    /** Gradient-boosted trees through XGBoost4J ({@code hist}). */
    XGBOOST(EnumSet.allOf(Task.class), defaults("rounds", 100, "max_depth", 6, "eta", 0.3, "min_child_weight", 1.0,
            "subsample", 1.0, "colsample_bytree", 1.0, "lambda", 1.0, "alpha", 0.0, "gamma", 0.0, "max_bin", 256)),
    /** A random forest in XGBoost's random-forest mode: one round of parallel trees, row and column sampling, eta 1. */
    RANDOM_FOREST(EnumSet.allOf(Task.class), defaults("trees", 100, "max_depth", 8, "subsample", 0.8,
            "colsample_bynode", 0.8, "min_child_weight", 1.0, "lambda", 1.0, "max_bin", 256)),
    /** L2-regularised logistic regression written here (L-BFGS), on standardised features. */
    LOGISTIC(EnumSet.of(Task.BINARY), defaults("c", 1.0, "max_iter", 1000)),
    /** Ridge linear regression written here, on standardised features. */
    LINEAR(EnumSet.of(Task.REGRESSION), defaults("c", 1.0, "max_iter", 1000)),
    /** The prior of each class, or the mean: what every candidate must beat. */
    BASELINE(EnumSet.allOf(Task.class), Map.of());

    private final Set<Task> tasks;
    private final Map<String, Object> defaults;

    Algorithm(Set<Task> tasks, Map<String, Object> defaults) {
        this.tasks = tasks;
        this.defaults = defaults;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Algorithm parse(String id) {
        return Arrays.stream(values()).filter(a -> a.id().equals(id)).findFirst().orElseThrow(() -> new SeerException(
                TrainingErrorCode.INVALID_SPEC, "Algorithm [" + id + "] is not one of " + Arrays.stream(values())
                        .map(Algorithm::id).toList(), Map.of("field", "algorithm")));
    }

    public boolean supports(Task task) {
        return tasks.contains(task);
    }

    /** Every parameter the algorithm takes, with its default (an Integer or a Double), in a stable order. */
    public Map<String, Object> defaults() {
        return defaults;
    }

    /** {@code given} over the defaults; refuses a parameter this algorithm does not take or a value of the wrong kind. */
    public Map<String, Object> resolve(Map<String, Object> given) {
        Map<String, Object> params = new LinkedHashMap<>(defaults);
        given.forEach((name, value) -> {
            Object standard = defaults.get(name);
            if (standard == null) {
                throw new SeerException(TrainingErrorCode.INVALID_SPEC, "Algorithm [" + id() + "] has no parameter ["
                        + name + "]; its parameters: " + defaults.keySet(), Map.of("field", name));
            }
            if (!(value instanceof Number number) || (standard instanceof Integer && number.doubleValue() != Math.rint(
                    number.doubleValue()))) {
                throw new SeerException(TrainingErrorCode.INVALID_SPEC, "Parameter [" + name + "] of [" + id() + "] must be "
                        + (standard instanceof Integer ? "a whole number" : "a number") + ", not [" + value + "]",
                        Map.of("field", name));
            }
            params.put(name, standard instanceof Integer ? (Object) (int) number.longValue() : (Object) number.doubleValue());
        });
        return params;
    }

    private static Map<String, Object> defaults(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
