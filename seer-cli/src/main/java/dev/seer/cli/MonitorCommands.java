package dev.seer.cli;

import dev.seer.server.Codec;
import dev.seer.server.MonitorOperations;
import dev.seer.serving.deploy.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code seer alerts ...} and {@code seer monitor ...}: the alerts on a deployment's monitored
 * figures, their rules and history, and its figures and drift and performance report. Times are
 * ISO-8601 instants ({@code 2026-12-04T09:00:00Z}); picocli refuses another form as a usage error
 * (exit 2) naming the option.
 */
final class MonitorCommands {
    private MonitorCommands() {}

    @Command(name = "alerts", mixinStandardHelpOptions = true,
            description = "Alerts on monitored figures: list, ack, rules, rule add|remove, history.",
            subcommands = {ListAlerts.class, Ack.class, Rules.class, RuleCommands.class, History.class})
    static final class Alerts {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Every alert (a rule's state on one figure of one deployment), firing first: deployment, rule,",
                    "figure, phase, last value, since when, severity and the acknowledgement."})
    static final class ListAlerts extends CliCommand {
        @Option(names = "--phase", paramLabel = "PHASE", description = "Only firing, pending, resolved or inactive alerts.")
        String phase;

        @Override
        public Integer call() {
            List<MonitorOperations.Alert> alerts = call(MonitorOperations.ALERTS, new MonitorOperations.Listing(
                    Optional.ofNullable(phase).map(p -> p.toLowerCase(Locale.ROOT))));
            show(MonitorOperations.ALERTS, alerts, () -> {
                if (alerts.isEmpty()) {
                    out().println("No alerts.");
                }
                alerts.forEach(a -> out().println(describe(a)));
            });
            return 0;
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true,
            description = {"Acknowledge the firing alerts of rule RULE (on --figure, or every figure it fires on) until",
                    "they resolve; recorded with who and why, and audited."})
    static final class Ack extends CliCommand {
        @Parameters(paramLabel = "RULE")
        String rule;

        @Option(names = "--figure", paramLabel = "FIGURE", description = "The figure, deployment/kind/subject/statistic.")
        String figure;

        @Option(names = "--note", paramLabel = "TEXT", description = "Why (at most 4,000 characters).")
        String note;

        @Override
        public Integer call() {
            List<MonitorOperations.Alert> acked = call(MonitorOperations.ACK, new MonitorOperations.Ack(rule,
                    Optional.ofNullable(figure), note == null ? "" : note));
            show(MonitorOperations.ACK, acked, () -> acked.forEach(a -> out().println("Acknowledged " + describe(a))));
            return 0;
        }
    }

    @Command(name = "rules", mixinStandardHelpOptions = true, description = "Every alert rule.")
    static final class Rules extends CliCommand {
        @Override
        public Integer call() {
            List<MonitorOperations.Rule> rules = call(MonitorOperations.RULES, Codec.Empty.REQUEST);
            show(MonitorOperations.RULES, rules, () -> {
                if (rules.isEmpty()) {
                    out().println("No alert rules.");
                }
                rules.forEach(r -> out().println(describe(r)));
            });
            return 0;
        }
    }

    @Command(name = "rule", mixinStandardHelpOptions = true, description = "Add or remove an alert rule.",
            subcommands = {AddRule.class, RemoveRule.class})
    static final class RuleCommands {
    }

    /** One of --above and --below. */
    static final class Threshold {
        @Option(names = "--above", paramLabel = "X", description = "The rule holds when the figure is > X.")
        Double above;

        @Option(names = "--below", paramLabel = "X", description = "The rule holds when the figure is < X.")
        Double below;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a rule on a figure (deployment/kind/subject/statistic, one segment may be *): it fires once",
                    "it has held for --for consecutive windows. The figure must be one the monitor knows for the",
                    "deployment; a typo is refused with the near names."})
    static final class AddRule extends CliCommand {
        @Option(names = "--id", required = true, paramLabel = "ID", description = "a-z, 0-9, '_', '.', '-' (at most 64).")
        String id;

        @Option(names = "--figure", required = true, paramLabel = "FIGURE", description = "e.g. churn/drift/spend/drifted.")
        String figure;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Threshold threshold;

        @Option(names = "--for", defaultValue = "1", paramLabel = "N", description = "Consecutive windows (default: ${DEFAULT-VALUE}).")
        int forWindows;

        @Option(names = "--severity", defaultValue = "warning", paramLabel = "S", description = "info, warning or critical"
                + " (default: ${DEFAULT-VALUE}).")
        String severity;

        @Override
        public Integer call() {
            boolean above = threshold.above != null;
            MonitorOperations.Rule rule = call(MonitorOperations.ADD_RULE, new MonitorOperations.Rule(id, figure,
                    above ? ">" : "<", above ? threshold.above : threshold.below, forWindows,
                    severity.toLowerCase(Locale.ROOT)));
            show(MonitorOperations.ADD_RULE, rule, () -> out().println("Added " + describe(rule)));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a rule; its history stays.")
    static final class RemoveRule extends CliCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            String removed = call(MonitorOperations.REMOVE_RULE, id);
            show(MonitorOperations.REMOVE_RULE, removed, () -> out().println("Removed alert rule " + removed));
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The newest changes of an alert's phase first.")
    static final class History extends CliCommand {
        @Option(names = "--deployment", paramLabel = "NAME", description = "Only this deployment's.")
        String deployment;

        @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            List<MonitorOperations.Event> events = call(MonitorOperations.HISTORY, new MonitorOperations.History(
                    Optional.ofNullable(deployment), limit));
            show(MonitorOperations.HISTORY, events, () -> {
                if (events.isEmpty()) {
                    out().println("No alert changes.");
                }
                events.forEach(e -> out().println(e.at() + "  " + e.deployment() + "  " + e.rule() + "  " + e.figure() + "  "
                        + e.from() + " -> " + e.to() + "  value " + value(e.value()) + " " + e.comparison() + " "
                        + value(e.threshold()) + "  window " + e.windowStart() + " to " + e.windowEnd()));
            });
            return 0;
        }
    }

    @Command(name = "monitor", mixinStandardHelpOptions = true, description = "A deployment's monitoring: figures, report.",
            subcommands = {Figures.class, Report.class})
    static final class Monitor {
    }

    /** The range of figures and reports: both optional (to: now; from: a day before to). */
    static final class Range {
        @Option(names = "--from", paramLabel = "TIME", description = "From this instant (ISO-8601; default: a day before --to).")
        Instant from;

        @Option(names = "--to", paramLabel = "TIME", description = "Until this instant (ISO-8601; default: now).")
        Instant to;
    }

    @Command(name = "figures", mixinStandardHelpOptions = true,
            description = "The stored figures of DEPLOYMENT's closed windows in the range, window by window.")
    static final class Figures extends CliCommand {
        @Parameters(paramLabel = "DEPLOYMENT")
        String deployment;

        @CommandLine.Mixin
        Range range;

        @Override
        public Integer call() {
            MonitorOperations.Figures figures = call(MonitorOperations.FIGURES, new MonitorOperations.Range(deployment,
                    Optional.ofNullable(range.from), Optional.ofNullable(range.to)));
            show(MonitorOperations.FIGURES, figures, () -> {
                if (figures.figures().isEmpty()) {
                    out().println("No figures of " + deployment + " from " + figures.from() + " to " + figures.to() + ".");
                }
                Instant window = null;
                for (MonitorOperations.FigureValue f : figures.figures()) {
                    if (!f.windowStart().equals(window)) {
                        window = f.windowStart();
                        out().println("Window " + f.windowStart() + " to " + f.windowEnd() + ":");
                    }
                    out().println("  " + f.name() + "  " + (f.status().equals("ok") ? value(f.value()) : "no data"));
                }
            });
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {"The drift and performance report of DEPLOYMENT over the range against its champion's",
                    "reference: printed as text, and written as a self-contained HTML file with charts."})
    static final class Report extends CliCommand {
        @Parameters(paramLabel = "DEPLOYMENT")
        String deployment;

        @CommandLine.Mixin
        Range range;

        @Option(names = "--out", paramLabel = "FILE", description = "The HTML file (default: monitor-DEPLOYMENT.html in the"
                + " working directory).")
        Path out;

        @Override
        public Integer call() throws IOException {
            Deployment.checkName(deployment); // it names the default file
            MonitorOperations.Report report = call(MonitorOperations.REPORT, new MonitorOperations.Range(deployment,
                    Optional.ofNullable(range.from), Optional.ofNullable(range.to)));
            Path file = out != null ? out : Path.of("monitor-" + deployment + ".html");
            write(file, report.html());
            show(MonitorOperations.REPORT, report, () -> {
                out().print(report.text());
                out().println("Wrote " + file);
            });
            return 0;
        }

        /** Whole or not at all: written beside the target, then moved over it. */
        private static void write(Path file, String html) throws IOException {
            Path absolute = file.toAbsolutePath();
            Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
            Files.writeString(partial, html, StandardCharsets.UTF_8);
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static String describe(MonitorOperations.Alert a) {
        return a.deployment() + "  " + a.rule() + "  " + a.figure() + "  " + a.phase() + "  value " + value(a.value())
                + a.since().map(t -> "  since " + t).orElse("") + "  " + a.severity() + (a.noData() ? "  (no data)" : "")
                + a.acknowledgement().map(k -> "  acknowledged by " + k.by() + " at " + k.at()
                        + (k.note().isEmpty() ? "" : ": " + k.note())).orElse("");
    }

    static String describe(MonitorOperations.Rule r) {
        return r.id() + "  " + r.figure() + " " + r.comparison() + " " + value(r.threshold()) + "  for " + r.forWindows()
                + (r.forWindows() == 1 ? " window" : " windows") + "  " + r.severity()
                + r.createdBy().map(b -> "  added by " + b).orElse("") + r.createdAt().map(t -> " at " + t).orElse("");
    }

    private static String value(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.6g", v);
    }
}
