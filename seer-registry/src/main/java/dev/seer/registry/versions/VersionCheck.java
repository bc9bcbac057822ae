package dev.seer.registry.versions;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The outcome of a named check on a model version, such as the promotion gate's statistical
 * comparison against the champion. A protected alias moves only to a version whose check passed.
 *
 * @param detail what the check found, in words (a p-value, the figures compared)
 */
public record VersionCheck(String check, boolean passed, String detail, Instant recorded, String actor) {
    public VersionCheck {
        requireNonNull(check, "check is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(recorded, "recorded is null");
        requireNonNull(actor, "actor is null");
    }
}
