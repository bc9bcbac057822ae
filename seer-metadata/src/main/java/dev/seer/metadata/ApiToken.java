package dev.seer.metadata;

import dev.seer.core.Role;
import java.time.Instant;
import java.util.Optional;

/** What is known of an API token; never its secret, which is stored only as a hash. */
public record ApiToken(String id, String name, Role role, Instant created, String createdBy, Optional<Instant> revoked) {
    public boolean active() {
        return revoked.isEmpty();
    }
}
