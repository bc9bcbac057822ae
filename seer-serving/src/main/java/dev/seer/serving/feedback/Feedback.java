package dev.seer.serving.feedback;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * An observed outcome for one prediction, named by its id or by the entity it was made for.
 *
 * <p>The outcome is a number read by the prediction's output kind: the label 0 or 1 for a
 * binary probability, the class index for class probabilities, the observed value for a
 * regression. {@code observedAt} is when the outcome happened (days after the prediction, for a
 * churn label); {@code source} says where the feedback came from ({@code api}, {@code file:x.csv},
 * {@code kafka:topic}). Values are checked by {@link FeedbackStore}, so that a bulk load reports
 * a bad row by its number instead of failing as a whole.
 */
public record Feedback(Target target, double outcome, Instant observedAt, String source) {
    /** Which prediction the outcome is for. */
    public sealed interface Target permits ById, ByEntity {}

    /** The prediction with this id (as the predict API answered it). */
    public record ById(String predictionId) implements Target {
        public ById {
            requireNonNull(predictionId, "predictionId is null");
        }
    }

    /**
     * The latest prediction {@code deployment} made for {@code entity} at or before {@code at}:
     * for outcomes whose sender kept no prediction id, such as a churn table keyed by customer.
     */
    public record ByEntity(Map<String, String> entity, String deployment, Instant at) implements Target {
        public ByEntity {
            entity = Map.copyOf(requireNonNull(entity, "entity is null"));
            requireNonNull(deployment, "deployment is null");
            requireNonNull(at, "at is null");
        }

        /** The entity as {@code key=value, ...} in key order, for messages. */
        public String describe() {
            StringBuilder text = new StringBuilder();
            new TreeMap<>(entity).forEach((k, v) -> text.append(text.isEmpty() ? "" : ", ").append(k).append('=').append(v));
            return text.toString();
        }
    }

    public Feedback {
        requireNonNull(target, "target is null");
        requireNonNull(observedAt, "observedAt is null");
        requireNonNull(source, "source is null");
    }

    public static Feedback forPrediction(String predictionId, double outcome, Instant observedAt, String source) {
        return new Feedback(new ById(predictionId), outcome, observedAt, source);
    }

    public static Feedback forEntity(Map<String, String> entity, String deployment, Instant at, double outcome,
            Instant observedAt, String source) {
        return new Feedback(new ByEntity(entity, deployment, at), outcome, observedAt, source);
    }
}
