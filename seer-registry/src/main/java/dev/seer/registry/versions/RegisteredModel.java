package dev.seer.registry.versions;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * A named model: a line of immutable versions, and the aliases ({@code champion},
 * {@code challenger}, any name) that point at one of them now.
 *
 * @param aliases alias to the version it points at now
 */
public record RegisteredModel(String name, String description, Instant created, Instant updated, Map<String, String> tags,
        Map<String, Integer> aliases) {
    public RegisteredModel {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(created, "created is null");
        requireNonNull(updated, "updated is null");
        tags = Map.copyOf(tags);
        aliases = Map.copyOf(aliases);
    }
}
