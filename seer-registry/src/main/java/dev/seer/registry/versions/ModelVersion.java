package dev.seer.registry.versions;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable version of a registered model: where its files are ({@code source}), the run that
 * produced it, what it is ({@link VersionDetails}), its tags, the aliases pointing at it now, and
 * the checks recorded on it.
 */
public record ModelVersion(String name, int version, Instant created, Instant updated, String description, String userId,
        String source, Optional<String> runId, VersionDetails details, Map<String, String> tags, List<String> aliases,
        List<VersionCheck> checks) {
    public ModelVersion {
        requireNonNull(name, "name is null");
        requireNonNull(created, "created is null");
        requireNonNull(updated, "updated is null");
        requireNonNull(description, "description is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(source, "source is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(details, "details is null");
        tags = Map.copyOf(tags);
        aliases = List.copyOf(aliases);
        checks = List.copyOf(checks);
    }

    /** Whether a check of this name passed on this version. */
    public boolean passed(String check) {
        return checks.stream().anyMatch(c -> c.check().equals(check) && c.passed());
    }

    @Override
    public String toString() {
        return name + ":" + version;
    }
}
