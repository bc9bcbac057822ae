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

        @Override
        public Integer call() {
            ExplainOperations.WhatIfAnswer answer = call(ExplainOperations.WHAT_IF, new ExplainOperations.WhatIfRequest(
                    target(model), pairs(row, "--row"), pairs(changes, "--set")));
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

    private static SeerException invalid(String option, String message) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, message, Map.of("option", option));
    }
}
