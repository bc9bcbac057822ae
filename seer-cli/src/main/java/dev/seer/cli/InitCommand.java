package dev.seer.cli;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.metadata.IssuedToken;
import dev.seer.server.SeerServices;
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

    /** Creates the home, migrates its store, records the event and issues the first admin token. */
    static IssuedToken initialise(SeerCli cli) {
        SeerHome home = SeerHome.create(cli.homePath());
        try (HomeLock lock = home.lock("init");
                SeerServices services = SeerServices.open(home, home.loadConfig(cli.environment()), cli.clock())) {
            String actor = LocalBackend.localActor();
            services.audit().appendAndWait(new AuditRecord(actor, "home.initialised", "home", home.root().toString(),
                    Json.object().put("metadata", services.database().describe())));
            return services.tokens().create(Role.ADMIN, "admin", actor);
        }
    }
}
