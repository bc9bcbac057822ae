package dev.seer.serving.online;

import java.util.Map;
import java.util.Optional;

/**
 * Online learning's view of the prediction log: the values a logged prediction's model saw. The
 * wiring implements it over the log, as it implements feedback's {@code LoggedPredictions}.
 */
@FunctionalInterface
public interface LoggedFeatures {
    /** The inputs of prediction {@code predictionId} by name, NaN where the model saw none; empty for an unknown id. */
    Optional<Map<String, Double>> of(String predictionId);
}
