package dev.seer.cli;

import dev.seer.server.Codec;
import dev.seer.server.DeploymentOperations;
import dev.seer.serving.deploy.Deployment;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seer deploy} and {@code seer deployments ...}: models in production. */
final class ServingCommands {
    private ServingCommands() {}

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = {"Create or change deployment NAME as a whole: the champion that answers, and optionally a",
                    "challenger answering for a share of the entities (one entity stays in one arm) or a shadow that",
                    "scores every row and is only logged. Every model is checked before the change takes effect, at once."})
    static final class Deploy extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "Lower-case letters, digits, '_' and '-'.")
        String name;

        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The registered model of the champion.")
        String model;

        @Option(names = "--version", paramLabel = "N", description = "The champion's version (default: the version --alias"
                + " points at).")
        Integer version;

        @Option(names = "--alias", paramLabel = "ALIAS", description = "Deploy the version this alias points at now"
                + " (default: champion).")
        String alias;

        @Option(names = "--challenger", paramLabel = "NAME:VERSION", description = "A challenger; needs --split.")
        String challenger;

        @Option(names = "--split", paramLabel = "C/CH", description = "Champion/challenger percents, e.g. 90/10.")
        String split;

        @Option(names = "--shadow", paramLabel = "NAME:VERSION", description = "A shadow model: logged, never returned.")
        String shadow;

        @Option(names = "--missing", paramLabel = "POLICY", description = "A row lacking a feature: refuse (default) or"
                + " model_default (scored down the model's missing-value path); recorded in the log either way.")
        String missing;

        @Option(names = "--when-store-down", paramLabel = "POLICY", description = "While the online store is unreachable"
                + " or rebuilding: refuse (default, 503) or model_default (its features scored as missing, recorded as"
                + " degraded).")
        String whenStoreDown;

        @Option(names = "--expected-revision", paramLabel = "N", description = "Change only if the deployment is at this"
                + " revision (0: only if it does not exist); otherwise a conflict.")
        Long expectedRevision;

        @Override
        public Integer call() {
            Deployment d = call(DeploymentOperations.DEPLOY, new DeploymentOperations.Deploy(name, model,
                    Optional.ofNullable(version), Optional.ofNullable(alias), Optional.ofNullable(challenger),
                    Optional.ofNullable(split), Optional.ofNullable(shadow), Optional.ofNullable(missing),
                    Optional.ofNullable(whenStoreDown), Optional.ofNullable(expectedRevision)));
            show(DeploymentOperations.DEPLOY, d, () -> out().println("Deployed " + describe(d)));
            return 0;
        }
    }

    @Command(name = "deployments", mixinStandardHelpOptions = true, description = "Deployments: list, show, remove.",
            subcommands = {ListDeployments.class, Show.class, Remove.class})
    static final class Deployments {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every deployment.")
    static final class ListDeployments extends CliCommand {
        @Override
        public Integer call() {
            List<Deployment> all = call(DeploymentOperations.LIST, Codec.Empty.REQUEST);
            show(DeploymentOperations.LIST, all, () -> {
                if (all.isEmpty()) {
                    out().println("No deployments.");
                }
                all.forEach(d -> out().println(describe(d)));
            });
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A deployment and every revision it has had.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            DeploymentOperations.Shown shown = call(DeploymentOperations.SHOW, name);
            show(DeploymentOperations.SHOW, shown, () -> {
                out().println(describe(shown.deployment()));
                out().println("Revisions:");
                for (int i = 0; i < shown.history().size(); i++) {
                    int revision = i + 1;
                    out().println("  " + shown.history().get(i).map(d -> d.revision() + "  " + d.changedAt() + "  "
                            + d.changedBy() + "  " + arms(d)).orElse(revision + "  removed"));
                }
            });
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a deployment; its revisions stay.")
    static final class Remove extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            String removed = call(DeploymentOperations.REMOVE, name);
            show(DeploymentOperations.REMOVE, removed, () -> out().println("Removed deployment " + removed));
            return 0;
        }
    }

    static String describe(Deployment d) {
        return d.name() + " (revision " + d.revision() + "): " + arms(d) + "; missing features: " + d.missing().id()
                + "; store down: " + d.whenStoreDown().id();
    }

    private static String arms(Deployment d) {
        String arms = "champion " + d.champion();
        if (d.challenger().isPresent()) {
            arms += ", challenger " + d.challenger().get() + " (" + (100 - d.challengerPercent()) + "/"
                    + d.challengerPercent() + ")";
        }
        return arms + d.shadow().map(s -> ", shadow " + s).orElse("");
    }
}
