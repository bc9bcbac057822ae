package dev.seer.cli;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.registry.versions.AliasMove;
import dev.seer.server.ModelOperations;
import dev.seer.server.Operation;
import dev.seer.server.TrainingOperations;
import dev.seer.training.card.ModelCard;
import dev.seer.training.evaluation.EvaluationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            TrainingOperations.Trained trained;
            try (Backend backend = cli().backend("train")) {
                ProgressLines lines = new ProgressLines(err(), System.console() != null);
                trained = backend.call(op, new TrainingOperations.Train(file.getFileName().toString(), text),
                        m -> lines.print("train: " + m));
                lines.end();
            }
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
