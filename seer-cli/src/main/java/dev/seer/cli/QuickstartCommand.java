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

    @Override
    public Integer call() throws InterruptedException {
        IssuedToken admin = null;
        if (!Files.exists(cli().homePath().resolve(SeerHome.CONFIG_FILE))) {
            admin = InitCommand.initialise(cli());
        }
        IssuedToken created = admin;
        ServerCommand.runServer(cli(), "quickstart", port, null, server -> announce(server, created));
        return 0;
    }

    private void announce(SeerServer server, IssuedToken admin) {
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
