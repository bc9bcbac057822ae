package dev.seer.cli;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.home.FileTrees;
import dev.seer.core.home.HomeLock;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.server.ConfigSections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.seer.metadata.IssuedToken;
import dev.seer.server.SeerServices;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create a Seer home: the folder, a default seer.yaml and the metadata store.",
                "Prints a new admin token once; it is stored only as a hash."})
final class InitCommand extends CliCommand {
    @Override
    public Integer call() {
        IssuedToken admin = initialise(cli());
        if (cli().json()) {
            printJson(Json.object().put("home", cli().homePath().toAbsolutePath().normalize().toString())
                    .put("token", admin.secret()).put("token_id", admin.token().id()));
        } else {
            out().println("Created Seer home " + cli().homePath().toAbsolutePath().normalize());
            out().println("Admin token (shown once, keep it safe):");
            out().println("  " + admin.secret());
        }
        return 0;
    }

    /**
     * Creates the home, migrates its store, records the event and issues the first admin token.
     * The environment's config is checked before anything is written, and a home whose set-up
     * fails (an unreachable PostgreSQL, say) is removed again, so a retry starts clean.
     */
    static IssuedToken initialise(SeerCli cli) {
        Path root = cli.homePath();
        SeerConfig.load(root.resolve(SeerHome.CONFIG_FILE), cli.environment(), ConfigSections.ALL); // fails before any write
        boolean existed = Files.exists(root);
        SeerHome home = SeerHome.create(root, ConfigSections.ALL);
        try (HomeLock lock = home.lock("init", cli.clock());
                SeerServices services = SeerServices.open(home, ConfigSections.load(home, cli.environment()), cli.clock())) {
            String actor = LocalBackend.localActor();
            services.audit().appendAndWait(new AuditRecord(actor, "home.initialised", "home", home.root().toString(),
                    Json.object().put("metadata", services.database().describe())));
            return services.tokens().create(Role.ADMIN, "admin", actor);
        } catch (RuntimeException e) {
            removeFailedHome(home, existed);
            throw e;
        }
    }

    private static void removeFailedHome(SeerHome home, boolean folderExisted) {
        // best effort: the error that caused this is the one to report
        if (!folderExisted) {
            FileTrees.deleteQuietly(home.root());
            return;
        }
        try (Stream<Path> children = Files.list(home.root())) {
            children.forEach(FileTrees::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // as above
        }
    }
}
