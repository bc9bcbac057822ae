package dev.seer.cli;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.registry.versions.AliasMove;
import dev.seer.server.ModelOperations;
import dev.seer.server.Operation;
import dev.seer.server.TrainingOperations;
import dev.seer.training.card.ModelCard;
import dev.seer.training.evaluation.CandidateResult;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.metrics.Interval;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seer train -f SPEC}: training, evaluation, registration and the promotion gate in one command. */
final class TrainingCommands {
    private TrainingCommands() {}

    @Command(name = "train", mixinStandardHelpOptions = true, description = {
            "Train the candidates of a training spec (YAML) on its dataset version, evaluate them all by the same",
            "strategy (cross-validation, held-out test rows, tests against the baseline and the champion),",
            "record the run, and register the best model as a new version with its promotion-gate check.",
            "A spec with continue_from: MODEL:VERSION boosts that XGBoost version further on the spec's dataset",
            "version, compares the result with it, and registers it as the model's next version.",
            "Progress goes to stderr; the report to stdout (--json: the answer as JSON)."})
    static final class Train extends CliCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "SPEC", description = "The training spec (YAML).")
        Path file;

        @Override
        public Integer call() {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Cannot read training spec [" + file + "]: "
                        + e.getMessage(), Map.of("file", file.toString()), e);
            }
            Operation<TrainingOperations.Train, TrainingOperations.Trained> op = TrainingOperations.TRAIN;
            TrainingOperations.Trained trained = callWithProgress(op, new TrainingOperations.Train(
                    file.getFileName().toString(), text), "train: ");
            show(op, trained, () -> {
                out().printf("run %s (experiment %s)%n", trained.runId(), trained.experimentId());
                ReportPrinter.print(out(), trained.report());
                trained.version().ifPresent(v -> out().printf("registered %s:%d%n", v.name(), v.version()));
                trained.gate().ifPresent(g -> out().printf("%s %s: %s%n", g.check(), g.passed() ? "passed" : "failed",
                        g.detail()));
            });
            return 0;
        }
    }

    @Command(name = "tune", mixinStandardHelpOptions = true, description = "Tuning studies.",
            subcommands = {Resume.class})
    static final class Tune {
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = {
            "Continue a training run that was killed (Ctrl-C, a kill) or failed: its recorded spec on the same dataset",
            "version (checked by hash), keeping every recorded trial; a trial cut short runs again under its own",
            "number, so the study ends as if uninterrupted. Then it evaluates, records and registers as `seer train`."})
    static final class Resume extends CliCommand {
        @Parameters(index = "0", paramLabel = "RUN")
        String run;

        @Override
        public Integer call() {
            TrainingOperations.Trained trained = callWithProgress(TrainingOperations.RESUME, run, "tune: ");
            show(TrainingOperations.RESUME, trained, () -> {
                out().printf("run %s (experiment %s)%n", trained.runId(), trained.experimentId());
                ReportPrinter.print(out(), trained.report());
                trained.version().ifPresent(v -> out().printf("registered %s:%d%n", v.name(), v.version()));
            });
            return 0;
        }
    }

    @Command(name = "automl", mixinStandardHelpOptions = true, description = {
            "Train without a spec: the task is read from the label, the candidates (XGBoost tuned by TPE,",
            "a random forest, the linear model, the baseline) and the budget split are chosen, and every candidate is",
            "evaluated as `seer train` does. Prints a leaderboard: the metric with its interval on held-out rows,",
            "training time and prediction time per row; registers the best as automl-DATASET."})
    static final class AutoMl extends CliCommand {
        @Option(names = "--dataset", required = true, paramLabel = "NAME[:VERSION]")
        String dataset;

        @Option(names = "--label", paramLabel = "COLUMN", description = "Default: the label recorded with the version.")
        String label;

        @Option(names = "--task", paramLabel = "TASK", description = "binary, multiclass or regression (default: from the label).")
        String task;

        @Option(names = "--time", defaultValue = "5m", paramLabel = "DURATION",
                description = "The budget, e.g. 90s, 5m, 1h (default: ${DEFAULT-VALUE}); half goes to tuning.")
        String time;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() {
            TrainingOperations.Trained trained = callWithProgress(TrainingOperations.AUTOML,
                    new TrainingOperations.AutoMlRequest(dataset, Optional.ofNullable(label), Optional.ofNullable(task),
                            time, seed), "automl: ");
            show(TrainingOperations.AUTOML, trained, () -> {
                out().printf("run %s (experiment %s)%n", trained.runId(), trained.experimentId());
                ReportPrinter.leaderboard(out(), trained.report());
                trained.version().ifPresent(v -> out().printf("registered %s:%d%n", v.name(), v.version()));
                trained.gate().ifPresent(g -> out().printf("%s %s: %s%n", g.check(), g.passed() ? "passed" : "failed",
                        g.detail()));
            });
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = {
            "Move ALIAS (default champion) of a model to NAME:VERSION through the promotion gate: only a version",
            "whose comparison check passed (it beat the champion, or with none the baseline, at the spec's alpha)",
            "moves a protected alias. --force --reason TEXT moves it anyway (admin only); every attempt is audited."})
    static final class Promote extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        String version;

        @Option(names = "--alias", defaultValue = "champion", paramLabel = "ALIAS", description = "Default: ${DEFAULT-VALUE}.")
        String alias;

        @Option(names = "--force", description = "Promote past the gate (admin only; needs --reason).")
        boolean force;

        @Option(names = "--reason", defaultValue = "", paramLabel = "TEXT", description = "Why; required with --force.")
        String reason;

        @Override
        public Integer call() {
            ModelOperations.VersionRef ref = ModelCommands.versionRef(version);
            AliasMove move = call(TrainingOperations.PROMOTE, new TrainingOperations.Promote(ref.model(), ref.version(),
                    alias, force, reason));
            show(TrainingOperations.PROMOTE, move, () -> out().printf("%s of %s now points at version %d (%s)%n", alias,
                    ref.model(), ref.version(), move.grounds()));
            return 0;
        }
    }

    @Command(name = "card", mixinStandardHelpOptions = true, description = {
            "Write the model card of NAME:VERSION: NAME-VERSION.md (Markdown, with the charts as SVG files beside it)",
            "and NAME-VERSION.html (one self-contained page): intended use, training data and lineage, metrics with",
            "intervals, the comparison report, and ROC, precision-recall, calibration and confusion charts."})
    static final class Card extends CliCommand {
        @Parameters(index = "0", paramLabel = "NAME:VERSION")
        String version;

        @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "Folder to write to (default: the"
                + " current one).")
        Path out;

        @Override
        public Integer call() {
            ModelOperations.VersionRef ref = ModelCommands.versionRef(version);
            ModelCard.Card card = call(TrainingOperations.CARD, ref);
            List<Path> written = write(card, out, ref.model() + "-" + ref.version());
            show(TrainingOperations.CARD, card, () -> written.forEach(p -> out().println("wrote " + p)));
            return 0;
        }

        static List<Path> write(ModelCard.Card card, Path folder, String name) {
            List<Path> written = new ArrayList<>();
            try {
                Files.createDirectories(folder);
                written.add(Files.writeString(folder.resolve(name + ".md"), card.markdown()));
                written.add(Files.writeString(folder.resolve(name + ".html"), card.html()));
                for (Map.Entry<String, String> chart : card.charts().entrySet()) {
                    // a chart is named by a file name, never a path
                    Path file = folder.resolve(Path.of(chart.getKey()).getFileName().toString());
                    written.add(Files.writeString(file, chart.getValue()));
                }
            } catch (IOException e) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Cannot write the model card to [" + folder + "]: "
                        + e.getMessage(), Map.of("out", folder.toString()), e);
            }
            return written;
        }
    }

    /** Prints an evaluation report for people. */
    static final class ReportPrinter {
        private ReportPrinter() {}

        /** The candidates best first by the cross-validated metric, with the held-out interval and the costs. */
        static void leaderboard(PrintWriter out, EvaluationReport report) {
            String metric = report.metric().id();
            out.printf("leaderboard (%s; cross-validated mean, then %,d held-out rows with 95%% bootstrap interval):%n",
                    metric, report.testRows());
            out.printf("  %-4s %-16s %-9s %-30s %-10s %s%n", "RANK", "CANDIDATE", "CV MEAN", "TEST (95% CI)", "TRAIN S",
                    "PREDICT US/ROW");
            Comparator<CandidateResult> order = Comparator.comparingDouble(CandidateResult::cvMean);
            List<CandidateResult> ranked = report.candidates().stream().sorted(report.metric().higherIsBetter()
                    ? order.reversed() : order).toList();
            for (int i = 0; i < ranked.size(); i++) {
                CandidateResult c = ranked.get(i);
                Interval test = c.test().get(metric);
                out.printf("  %-4d %-16s %-9.4f %-30s %-10.2f %.2f%n", i + 1, c.name(), c.cvMean(), String.format(
                        "%.4f [%.4f, %.4f]", test.value(), test.low(), test.high()), c.trainingSeconds(),
                        c.predictMicrosPerRow());
            }
            print(out, report);
        }

        static void print(PrintWriter out, EvaluationReport report) {
            out.printf("evaluation: %s, %d folds over %,d development rows, %,d held-out test rows, alpha %s%n",
                    report.metric().id(), report.folds(), report.developmentRows(), report.testRows(), report.alpha());
            out.printf("  %-16s %-9s %-30s %-10s %s%n", "CANDIDATE", "CV MEAN", "TEST (95% CI)", "TRAIN S", "PREDICT US/ROW");
            for (var c : report.candidates()) {
                var test = c.test().get(report.metric().id());
                out.printf("  %-16s %-9.4f %-30s %-10.2f %.2f%s%n", c.name(), c.cvMean(), test == null ? "-"
                        : String.format("%.4f [%.4f, %.4f]", test.value(), test.low(), test.high()), c.trainingSeconds(),
                        c.predictMicrosPerRow(), c.name().equals(report.best()) ? "  <- best" : "");
            }
            for (var comparison : report.comparisons()) {
                if (!comparison.candidate().equals(report.best())) {
                    continue;
                }
                out.printf("  %s vs %s: %s (primary %s, Holm-adjusted p %.4g)%n", comparison.candidate(),
                        comparison.against(), comparison.better() ? "better" : "not shown better", comparison.primary(),
                        comparison.adjustedP());
                for (var t : comparison.tests()) {
                    out.printf("    %-17s statistic %9.4f  p %-10.4g effect %+.4f [%.4f, %.4f]%n", t.test(), t.statistic(),
                            t.pValue(), t.effect(), t.low(), t.high());
                }
            }
            report.notes().forEach(n -> out.println("  note: " + n));
            out.printf("gate: %s%n", report.gate() ? "passed" : "not passed");
        }
    }
}
