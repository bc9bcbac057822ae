package dev.seer.registry.versions;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One move of an alias, kept for ever: which version it pointed at from then on (empty: the
 * alias was removed), when, who moved it, why, and on what grounds it was allowed.
 *
 * @param grounds {@code unprotected}, {@code check <name> passed}, or {@code override}
 */
public record AliasMove(String name, String alias, Optional<Integer> version, Instant at, String actor, String reason,
        String grounds) {
    public AliasMove {
        requireNonNull(name, "name is null");
        requireNonNull(alias, "alias is null");
        requireNonNull(version, "version is null");
        requireNonNull(at, "at is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(grounds, "grounds is null");
    }
}
