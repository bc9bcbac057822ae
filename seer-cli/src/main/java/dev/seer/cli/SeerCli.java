package dev.seer.cli;

import dev.seer.core.SeerException;
import dev.seer.core.home.HomeOwner;
import dev.seer.core.home.SeerHome;
import dev.seer.server.ConfigSections;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The {@code seer} command. Global options are inherited by every subcommand. Exit codes follow
 * the error category: 0 ok, 1 internal, 2 user error (also bad usage), 3 not found, 4 conflict
 * (also: the audit log does not verify), 5 unauthorised, 6 forbidden, 7 unavailable.
 */
@Command(name = "seer", mixinStandardHelpOptions = true, versionProvider = SeerCli.Version.class,
        description = "Seer, a data science platform for the JVM.",
        subcommands = {InitCommand.class, ServerCommand.class, QuickstartCommand.class, TokenCommand.class,
                AuditCommand.class, FeatureCommands.Plan.class, FeatureCommands.Apply.class, FeatureCommands.Features.class,
                IngestCommands.Ingest.class, IngestCommands.Quarantine.class, IngestCommands.Materialize.class,
                DatasetCommands.Dataset.class, DatasetCommands.Lineage.class,
                TrackingCommands.Experiments.class, TrackingCommands.Runs.class, ModelCommands.Models.class,
                TrainingCommands.Train.class, TrainingCommands.AutoMl.class, TrainingCommands.Tune.class,
                ExplainCommands.Explain.class, ExplainCommands.WhatIf.class, ExplainCommands.Counterfactual.class,
                ServingCommands.Deploy.class, ServingCommands.Deployments.class, ServingCommands.Predict.class,
                ServingCommands.Score.class, ServingCommands.Predictions.class, ServingCommands.SendFeedback.class,
                MonitorCommands.Alerts.class, MonitorCommands.Monitor.class, RetrainCommands.Retrain.class,
                CommandLine.HelpCommand.class})
public final class SeerCli {
    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The Seer home (default: $SEER_HOME, else ./.seer).")
    String home;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "API token for a running server (default: $SEER_TOKEN, else the server's local CLI token).")
    String token;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print results as JSON.")
    boolean json;

    private final Map<String, String> environment;
    private final Clock clock;

    SeerCli(Map<String, String> environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.getenv(), Clock.systemUTC(), new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                    new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        } catch (Throwable e) {
            // an Error that escapes a command (a broken install, out of memory) must still end the process:
            // the server's and Kafka's threads would otherwise keep it running with nothing left to do
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** Runs one command line; returns its exit code. */
    static int run(String[] args, Map<String, String> environment, Clock clock, PrintWriter out, PrintWriter err) {
        SeerCli cli = new SeerCli(environment, clock);
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> handle(cli, e, line));
        return commandLine.execute(args);
    }

    private static int handle(SeerCli cli, Exception e, CommandLine line) {
        PrintWriter err = line.getErr();
        if (e instanceof SeerException seer) {
            if (cli.json) {
                line.getOut().println(dev.seer.core.Json.write(Map.of("error", Map.of("code", seer.errorCode().code(),
                        "message", seer.getMessage(), "details", seer.details()))));
            } else {
                err.println("error: " + seer.getMessage() + " [" + seer.errorCode().code() + "]");
            }
            return seer.category().exitCode();
        }
        err.println("error: unexpected " + e);
        e.printStackTrace(err);
        return 1;
    }

    Path homePath() {
        return SeerHome.locate(home, environment);
    }

    Map<String, String> environment() {
        return environment;
    }

    Clock clock() {
        return clock;
    }

    boolean json() {
        return json;
    }

    /**
     * The backend for a command: the server owning the home if one runs, else the home itself,
     * locked for the length of the command.
     */
    Backend backend(String command) {
        SeerHome seerHome = SeerHome.open(homePath());
        Optional<HomeOwner> owner = seerHome.owner();
        if (owner.isPresent() && !owner.get().url().isEmpty()) {
            return new RemoteBackend(owner.get().url(), resolveToken(seerHome));
        }
        var lock = seerHome.lock("cli " + command, clock);
        try {
            SeerServices services = SeerServices.open(seerHome, ConfigSections.load(seerHome, environment), clock);
            return new LocalBackend(services, lock, LocalBackend.localActor());
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private String resolveToken(SeerHome seerHome) {
        if (token != null && !token.isBlank()) {
            return token;
        }
        String fromEnvironment = environment.get("SEER_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        Path local = seerHome.runDirectory().resolve(SeerServer.LOCAL_TOKEN_FILE);
        try {
            return Files.isReadable(local) ? Files.readString(local).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SeerCli.class.getPackage().getImplementationVersion();
            return new String[] {"seer " + (version == null ? "development" : version)};
        }
    }
}
