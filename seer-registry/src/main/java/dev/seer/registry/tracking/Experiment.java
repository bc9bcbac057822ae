package dev.seer.registry.tracking;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A named group of runs. Ids are decimal strings as MLflow's API has them; {@code "0"} is the
 * {@code Default} experiment, which always exists.
 */
public record Experiment(String id, String name, String artifactLocation, Lifecycle lifecycle, Instant created,
        Instant lastUpdated, Map<String, String> tags) {
    public Experiment {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(artifactLocation, "artifactLocation is null");
        requireNonNull(lifecycle, "lifecycle is null");
        requireNonNull(created, "created is null");
        requireNonNull(lastUpdated, "lastUpdated is null");
        tags = Map.copyOf(tags);
    }
}
