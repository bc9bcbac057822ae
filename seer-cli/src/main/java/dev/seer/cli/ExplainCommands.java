package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.explain.Attribution;
import dev.seer.server.ExplainOperations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seer explain} and {@code seer what-if}: a registered version's predictions explained, and changed. */
final class ExplainCommands {
    private ExplainCommands() {}

    @Command(name = "explain", mixinStandardHelpOptions = true, description = {
            "Explain MODEL's predictions for rows: per row and output, the base value, each feature's contribution",
            "(largest first) and the value they add up to. MODEL is NAME:VERSION, NAME@ALIAS, or NAME (its champion).",
            "Trees: exact TreeSHAP on the margin (path-dependent, or interventional with --background); linear",
            "models: exact linear SHAP."})
    static final class Explain extends CliCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Option(names = "--row", paramLabel = "F=V,...", description = "A row as feature=value pairs; a value of NA is"
                + " missing. Repeatable.")
        List<String> rows = new ArrayList<>();

        @Option(names = "--rows", paramLabel = "FILE", description = "A JSON file holding a list of rows, each an object"
                + " of feature values (null: missing).")
        Path file;

        @Option(names = "--background", paramLabel = "FILE", description = "A JSON list of rows to explain against"
                + " (interventional TreeSHAP); up to 1000.")
        Path background;

        @Override
        public Integer call() {
            List<Map<String, Double>> all = new ArrayList<>();
            rows.forEach(r -> all.add(pairs(r, "--row")));
            if (file != null) {
                all.addAll(read(file, "--rows"));
            }
            ExplainOperations.Explained answer = call(ExplainOperations.EXPLAIN, new ExplainOperations.Explain(target(model),
                    all, background == null ? List.of() : read(background, "--background")));
            show(ExplainOperations.EXPLAIN, answer, () -> print(out(), answer));
            return 0;
        }

        private static void print(PrintWriter out, ExplainOperations.Explained answer) {
            out.printf("%s:%d, %s, on the %s%n", answer.model(), answer.version(), answer.method(), answer.scale());
            for (int r = 0; r < answer.rows().size(); r++) {
                for (Attribution a : answer.rows().get(r)) {
                    out.printf("row %d, output %s: base %.6f + contributions = %.6f%n", r, a.output(), a.base(), a.value());
                    contributions(out, answer.features(), a.contributions());
                }
            }
        }
    }

    @Command(name = "what-if", mixinStandardHelpOptions = true, description = {
            "Change features of a row and see MODEL's prediction before and after, and how each feature's",
            "contribution moved. MODEL is NAME:VERSION, NAME@ALIAS, or NAME (its champion)."})
    static final class WhatIf extends CliCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Option(names = "--row", required = true, paramLabel = "F=V,...", description = "The row, as feature=value pairs"
                + " (NA: missing).")
        String row;

        @Option(names = "--set", required = true, paramLabel = "F=V,...", description = "The features to change and"
                + " their new values.")
        String changes;

        @Option(names = "--background", paramLabel = "FILE", description = "A JSON list of rows to explain against:"
                + " interventional TreeSHAP for trees; KernelSHAP for an ONNX model, which needs it.")
        Path background;

        @Override
        public Integer call() {
            ExplainOperations.WhatIfAnswer answer = call(ExplainOperations.WHAT_IF, new ExplainOperations.WhatIfRequest(
                    target(model), pairs(row, "--row"), pairs(changes, "--set"),
                    background == null ? List.of() : read(background, "--background")));
            show(ExplainOperations.WHAT_IF, answer, () -> print(out(), answer));
            return 0;
        }

        private static void print(PrintWriter out, ExplainOperations.WhatIfAnswer answer) {
            var w = answer.whatIf();
            out.printf("%s:%d, %s; changed %s%n", answer.model(), answer.version(), answer.method(), w.changes());
            for (int o = 0; o < w.before().length; o++) {
                out.printf("prediction %d: %.6f -> %.6f%n", o, w.before()[o], w.after()[o]);
            }
            List<double[]> moves = w.contributionChanges();
            for (int o = 0; o < moves.size(); o++) {
                out.printf("output %s: contributions moved (%s):%n", w.explainedAfter().get(o).output(),
                        w.explainedAfter().get(o).scale().id());
                contributions(out, answer.features(), moves.get(o));
            }
        }
    }

    @Command(name = "counterfactual", mixinStandardHelpOptions = true, description = {
            "The nearest changes to a row that bring MODEL's output across a threshold (by default across 0.5 from",
            "the row's prediction: flip the decision), within constraints per feature; several diverse ones on request.",
            "Distance is L1 scaled by each feature's median absolute deviation in the training run's reference sample",
            "(or the --reference rows).",
            "\"none found\" is an answer. MODEL is NAME:VERSION, NAME@ALIAS, or NAME (its champion)."})
    static final class Counterfactual extends CliCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Option(names = "--row", required = true, paramLabel = "F=V,...", description = "The row (NA: missing).")
        String row;

        @Option(names = "--at-least", paramLabel = "P", description = "Reach an output of at least P.")
        Double atLeast;

        @Option(names = "--at-most", paramLabel = "P", description = "Reach an output of at most P.")
        Double atMost;

        @Option(names = "--output", defaultValue = "0", paramLabel = "N", description = "Which output (a class's index).")
        int output;

        @Option(names = "--immutable", split = ",", paramLabel = "F", description = "Features that may not change.")
        List<String> immutable = new ArrayList<>();

        @Option(names = "--range", split = ",", paramLabel = "F=LO:HI", description = "A feature's allowed values.")
        List<String> ranges = new ArrayList<>();

        @Option(names = "--step", split = ",", paramLabel = "F=S", description = "A feature moves in multiples of S.")
        List<String> steps = new ArrayList<>();

        @Option(names = "--increase-only", split = ",", paramLabel = "F", description = "Features that may only rise.")
        List<String> increase = new ArrayList<>();

        @Option(names = "--decrease-only", split = ",", paramLabel = "F", description = "Features that may only fall.")
        List<String> decrease = new ArrayList<>();

        @Option(names = "--count", defaultValue = "3", paramLabel = "N", description = "How many (at most 10).")
        int count;

        @Option(names = "--budget", defaultValue = "20000", paramLabel = "ROWS", description = "Most rows to evaluate.")
        int budget;

        @Option(names = "--reference", paramLabel = "FILE", description = "A JSON list of rows of the training data to"
                + " measure distance and draw values by, instead of the sample the training run recorded (needed for a"
                + " version Seer did not train, such as an imported ONNX model).")
        Path reference;

        @Override
        public Integer call() {
            Map<String, double[]> range = new LinkedHashMap<>();
            for (String r : ranges) {
                String[] parts = r.split("[=:]");
                if (parts.length != 3) {
                    throw invalid("--range", "[" + r + "] in --range is not F=LO:HI");
                }
                range.put(parts[0], new double[] {number(parts[1], "--range"), number(parts[2], "--range")});
            }
            Map<String, Double> step = new LinkedHashMap<>();
            steps.forEach(p -> pairs(p, "--step").forEach(step::put));
            for (String f : increase) {
                if (decrease.contains(f)) {
                    throw invalid("--increase-only", "Feature [" + f + "] is in both --increase-only and --decrease-only");
                }
            }
            java.util.Set<String> named = new java.util.LinkedHashSet<>(immutable);
            named.addAll(range.keySet());
            named.addAll(step.keySet());
            named.addAll(increase);
            named.addAll(decrease);
            Map<String, dev.seer.explain.Counterfactuals.Constraint> constraints = new LinkedHashMap<>();
            for (String f : named) {
                double[] lohi = range.getOrDefault(f, new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY});
                constraints.put(f, new dev.seer.explain.Counterfactuals.Constraint(immutable.contains(f), lohi[0], lohi[1],
                        step.get(f) == null ? 0 : step.get(f), increase.contains(f)
                        ? dev.seer.explain.Counterfactuals.Direction.INCREASE : decrease.contains(f)
                        ? dev.seer.explain.Counterfactuals.Direction.DECREASE : dev.seer.explain.Counterfactuals.Direction.ANY));
            }
            if (atLeast != null && atMost != null) {
                throw invalid("--at-least", "Give --at-least or --at-most, not both");
            }
            Optional<Double> threshold = Optional.ofNullable(atLeast != null ? atLeast : atMost);
            Optional<Boolean> up = atLeast != null ? Optional.of(true) : atMost != null ? Optional.of(false) : Optional.empty();
            ExplainOperations.CounterfactualAnswer answer = call(ExplainOperations.COUNTERFACTUAL,
                    new ExplainOperations.CounterfactualRequest(target(model), pairs(row, "--row"), threshold, up, output,
                            constraints, count, budget, reference == null ? List.of() : read(reference, "--reference")));
            show(ExplainOperations.COUNTERFACTUAL, answer, () -> print(out(), answer));
            return 0;
        }

        private static void print(PrintWriter out, ExplainOperations.CounterfactualAnswer answer) {
            var goal = answer.goal();
            out.printf("%s:%d: output %d is %.6f; goal: %s %.6f%n", answer.model(), answer.version(), goal.output(),
                    answer.prediction()[goal.output()], goal.atLeast() ? "at least" : "at most", goal.threshold());
            if (answer.result().rowReachesGoal()) {
                out.println("the row already reaches the goal: no change is needed");
                return;
            }
            if (answer.result().none()) {
                out.printf("none found within the constraints (%,d rows evaluated%s)%n", answer.result().evaluated(),
                        answer.result().budgetSpent() ? ", budget spent" : "");
                return;
            }
            int i = 1;
            for (var c : answer.result().found()) {
                out.printf("%d. distance %.4f -> output %.6f:%n", i++, c.distance(), c.prediction()[goal.output()]);
                c.changes().forEach((f, fromTo) -> out.printf("   %-24s %s -> %s%n", f, fromTo[0], fromTo[1]));
            }
        }
    }

    /** Features by |value|, largest first. */
    static void contributions(PrintWriter out, List<String> features, double[] values) {
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            order.add(f);
        }
        order.sort(Comparator.comparingDouble((Integer f) -> -Math.abs(values[f])));
        for (int f : order) {
            out.printf("  %-24s %+.6f%n", features.get(f), values[f]);
        }
    }

    /** NAME:VERSION, NAME@ALIAS or NAME. */
    static ExplainOperations.Target target(String text) {
        int at = text.lastIndexOf('@');
        if (at > 0) {
            return new ExplainOperations.Target(text.substring(0, at), Optional.empty(), Optional.of(text.substring(at + 1)));
        }
        int colon = text.lastIndexOf(':');
        if (colon > 0) {
            var ref = ModelCommands.versionRef(text);
            return new ExplainOperations.Target(ref.model(), Optional.of(ref.version()), Optional.empty());
        }
        return new ExplainOperations.Target(text, Optional.empty(), Optional.empty());
    }

    /** {@code a=1,b=NA}: NA (or an empty value) is missing. */
    static Map<String, Double> pairs(String text, String option) {
        Map<String, Double> row = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw invalid(option, "[" + pair + "] in " + option + " is not feature=value");
            }
            String value = pair.substring(eq + 1).strip();
            try {
                row.put(pair.substring(0, eq).strip(), value.isEmpty() || value.equals("NA") ? null : Double.valueOf(value));
            } catch (NumberFormatException e) {
                throw invalid(option, "[" + value + "] for feature [" + pair.substring(0, eq).strip() + "] in " + option
                        + " is not a number (NA: missing)");
            }
        }
        return row;
    }

    private static List<Map<String, Double>> read(Path file, String option) {
        JsonNode rows;
        try {
            rows = Json.parse(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw invalid(option, "Cannot read " + option + " file [" + file + "] as JSON: " + e.getMessage());
        }
        if (!rows.isArray()) {
            throw invalid(option, option + " file [" + file + "] must hold a JSON list of rows");
        }
        List<Map<String, Double>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Double> row = new LinkedHashMap<>();
            var fields = rows.get(i).fields();
            while (fields.hasNext()) {
                var e = fields.next();
                if (!e.getValue().isNull() && !e.getValue().isNumber()) {
                    throw invalid(option, option + " file [" + file + "] row [" + i + "] feature [" + e.getKey()
                            + "] is not a number or null");
                }
                row.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().doubleValue());
            }
            out.add(row);
        }
        return out;
    }

    private static double number(String text, String option) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw invalid(option, "[" + text + "] in " + option + " is not a number");
        }
    }

    private static SeerException invalid(String option, String message) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, message, Map.of("option", option));
    }
}
