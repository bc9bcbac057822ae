package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Role;
import dev.seer.metadata.TokenStore;
import io.javalin.http.Context;
import java.util.List;

/** API tokens over HTTP; admin only. */
final class TokenApi {
    private final TokenStore tokens;

    TokenApi(TokenStore tokens) {
        this.tokens = tokens;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/tokens", this::list, ADMIN),
                ApiRoute.post("/api/v1/tokens", this::create, ADMIN),
                ApiRoute.delete("/api/v1/tokens/{token}", this::revoke, ADMIN));
    }

    private void list(Context ctx) {
        Http.json(ctx, ApiJson.tokens(tokens.list()));
    }

    private void create(Context ctx) {
        JsonNode body = Http.body(ctx);
        Role role = Role.parse(Http.requiredText(body, "role"));
        String name = Http.requiredText(body, "name");
        Http.json(ctx, 201, ApiJson.issued(tokens.create(role, name, Authenticator.actor(ctx))));
    }

    private void revoke(Context ctx) {
        Http.json(ctx, ApiJson.token(tokens.revoke(ctx.pathParam("token"), Authenticator.actor(ctx))));
    }
}
