package dev.seer.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Set;

/** One HTTP route: method, path, the roles allowed to call it, and its handler (see {@link OperationRoute}). */
record ApiRoute(HandlerType method, String path, Set<ApiRole> roles, Handler handler) {
    public ApiRoute {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        roles = Set.copyOf(roles);
        requireNonNull(handler, "handler is null");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("route " + method + " " + path + " allows no role");
        }
    }

    static ApiRoute get(String path, Handler handler, ApiRole... roles) {
        return new ApiRoute(HandlerType.GET, path, Set.of(roles), handler);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
