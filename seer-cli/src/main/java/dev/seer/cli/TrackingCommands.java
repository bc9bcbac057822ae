package dev.seer.cli;

import dev.seer.core.Json;
import dev.seer.registry.search.ViewType;
import dev.seer.registry.tracking.Experiment;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.server.Operation;
import dev.seer.server.TrackingOperations;
import dev.seer.server.TrainingOperations;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seer experiments ...} and {@code seer runs ...}: experiment tracking. */
final class TrackingCommands {
    private TrackingCommands() {}

    @Command(name = "experiments", mixinStandardHelpOptions = true, description = "Experiments: named groups of runs.",
            subcommands = {ListExperiments.class, ShowExperiment.class})
    static final class Experiments {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List experiments, by id.")
    static final class ListExperiments extends CliCommand {
        @Option(names = "--deleted", description = "Include deleted experiments.")
        boolean deleted;

        @Override
        public Integer call() {
            List<Experiment> experiments = call(TrackingOperations.EXPERIMENTS, deleted);
            show(TrackingOperations.EXPERIMENTS, experiments, () -> {
                out().printf("%-6s %-32s %-8s %-24s %s%n", "ID", "NAME", "STATE", "CREATED", "ARTIFACTS");
                experiments.forEach(e -> out().printf("%-6s %-32s %-8s %-24s %s%n", e.id(), e.name(), e.lifecycle().id(),
                        e.created(), e.artifactLocation()));
            });
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an experiment, by id or name.")
    static final class ShowExperiment extends CliCommand {
        @Parameters(paramLabel = "ID|NAME")
        String experiment;

        @Override
        public Integer call() {
            Experiment e = call(TrackingOperations.EXPERIMENT, new TrackingOperations.ExperimentRef(experiment));
            show(TrackingOperations.EXPERIMENT, e, () -> {
                out().printf("experiment %s (%s), %s, created %s%n", e.id(), e.name(), e.lifecycle().id(), e.created());
                out().println("artifacts: " + e.artifactLocation());
                e.tags().forEach((k, v) -> out().printf("  tag %s = %s%n", k, v));
            });
            return 0;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true, description = "Runs: parameters, metrics, tags and provenance.",
            subcommands = {ListRuns.class, SearchRuns.class, ShowRun.class, CompareRuns.class, MetricHistory.class,
                    DeleteRun.class, RestoreRun.class})
    static final class Runs {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The latest runs, newest first.")
    static final class ListRuns extends CliCommand {
        @Option(names = "--experiment", paramLabel = "ID|NAME", description = "Only this experiment (repeatable).")
        List<String> experiments = new ArrayList<>();

        @Option(names = "--max", defaultValue = "50", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
        int max;

        @Override
        public Integer call() {
            return printPage(this, new TrackingOperations.Search(experiments, "", List.of(), ViewType.ACTIVE_ONLY, max,
                    java.util.Optional.empty()));
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true,
            description = {"Runs matching a filter in MLflow's language, e.g. \"metrics.auc > 0.8 and params.max_depth = '6'",
                    "and tags.team = 'risk'\" (metrics compare as numbers; params and tags as text, with = != LIKE ILIKE;",
                    "attributes: status, run_name, run_id, start_time, end_time, user_id), ordered and paged."})
    static final class SearchRuns extends CliCommand {
        @Option(names = "--experiment", paramLabel = "ID|NAME", description = "Only this experiment (repeatable);"
                + " default: every active one.")
        List<String> experiments = new ArrayList<>();

        @Option(names = "--filter", defaultValue = "", paramLabel = "FILTER")
        String filter;

        @Option(names = "--order-by", paramLabel = "KEY [ASC|DESC]", description = "e.g. \"metrics.auc DESC\" (repeatable);"
                + " default: start time, newest first.")
        List<String> orderBy = new ArrayList<>();

        @Option(names = "--max", defaultValue = "100", paramLabel = "N", description = "Runs per page (default:"
                + " ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--page-token", paramLabel = "TOKEN", description = "The next page, as the previous one said.")
        String pageToken;

        @Option(names = "--view", defaultValue = "active_only", paramLabel = "VIEW",
                description = "active_only, deleted_only or all (default: ${DEFAULT-VALUE}).")
        String view;

        @Override
        public Integer call() {
            ViewType viewType;
            try {
                viewType = ViewType.valueOf(view.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--view must be active_only,"
                        + " deleted_only or all, not [" + view + "]");
            }
            return printPage(this, new TrackingOperations.Search(experiments, filter, orderBy, viewType, max,
                    java.util.Optional.ofNullable(pageToken)));
        }
    }

    /** One page of runs as a table (or JSON), and the command for the next page. */
    static int printPage(CliCommand command, TrackingOperations.Search search) {
        TrackingStore.RunPage page = command.call(TrackingOperations.SEARCH, search);
        command.show(TrackingOperations.SEARCH, page, () -> {
            command.out().printf("%-32s %-20s %-6s %-9s %-24s %s%n", "RUN", "NAME", "EXP", "STATUS", "STARTED", "METRICS");
            page.runs().forEach(r -> command.out().printf("%-32s %-20s %-6s %-9s %-24s %s%n", r.id(), r.name(),
                    r.experimentId(), r.status(), r.started(), r.metrics().stream().limit(4).map(m -> m.key() + "="
                            + m.value()).toList()));
            page.nextPageToken().ifPresent(t -> command.out().println("more: --page-token " + t));
        });
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Delete a run: it is kept (restorable),",
            "leaves searches of active runs and takes no logging or artifacts until restored."})
    static final class DeleteRun extends RunLifecycle {
        DeleteRun() {
            super(TrackingOperations.DELETE_RUN, "deleted; seer runs restore RUN brings it back");
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a deleted run.")
    static final class RestoreRun extends RunLifecycle {
        RestoreRun() {
            super(TrackingOperations.RESTORE_RUN, "restored");
        }
    }

    /** Delete and restore: one call on the run, and what became of it. */
    abstract static class RunLifecycle extends CliCommand {
        private final Operation<String, Run> operation;
        private final String outcome;

        @Parameters(paramLabel = "RUN")
        String run;

        RunLifecycle(Operation<String, Run> operation, String outcome) {
            this.operation = operation;
            this.outcome = outcome;
        }

        @Override
        public Integer call() {
            Run r = call(operation, run);
            show(operation, r, () -> out().printf("run %s (%s) %s%n", r.id(), r.name(), outcome));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a run: status, parameters, latest"
            + " metrics, tags and provenance.")
    static final class ShowRun extends CliCommand {
        @Parameters(paramLabel = "RUN")
        String run;

        @Override
        public Integer call() {
            Run r = call(TrackingOperations.RUN, run);
            show(TrackingOperations.RUN, r, () -> {
                printRun(r);
                if ("training".equals(r.tags().get("seer.kind")) && r.status() == RunStatus.FINISHED) {
                    TrainingCommands.ReportPrinter.print(out(), call(TrainingOperations.REPORT, r.id()));
                }
            });
            return 0;
        }

        private void printRun(Run r) {
            out().printf("run %s (%s) in experiment %s: %s, started %s%s by %s%n", r.id(), r.name(), r.experimentId(),
                    r.status(), r.started(), r.ended().map(e -> ", ended " + e).orElse(""), r.userId());
            r.parentId().ifPresent(p -> out().println("parent: " + p));
            r.params().forEach((k, v) -> out().printf("  param  %-28s %s%n", k, v));
            r.metrics().forEach(m -> out().printf("  metric %-28s %s (step %d)%n", m.key(), m.value(), m.step()));
            r.tags().forEach((k, v) -> out().printf("  tag    %-28s %s%n", k, v));
            r.provenance().ifPresent(p -> out().printf("provenance: dataset %s (sha256 %s), spec %s, seed %s, Seer %s,"
                    + " Java %s, %s, libraries %s%n", p.dataset().orElse("-"), p.datasetHash().orElse("-"),
                    p.specHash().orElse("-"), p.seed().isPresent() ? Long.toString(p.seed().getAsLong()) : "-",
                    p.seerVersion(), p.javaVersion(), p.os(), Json.write(p.libraries())));
            out().println("artifacts: " + r.artifactUri());
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true, description = "Parameters and latest metrics of runs"
            + " side by side; differing parameters are marked.")
    static final class CompareRuns extends CliCommand {
        @Parameters(paramLabel = "RUN", arity = "2..*")
        List<String> runs;

        @Override
        public Integer call() {
            List<Run> found = new ArrayList<>();
            runs.forEach(id -> found.add(call(TrackingOperations.RUN, id)));
            if (cli().json()) {
                printJson(Json.mapper().createArrayNode().addAll(found.stream().map(TrackingOperations.RUN::encodeResponse)
                        .toList()));
                return 0;
            }
            out().printf("%-30s", "");
            found.forEach(r -> out().printf(" %-20s", r.name()));
            out().println();
            TreeSet<String> params = new TreeSet<>();
            found.forEach(r -> params.addAll(r.params().keySet()));
            for (String key : params) {
                boolean differ = found.stream().map(r -> r.params().get(key)).distinct().count() > 1;
                out().printf("%-30s", (differ ? "* " : "  ") + "param " + key);
                found.forEach(r -> out().printf(" %-20s", r.params().getOrDefault(key, "-")));
                out().println();
            }
            TreeSet<String> metrics = new TreeSet<>();
            found.forEach(r -> r.metrics().forEach(m -> metrics.add(m.key())));
            for (String key : metrics) {
                out().printf("%-30s", "  metric " + key);
                found.forEach(r -> out().printf(" %-20s", r.metrics().stream().filter(m -> m.key().equals(key))
                        .map(m -> Double.toString(m.value())).findFirst().orElse("-")));
                out().println();
            }
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every logged value of one metric of a run.")
    static final class MetricHistory extends CliCommand {
        @Parameters(index = "0", paramLabel = "RUN")
        String run;

        @Parameters(index = "1", paramLabel = "METRIC")
        String key;

        @Override
        public Integer call() {
            List<Metric> history = call(TrackingOperations.METRIC_HISTORY, new TrackingOperations.MetricRef(run, key));
            show(TrackingOperations.METRIC_HISTORY, history, () -> {
                out().printf("%-8s %-24s %s%n", "STEP", "TIME", "VALUE");
                history.forEach(m -> out().printf("%-8d %-24s %s%n", m.step(), java.time.Instant.ofEpochMilli(m.timestamp()),
                        m.value()));
            });
            return 0;
        }
    }
}
