package dev.seer.cli;

import dev.seer.monitoring.watch.RetrainPolicies;
import dev.seer.monitoring.watch.RetrainPolicy;
import dev.seer.monitoring.watch.RetrainRun;
import dev.seer.server.RetrainOperations;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seer retrain ...}: the retraining loop of a deployment: its policy, its runs, a run now. */
final class RetrainCommands {
    private RetrainCommands() {}

    @Command(name = "retrain", mixinStandardHelpOptions = true,
            description = {"Retrain deployment DEPLOYMENT now, by its policy: a fresh version of its champion's dataset from",
                "its labelled predictions, the champion's spec trained on it, and the result deployed as challenger or",
                "promoted only if the promotion gate shows it better."},
            subcommands = {Policy.class, ListRuns.class})
    static final class Retrain extends CliCommand {
        @Parameters(paramLabel = "DEPLOYMENT", arity = "0..1")
        String deployment;

        @Override
        public Integer call() {
            if (deployment == null) {
                spec.commandLine().usage(err());
                return 2;
            }
            RetrainRun run = callWithProgress(RetrainOperations.RETRAIN, deployment, "retrain: ");
            show(RetrainOperations.RETRAIN, run, () -> out().println(describe(run)));
            return run.status() == RetrainRun.Status.FAILED ? 1 : 0;
        }
    }

    @Command(name = "policy", mixinStandardHelpOptions = true,
            description = "Set deployment DEPLOYMENT's retraining policy, replacing the one it had.")
    static final class Policy extends CliCommand {
        @Parameters(paramLabel = "DEPLOYMENT")
        String deployment;

        @Option(names = "--on", paramLabel = "RULE", split = ",",
                description = "Alert rule ids whose firing retrains (* for any rule on the deployment's figures).")
        List<String> on = List.of();

        @Option(names = "--every", paramLabel = "DURATION", description = "Retrain on a schedule, such as 7d.")
        String every;

        @Option(names = "--lookback", paramLabel = "DURATION", defaultValue = "7d",
                description = "How far back the labelled predictions go (default: ${DEFAULT-VALUE}).")
        String lookback;

        @Option(names = "--action", paramLabel = "challenger|promote", defaultValue = "challenger",
                description = "What a version that passed the gate becomes (default: ${DEFAULT-VALUE}).")
        String action;

        @Option(names = "--challenger-percent", paramLabel = "N", defaultValue = "10",
                description = "The challenger's share of requests (default: ${DEFAULT-VALUE}).")
        int challengerPercent;

        @Option(names = "--min-rows", paramLabel = "N", defaultValue = "1000",
                description = "The fewest labelled rows a run trains on (default: ${DEFAULT-VALUE}).")
        int minRows;

        @Option(names = "--cooldown", paramLabel = "DURATION", defaultValue = "1d",
                description = "The least time between runs an alert starts (default: ${DEFAULT-VALUE}).")
        String cooldown;

        @Override
        public Integer call() {
            RetrainPolicy policy = new RetrainPolicy(deployment, new LinkedHashSet<>(on), Optional.ofNullable(every)
                    .map(e -> RetrainOperations.duration("every", e)), RetrainOperations.duration("lookback", lookback),
                    RetrainPolicy.Action.parse(action, "action"), challengerPercent, minRows,
                    RetrainOperations.duration("cooldown", cooldown));
            RetrainPolicies.Stored stored = call(RetrainOperations.SET, policy);
            show(RetrainOperations.SET, stored, () -> out().println("Retraining policy of " + deployment + ": "
                    + describe(stored.policy())));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Deployment DEPLOYMENT's retraining policy and its latest runs.")
    static final class ListRuns extends CliCommand {
        @Parameters(paramLabel = "DEPLOYMENT")
        String deployment;

        @Override
        public Integer call() {
            RetrainOperations.Shown shown = call(RetrainOperations.SHOW, deployment);
            show(RetrainOperations.SHOW, shown, () -> {
                out().println("Policy: " + shown.policy().map(p -> describe(p.policy()) + " (set by " + p.setBy() + " at "
                        + p.setAt() + ")").orElse("none"));
                if (shown.runs().isEmpty()) {
                    out().println("No runs.");
                }
                shown.runs().forEach(r -> out().println(describe(r)));
            });
            return 0;
        }
    }

    static String describe(RetrainPolicy p) {
        return (p.triggers().isEmpty() ? "" : "on " + String.join(",", p.triggers()) + " ")
                + p.every().map(e -> "every " + RetrainOperations.duration(e) + " ").orElse("")
                + "lookback " + RetrainOperations.duration(p.lookback()) + ", " + p.action().id()
                + (p.action() == RetrainPolicy.Action.CHALLENGER ? " at " + p.challengerPercent() + "%" : "")
                + ", min rows " + p.minRows() + ", cooldown " + RetrainOperations.duration(p.cooldown());
    }

    static String describe(RetrainRun r) {
        return r.id() + "  " + r.started() + "  " + r.trigger() + "  " + r.status().id()
                + r.dataset().map(d -> "  dataset " + d).orElse("") + r.modelVersion().map(v -> "  version " + v).orElse("")
                + r.gatePassed().map(g -> "  gate " + (g ? "passed" : "failed")).orElse("") + "\n    " + r.outcome()
                + (r.error().isEmpty() ? "" : "\n    error: " + r.error());
    }
}
