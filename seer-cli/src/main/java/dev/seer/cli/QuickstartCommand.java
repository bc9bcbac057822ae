package dev.seer.cli;

import dev.seer.core.home.SeerHome;
import dev.seer.metadata.IssuedToken;
import dev.seer.server.SeerServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Initialise the home if needed, start the server, and print its URL and a token.",
                "The printed session token is an admin token valid while this server runs."})
final class QuickstartCommand extends CliCommand {
    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: server.port, 7070).")
    Integer port;

    @Option(names = "--example", defaultValue = "examples/churn", paramLabel = "DIR",
            description = "A feature repository to apply, ingest and materialise first (default: examples/churn; skipped if absent).")
    Path example;

    @Override
    public Integer call() throws InterruptedException {
        IssuedToken admin = null;
        if (!Files.exists(cli().homePath().resolve(SeerHome.CONFIG_FILE))) {
            admin = InitCommand.initialise(cli());
        }
        IssuedToken created = admin;
        ServerCommand.runServer(cli(), "quickstart", port, null, (server, services) -> {
            String lookup = Files.isDirectory(example) ? loadExample(services) : null;
            announce(server, created, lookup);
        });
        return 0;
    }

    /** Applies, ingests and materialises the example; returns the body of an online lookup to try. */
    private String loadExample(dev.seer.server.SeerServices services) {
        String actor = LocalBackend.localActor();
        services.features().apply(example, actor);
        for (var source : services.catalog().latestOfKind("source")) {
            var report = services.ingestor().ingest(source.name(), java.util.Optional.empty(), actor);
            out().printf("Example: source %s, %,d rows read, %,d written, %,d quarantined%s%n", source.name(),
                    report.rowsRead(), report.rowsWritten(), report.rowsQuarantined(),
                    report.alreadyIngested() ? " (already ingested)" : "");
        }
        services.materializer().materialize(java.util.List.of(), java.util.Optional.empty(), cli().clock().instant(), actor);
        var service = services.catalog().latestOfKind("feature_service").stream().findFirst();
        if (service.isEmpty()) {
            return null;
        }
        String key = services.catalog().latestOfKind("entity").get(0).body().path("join_keys").get(0).asText();
        String body = "{\"feature_service\": \"" + service.get().name() + "\", \"entities\": {\"" + key + "\": [\"1\", \"2\"]}}";
        var results = services.featureServer().lookup(java.util.List.of(service.get().name()),
                java.util.Map.of(key, java.util.List.of("1", "2")));
        out().println("Online lookup of " + key + " 1 and 2: " + dev.seer.core.Json.write(dev.seer.server.ApiJson.online(results)));
        return body;
    }

    private void announce(SeerServer server, IssuedToken admin, String lookup) {
        Path home = cli().homePath().toAbsolutePath().normalize();
        String session = readSessionToken(home);
        out().println();
        out().println("Seer is running.");
        out().println("  home:   " + home);
        out().println("  url:    " + server.url());
        if (admin != null) {
            out().println("  admin token (new home, shown once): " + admin.secret());
        }
        out().println("  session token (admin, valid while this server runs): " + session);
        out().println();
        out().println("Try:");
        out().println("  export TOKEN=" + (admin != null ? admin.secret() : session));
        out().println("  curl -H \"Authorization: Bearer $TOKEN\" " + server.url() + "/api/v1/audit");
        if (lookup != null) {
            out().println("  curl -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d '" + lookup + "' "
                    + server.url() + "/api/v1/features/online");
        }
        out().println("  ./seer audit verify");
        out().println("Stop with Ctrl-C.");
        out().flush();
    }

    private static String readSessionToken(Path home) {
        try {
            return Files.readString(home.resolve("run").resolve(SeerServer.LOCAL_TOKEN_FILE)).trim();
        } catch (IOException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }
}
