package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every route the server registered and checks its access rule over real HTTP: 401
 * without a token, 403 with a token of every role the route does not allow, and neither with a
 * role it allows. A route registered without going through {@link ApiRoute} fails the first test.
 */
class RoutePermissionTest {
    @TempDir
    static Path dir;

    static RunningServer running;

    @BeforeAll
    static void start() {
        running = new RunningServer(dir);
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void everyRegisteredEndpointIsADeclaredRoute() {
        List<String> declared = running.server.routes().stream().map(ApiRoute::toString).toList();
        assertThat(running.server.registeredEndpoints()).isNotEmpty().containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void everyRouteRefusesAMissingTokenAndEveryRoleItDoesNotAllow() throws Exception {
        for (ApiRoute route : running.server.routes()) {
            String path = route.path().replaceAll("\\{[^}]+}", "1");
            String method = route.method().name();
            String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
            if (route.roles().contains(ApiRole.PUBLIC)) {
                assertThat(running.send(method, path, (String) null, body).statusCode()).as("%s public", route).isLessThan(400);
                continue;
            }
            HttpResponse<String> anonymous = running.send(method, path, (String) null, body);
            assertThat(anonymous.statusCode()).as("%s without a token", route).isEqualTo(401);
            assertThat(RunningServer.errorCode(anonymous)).isEqualTo("TOKEN_MISSING");
            assertThat(running.send(method, path, "seer_not-a-real-token", body).statusCode())
                    .as("%s with a bad token", route).isEqualTo(401);
            for (Role role : EnumSet.allOf(Role.class)) {
                int status = running.send(method, path, role, body).statusCode();
                if (route.roles().contains(ApiRole.of(role))) {
                    assertThat(status).as("%s as %s", route, role).isNotIn(401, 403).isLessThan(500);
                } else {
                    assertThat(status).as("%s as %s", route, role).isEqualTo(403);
                }
            }
        }
    }

    @Test
    void aRouteWithoutRolesCannotBeDeclared() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiRoute.get("/x", ctx -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allows no role");
    }
}
