package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.metadata.ApiToken;
import dev.seer.metadata.IssuedToken;
import java.util.List;

/** API tokens; admin only. */
public final class TokenOperations {
    /** A token to create: its role and a name unique among active tokens. */
    public record Create(Role role, String name) {}

    public static final Operation<Codec.Empty, List<ApiToken>> LIST = Operation
            .<Codec.Empty, List<ApiToken>>get("token.list", "/api/v1/tokens").roles(ADMIN)
            .request(Codec.EMPTY).response(Codec.of(ApiJson::tokens, ApiJson::tokens))
            .handler((services, request, call) -> services.tokens().list());

    public static final Operation<Create, IssuedToken> CREATE = Operation
            .<Create, IssuedToken>post("token.create", "/api/v1/tokens").roles(ADMIN).status(201)
            .request(Codec.of(c -> Json.object().put("role", c.role().id()).put("name", c.name()),
                    node -> new Create(Role.parse(Fields.text(node, "role")), Fields.text(node, "name"))))
            .response(Codec.of(ApiJson::issued, ApiJson::issued))
            .handler((services, request, call) -> services.tokens().create(request.role(), request.name(), call.actor()));

    /** Revokes a token named by id or name. */
    public static final Operation<String, ApiToken> REVOKE = Operation
            .<String, ApiToken>delete("token.revoke", "/api/v1/tokens/{token}").roles(ADMIN)
            .request(Codec.of(token -> Json.object().put("token", token), node -> node.path("token").asText()))
            .response(Codec.of(ApiJson::token, ApiJson::token))
            .handler((services, token, call) -> services.tokens().revoke(token, call.actor()));

    static final List<Operation<?, ?>> ALL = List.of(LIST, CREATE, REVOKE);

    private TokenOperations() {}
}
