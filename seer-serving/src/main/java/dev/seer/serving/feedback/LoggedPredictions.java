package dev.seer.serving.feedback;

import static java.util.Objects.requireNonNull;

import dev.seer.models.OutputKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Feedback's view of the prediction log: the two look-ups a join needs. The wiring implements it
 * over the log; feedback never reads the log's own records, so the log's storage can change
 * without touching this package.
 */
public interface LoggedPredictions {
    /** The prediction logged under {@code id}, if any. */
    Optional<Logged> byId(String id);

    /**
     * The latest prediction {@code deployment} made for {@code entity} at or before {@code at}
     * (shadow predictions excluded: they were never answered, so nothing acted on them).
     */
    Optional<Logged> latestBefore(Map<String, String> entity, String deployment, Instant at);

    /**
     * The shadow predictions scored beside the answered prediction {@code predictionId} (the log's
     * {@code shadowOf}), empty when the deployment had no shadow then. An outcome for an answered
     * prediction is the outcome of its shadows too: that is how a shadow arm gets live metrics.
     */
    List<Logged> shadowsOf(String predictionId);

    /**
     * What feedback needs of a logged prediction: who made it when, and its output, read by
     * {@code kind} (the model signature's output kind): P(1) for {@code probability}, one
     * probability per class for {@code class-probabilities}, the value for {@code value}.
     */
    // The output is the logged array itself; a copy per look-up would buy nothing here.
    @SuppressWarnings("ArrayRecordComponent")
    record Logged(String id, Instant time, String deployment, String arm, String model, int version,
            OutputKind kind, double[] output) {
        public Logged {
            requireNonNull(id, "id is null");
            requireNonNull(time, "time is null");
            requireNonNull(deployment, "deployment is null");
            requireNonNull(arm, "arm is null");
            requireNonNull(model, "model is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(output, "output is null");
        }
    }
}
