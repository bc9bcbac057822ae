package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks every route's access rule over real HTTP against a literal copy of the README's table
 * ("HTTP API": route and roles, with each dataset operation's roles), not against the roles the
 * routes declare: a route whose roles change in code, or a route added or removed, fails here
 * until the documented table (and this copy of it) says the same. Without a token: 401; with a
 * token of a role the table does not name: 403; with one it names: neither.
 */
class RoutePermissionTest {
    static final Set<Role> ALL = EnumSet.allOf(Role.class);
    static final Set<Role> PUBLIC = Set.of();

    /** The README's table, row by row; path parameters are written {@code {}} whatever their name. */
    static final Map<String, Set<Role>> DOCUMENTED = documented();

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

    private static Map<String, Set<Role>> documented() {
        Map<String, Set<Role>> table = new LinkedHashMap<>();
        table.put("GET /healthz", PUBLIC);
        table.put("GET /metrics", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("GET /api/v1/audit", Set.of(Role.ADMIN, Role.AUDITOR));
        table.put("POST /api/v1/audit/verify", Set.of(Role.ADMIN, Role.AUDITOR));
        table.put("GET /api/v1/audit/checkpoint", Set.of(Role.ADMIN, Role.AUDITOR));
        table.put("POST /api/v1/audit/checkpoint", Set.of(Role.ADMIN, Role.AUDITOR));
        table.put("GET /api/v1/audit/{}/proof", Set.of(Role.ADMIN, Role.AUDITOR));
        table.put("POST /api/v1/features/plan", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/features/apply", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/features/historical", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /readyz", PUBLIC);
        table.put("GET /api/v1/streaming/status", ALL);
        table.put("GET /api/v1/dead-letters", ALL);
        table.put("POST /api/v1/push/{}", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("POST /api/v1/features/online", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("POST /api/v1/materialize", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("GET /api/v1/features/views", ALL);
        table.put("GET /api/v1/features/views/{}", ALL);
        table.put("GET /api/v1/features/views/{}/consistency", ALL);
        table.put("POST /api/v1/ingest/{}", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("GET /api/v1/quarantine", ALL);
        table.put("GET /api/v1/quarantine/{}", ALL);
        table.put("GET /api/v1/tokens", Set.of(Role.ADMIN));
        table.put("POST /api/v1/tokens", Set.of(Role.ADMIN));
        table.put("DELETE /api/v1/tokens/{}", Set.of(Role.ADMIN));
        table.put("POST /api/v1/datasets/list", ALL);
        table.put("POST /api/v1/datasets/versions", ALL);
        table.put("POST /api/v1/datasets/show", ALL);
        table.put("POST /api/v1/datasets/lineage", ALL);
        table.put("POST /api/v1/datasets/diff", Set.of(Role.ADMIN, Role.SCIENTIST, Role.AUDITOR));
        table.put("POST /api/v1/datasets/export", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/datasets/create", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/datasets/import", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/datasets/reproduce", Set.of(Role.ADMIN, Role.SCIENTIST, Role.AUDITOR));
        table.put("POST /api/v1/datasets/verify", Set.of(Role.ADMIN, Role.OPERATOR, Role.AUDITOR));
        table.put("POST /api/v1/datasets/gc", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("GET /api/v1/experiments", ALL);
        table.put("GET /api/v1/experiments/{}", ALL);
        table.put("POST /api/v1/experiments", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/v1/runs/{}", ALL);
        table.put("POST /api/v1/runs/{}/delete", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/runs/{}/restore", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/runs/search", ALL);
        table.put("GET /api/v1/runs/{}/metrics/{}", ALL);
        table.put("GET /api/v1/models", ALL);
        table.put("GET /api/v1/models/{}", ALL);
        table.put("GET /api/v1/models/{}/versions/{}", ALL);
        table.put("GET /api/v1/models/{}/versions/{}/lineage", ALL);
        table.put("POST /api/v1/models/{}/versions", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/models/{}/import", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/models/{}/versions/{}/checks", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/models/{}/aliases/{}", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("DELETE /api/v1/models/{}/aliases/{}", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("POST /api/v1/models/{}/aliases/{}/protect", Set.of(Role.ADMIN));
        table.put("GET /api/v1/models/{}/history", ALL);
        table.put("GET /api/v1/models/{}/at", ALL);
        table.put("POST /api/v1/models/{}/online", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/v1/models/{}/online", ALL);
        table.put("POST /api/v1/models/{}/online/snapshot", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("POST /api/v1/train", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/automl", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/v1/runs/{}/resume", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/v1/runs/{}/evaluation", ALL);
        table.put("POST /api/v1/models/{}/versions/{}/promote", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("GET /api/v1/models/{}/versions/{}/card", ALL);
        table.put("POST /api/v1/explain", ALL);
        table.put("POST /api/v1/what-if", ALL);
        table.put("GET /api/v1/models/{}/versions/{}/importance", ALL);
        table.put("POST /api/v1/counterfactual", ALL);
        table.put("POST /api/v1/deployments/{}", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("GET /api/v1/deployments", ALL);
        table.put("GET /api/v1/deployments/{}", ALL);
        table.put("DELETE /api/v1/deployments/{}", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("POST /api/v1/predict/{}", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("POST /api/v1/feedback", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("GET /api/v1/predictions/{}", ALL);
        table.put("GET /api/v1/predictions", ALL);
        table.put("POST /api/v1/predictions/export", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/v1/feedback/stream", ALL);
        table.put("GET /api/v1/deployments/{}/experiment", ALL);
        table.put("POST /api/v1/deployments/{}/experiment/decide", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("POST /api/v1/deployments/{}/retraining", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("GET /api/v1/deployments/{}/retraining", ALL);
        table.put("POST /api/v1/deployments/{}/retrain", Set.of(Role.ADMIN, Role.OPERATOR));
        table.put("GET /api/v1/deployments/{}/metrics", ALL);
        table.put("GET /api/v1/alerts", ALL);
        table.put("POST /api/v1/alerts/ack", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("GET /api/v1/alerts/rules", ALL);
        table.put("POST /api/v1/alerts/rules", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("DELETE /api/v1/alerts/rules/{}", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("GET /api/v1/alerts/history", ALL);
        table.put("GET /api/v1/deployments/{}/figures", ALL);
        table.put("GET /api/v1/deployments/{}/monitor/report", ALL);
        table.put("POST /api/2.0/mlflow/experiments/create", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/2.0/mlflow/experiments/get", ALL);
        table.put("GET /api/2.0/mlflow/experiments/get-by-name", ALL);
        table.put("POST /api/2.0/mlflow/experiments/search", ALL);
        table.put("POST /api/2.0/mlflow/experiments/set-experiment-tag", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/create", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/2.0/mlflow/runs/get", ALL);
        table.put("POST /api/2.0/mlflow/runs/update", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/log-parameter", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/log-metric", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/log-batch", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/set-tag", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/delete-tag", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/delete", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/restore", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("POST /api/2.0/mlflow/runs/search", ALL);
        table.put("GET /api/2.0/mlflow/metrics/get-history", ALL);
        table.put("POST /api/2.0/mlflow/registered-models/create", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/2.0/mlflow/registered-models/get", ALL);
        table.put("GET /api/2.0/mlflow/registered-models/search", ALL);
        table.put("GET /api/2.0/mlflow/registered-models/get-latest-versions", ALL);
        table.put("POST /api/2.0/mlflow/registered-models/get-latest-versions", ALL);
        table.put("POST /api/2.0/mlflow/model-versions/create", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/2.0/mlflow/model-versions/get", ALL);
        table.put("GET /api/2.0/mlflow/model-versions/search", ALL);
        table.put("GET /api/2.0/mlflow/model-versions/get-download-uri", ALL);
        table.put("POST /api/2.0/mlflow/registered-models/alias", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("DELETE /api/2.0/mlflow/registered-models/alias", Set.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR));
        table.put("GET /api/2.0/mlflow/registered-models/alias", ALL);
        table.put("GET /api/2.0/mlflow-artifacts/artifacts", ALL);
        table.put("PUT /api/2.0/mlflow-artifacts/artifacts/{}", Set.of(Role.ADMIN, Role.SCIENTIST));
        table.put("GET /api/2.0/mlflow-artifacts/artifacts/{}", ALL);
        return table;
    }

    @Test
    void theServerHasExactlyTheDocumentedRoutes() {
        List<String> registered = running.server.registeredEndpoints().stream().map(RoutePermissionTest::anyParameter).toList();
        assertThat(registered).containsExactlyInAnyOrderElementsOf(DOCUMENTED.keySet());
    }

    @Test
    void everyRegisteredEndpointIsADeclaredRoute() {
        List<String> declared = running.server.routes().stream().map(ApiRoute::toString).toList();
        assertThat(running.server.registeredEndpoints()).isNotEmpty().containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void everyRoleGetsThroughExactlyTheDocumentedRoutes() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<Role>> row : DOCUMENTED.entrySet()) {
            String method = row.getKey().substring(0, row.getKey().indexOf(' '));
            String path = row.getKey().substring(method.length() + 1).replace("{}", "1");
            String body = method.equals("POST") ? "{}" : null;
            if (row.getValue().isEmpty()) {
                expect(wrong, row.getKey() + " without a token", running.send(method, path, (String) null, body), "public");
                continue;
            }
            expect(wrong, row.getKey() + " without a token", running.send(method, path, (String) null, body), "TOKEN_MISSING");
            for (Role role : ALL) {
                HttpResponse<String> response = running.send(method, path, role, body);
                expect(wrong, row.getKey() + " as " + role.id(), response,
                        row.getValue().contains(role) ? "allowed" : "ROLE_NOT_ALLOWED");
            }
        }
        assertThat(wrong).as("routes whose access differs from the README's table").isEmpty();
    }

    @Test
    void aBadTokenIsRefusedOnEveryRouteThatNeedsOne() throws Exception {
        for (Map.Entry<String, Set<Role>> row : DOCUMENTED.entrySet()) {
            if (row.getValue().isEmpty()) {
                continue;
            }
            String method = row.getKey().substring(0, row.getKey().indexOf(' '));
            String path = row.getKey().substring(method.length() + 1).replace("{}", "1");
            HttpResponse<String> response = running.send(method, path, "seer_not-a-real-token", method.equals("POST") ? "{}" : null);
            assertThat(response.statusCode()).as("%s with a bad token", row.getKey()).isEqualTo(401);
        }
    }

    @Test
    void aRouteWithoutRolesCannotBeDeclared() {
        assertThatThrownBy(() -> ApiRoute.get("/x", ctx -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allows no role");
    }

    /**
     * Collects a mismatch: "allowed" and "public" mean the handler ran (not 401 or 403, and no
     * 500: a handler given a dummy request answers 4xx at worst); otherwise the status and code.
     */
    private static void expect(List<String> wrong, String what, HttpResponse<String> response, String expected) {
        int status = response.statusCode();
        String outcome = switch (expected) {
            case "allowed", "public" -> status == 401 || status == 403 || status >= 500 ? "refused " + status : expected;
            default -> status + " " + RunningServer.errorCode(response);
        };
        boolean mlflow = what.contains(" /api/2.0/"); // MLflow's error shape and codes there
        String wanted = switch (expected) {
            case "allowed", "public" -> expected;
            case "TOKEN_MISSING" -> mlflow ? "401 UNAUTHENTICATED" : "401 TOKEN_MISSING";
            default -> mlflow ? "403 PERMISSION_DENIED" : "403 " + expected;
        };
        if (!outcome.equals(wanted)) {
            wrong.add(what + ": expected " + wanted + ", got " + outcome + " " + response.body());
        }
    }

    private static String anyParameter(String endpoint) {
        return endpoint.replaceAll("\\{[^}]+}|<[^>]+>", "{}");
    }
}
