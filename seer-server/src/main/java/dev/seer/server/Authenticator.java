package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.metadata.ApiToken;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.TokenStore;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before every matched route: checks the bearer token against the roles the route
 * declares. A route declaring no roles is denied to everyone, so forgetting a rule fails closed.
 * Every use of a token, and every refusal, is written to the audit log.
 */
final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    static final String PRINCIPAL = "seer.principal";

    private final TokenStore tokens;
    private final AuditLog audit;
    private final java.util.concurrent.atomic.AtomicLong droppedAccessRecords = new java.util.concurrent.atomic.AtomicLong();

    Authenticator(TokenStore tokens, AuditLog audit) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.audit = requireNonNull(audit, "audit is null");
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
        record(new AuditRecord(actor(token), "token.used", "route", route,
                Json.object().put("token", token.id()).put("path", ctx.path())));
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

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return null;
        }
        return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    }

    private void deny(String actor, String route, String reason) {
        record(new AuditRecord(actor, "auth.denied", "route", route, Json.object().put("reason", reason)));
    }

    /**
     * Access records are not waited for: a request should not pay a disk sync for its own access
     * record, and a flood of refused requests must not block request threads on a full queue.
     * A record the queue has no room for is counted and logged instead.
     */
    private void record(AuditRecord record) {
        if (!audit.tryAppend(record)) {
            long dropped = droppedAccessRecords.incrementAndGet();
            LOG.warn("Audit queue full: access record {} by {} not written ({} so far)", record.action(),
                    record.actor(), dropped);
        }
    }

    long droppedAccessRecords() {
        return droppedAccessRecords.get();
    }

    private static String names(Set<RouteRole> roles) {
        return roles.stream().map(r -> r.toString().toLowerCase(java.util.Locale.ROOT)).sorted().toList().toString();
    }
}
