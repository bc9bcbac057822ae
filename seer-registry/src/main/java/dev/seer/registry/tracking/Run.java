package dev.seer.registry.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run as the store has it: what identifies it and where it stands, its parameters and tags,
 * the latest value of each metric (the history is {@link TrackingStore#metricHistory}), the run
 * that started it (a tuning study's trials are its children), and, for runs Seer trained, its
 * provenance.
 *
 * @param artifactUri where its artifacts are, in the {@code mlflow-artifacts:/...} form MLflow
 *     clients use through the server's proxy
 */
public record Run(String id, String experimentId, String name, String userId, RunStatus status, Instant started,
        Optional<Instant> ended, Lifecycle lifecycle, String artifactUri, Optional<String> parentId,
        Map<String, String> params, Map<String, String> tags, List<Metric> metrics, Optional<RunProvenance> provenance) {
    public Run {
        requireNonNull(id, "id is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(status, "status is null");
        requireNonNull(started, "started is null");
        requireNonNull(ended, "ended is null");
        requireNonNull(lifecycle, "lifecycle is null");
        requireNonNull(artifactUri, "artifactUri is null");
        requireNonNull(parentId, "parentId is null");
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        metrics = List.copyOf(metrics);
        requireNonNull(provenance, "provenance is null");
    }
}
