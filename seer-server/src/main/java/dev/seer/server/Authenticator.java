package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.Role;
import dev.seer.metadata.ApiToken;
import dev.seer.metadata.TokenStore;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Map;
import java.util.Set;

/**
 * Runs before every matched route: checks the bearer token against the roles the route
 * declares. A route declaring no roles is denied to everyone, so forgetting a rule fails closed.
 * Every use of a token, and every refusal, is accounted for in the audit log through the
 * {@link AccessLog}, which tallies them per second.
 */
final class Authenticator {
    static final String PRINCIPAL = "seer.principal";

    private final TokenStore tokens;
    private final AccessLog access;

    Authenticator(TokenStore tokens, AccessLog access) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.access = requireNonNull(access, "access is null");
    }

    void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(ApiRole.PUBLIC)) {
            return;
        }
        String route = route(ctx);
        if (roles.isEmpty()) {
            deny("anonymous", route, "route declares no roles");
            throw new SeerException(ServerErrorCode.ROUTE_HAS_NO_RULE,
                    "Route [" + route + "] declares no roles and is denied to everyone", Map.of("route", route));
        }
        ApiToken token;
        try {
            token = tokens.authenticate(bearer(ctx));
        } catch (SeerException e) {
            deny("anonymous", route, e.errorCode().code());
            throw e;
        }
        if (!roles.contains(ApiRole.of(token.role()))) {
            deny(actor(token), route, "role " + token.role().id() + " not allowed");
            throw new SeerException(ServerErrorCode.ROLE_NOT_ALLOWED, "Token [" + token.name() + "] has role ["
                    + token.role().id() + "], which may not call [" + route + "]; allowed: " + names(roles),
                    Map.of("route", route, "role", token.role().id()));
        }
        ctx.attribute(PRINCIPAL, token);
        access.used(actor(token), route, token.id());
    }

    /** Method and route pattern of the endpoint this request matched, e.g. {@code GET /api/v1/audit/{seq}/proof}. */
    static String route(Context ctx) {
        var matched = ctx.endpoints().matchedHttpEndpoint();
        return ctx.method() + " " + (matched == null ? ctx.path() : matched.path);
    }

    static String actor(ApiToken token) {
        return "token:" + token.name();
    }

    /** The actor of an authenticated request, for the audit entries its handler writes. */
    static String actor(Context ctx) {
        ApiToken token = ctx.attribute(PRINCIPAL);
        return token == null ? "anonymous" : actor(token);
    }

    /** Whether the request's token is an admin's. */
    static boolean admin(Context ctx) {
        ApiToken token = ctx.attribute(PRINCIPAL);
        return token != null && token.role() == Role.ADMIN;
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return null;
        }
        return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    }

    private void deny(String actor, String route, String reason) {
        access.denied(actor, route, reason);
    }

    private static String names(Set<RouteRole> roles) {
        return roles.stream().map(r -> r.toString().toLowerCase(java.util.Locale.ROOT)).sorted().toList().toString();
    }
}
