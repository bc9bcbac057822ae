package dev.seer.cli;

import dev.seer.core.Role;
import dev.seer.metadata.ApiToken;
import dev.seer.metadata.IssuedToken;
import dev.seer.server.Codec;
import dev.seer.server.TokenOperations;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", mixinStandardHelpOptions = true, description = "Create, list and revoke API tokens.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token; its secret is printed once and stored only as a hash.")
    static final class Create extends CliCommand {
        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "admin, scientist, operator or auditor.")
        String role;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "A name unique among active tokens (letters, digits, _.@-).")
        String name;

        @Override
        public Integer call() {
            Role parsed = Role.parse(role);
            try (Backend backend = cli().backend("token create")) {
                IssuedToken issued = backend.call(TokenOperations.CREATE, new TokenOperations.Create(parsed, name));
                if (cli().json()) {
                    printJson(TokenOperations.CREATE.encodeResponse(issued));
                } else {
                    out().println("Created token " + issued.token().name() + " (" + issued.token().id() + "), role "
                            + issued.token().role().id() + ". Secret (shown once):");
                    out().println("  " + issued.secret());
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
    static final class ListTokens extends CliCommand {
        @Override
        public Integer call() {
            try (Backend backend = cli().backend("token list")) {
                List<ApiToken> tokens = backend.call(TokenOperations.LIST, Codec.Empty.REQUEST);
                if (cli().json()) {
                    printJson(TokenOperations.LIST.encodeResponse(tokens));
                    return 0;
                }
                out().printf("%-30s %-20s %-10s %-8s %s%n", "ID", "NAME", "ROLE", "STATE", "CREATED");
                for (ApiToken t : tokens) {
                    out().printf("%-30s %-20s %-10s %-8s %s%n", t.id(), t.name(), t.role().id(),
                            t.active() ? "active" : "revoked", t.created());
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id or name.")
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "TOKEN", description = "The token's id or name.")
        String token;

        @Override
        public Integer call() {
            try (Backend backend = cli().backend("token revoke")) {
                ApiToken revoked = backend.call(TokenOperations.REVOKE, token);
                if (cli().json()) {
                    printJson(TokenOperations.REVOKE.encodeResponse(revoked));
                } else {
                    out().println("Revoked token " + revoked.name() + " (" + revoked.id() + ")");
                }
            }
            return 0;
        }
    }
}
