package dev.seer.server;

import dev.seer.core.Role;
import io.javalin.security.RouteRole;

/**
 * Who may call a route. Every route names at least one of these; {@link #PUBLIC} is for the
 * health check only. A route naming none is denied to everyone (the default is deny).
 */
enum ApiRole implements RouteRole {
    PUBLIC(null),
    ADMIN(Role.ADMIN),
    SCIENTIST(Role.SCIENTIST),
    OPERATOR(Role.OPERATOR),
    AUDITOR(Role.AUDITOR);

    private final Role role;

    ApiRole(Role role) {
        this.role = role;
    }

    static ApiRole of(Role role) {
        for (ApiRole apiRole : values()) {
            if (apiRole.role == role) {
                return apiRole;
            }
        }
        throw new IllegalArgumentException("no API role for " + role);
    }
}
