package dev.seer.cli;

import dev.seer.server.Codec;
import dev.seer.server.DeploymentOperations;
import dev.seer.server.FeedbackOperations;
import dev.seer.serving.feedback.Feedback;
import dev.seer.server.PredictOperations;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.log.ExportFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

        @Option(names = "--input-topic", paramLabel = "TOPIC", description = "Also score every record of this Kafka topic"
                + " (a JSON row as the predict route takes it), in the server; needs --output-topic.")
        String inputTopic;

        @Option(names = "--output-topic", paramLabel = "TOPIC", description = "Where the predictions of --input-topic go,"
                + " keyed as their inputs (created if missing).")
        String outputTopic;

        @Override
        public Integer call() {
            Deployment d = call(DeploymentOperations.DEPLOY, new DeploymentOperations.Deploy(name, model,
                    Optional.ofNullable(version), Optional.ofNullable(alias), Optional.ofNullable(challenger),
                    Optional.ofNullable(split), Optional.ofNullable(shadow), Optional.ofNullable(missing),
                    Optional.ofNullable(whenStoreDown), Optional.ofNullable(expectedRevision), Optional.ofNullable(inputTopic),
                    Optional.ofNullable(outputTopic)));
            show(DeploymentOperations.DEPLOY, d, () -> out().println("Deployed " + describe(d)));
            return 0;
        }
    }

    @Command(name = "deployments", mixinStandardHelpOptions = true, description = "Deployments: list, show, remove.",
            subcommands = {ListDeployments.class, Show.class, Remove.class, Experiment.class})
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
                shown.stream().ifPresent(st -> {
                    out().println("Stream: " + st.inputTopic() + " -> " + st.outputTopic() + ": "
                            + st.state().name().toLowerCase(java.util.Locale.ROOT) + (st.error().isEmpty() ? "" : " ("
                            + st.error() + ")"));
                    out().printf(java.util.Locale.ROOT, "  scored %,d, dead-lettered %,d; partitions %s; lag %s%n", st.scored(),
                            st.deadLettered(), st.assigned(), st.lag());
                });
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

    @Command(name = "experiment", mixinStandardHelpOptions = true,
            description = {"Judge the champion-challenger experiment of a deployment: the outcomes since the split began",
                    "through an mSPRT (always-valid p-values) and the challenger's guardrails; with --decide, apply the",
                    "verdict: promote (the model's champion alias through the registry, then the deployment) or roll back."})
    static final class Experiment extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--decide", description = "Apply the verdict (admin, operator).")
        boolean decide;

        @Option(names = "--alpha", defaultValue = "0.05", paramLabel = "A", description = "Significance level (default: ${DEFAULT-VALUE}).")
        double alpha;

        @Option(names = "--effect", defaultValue = "0.1", paramLabel = "E", description = "Scale of the effect the test is"
                + " tuned for, in standard deviations (default: ${DEFAULT-VALUE}).")
        double effect;

        @Option(names = "--min-samples", defaultValue = "100", paramLabel = "N", description = "Outcomes per arm before the"
                + " test says anything (default: ${DEFAULT-VALUE}).")
        int minSamples;

        @Option(names = "--max-error-rate", defaultValue = "0.05", paramLabel = "R", description = "Guardrail (default: ${DEFAULT-VALUE}).")
        double maxErrorRate;

        @Option(names = "--max-latency-ms", defaultValue = "100", paramLabel = "MS", description = "Guardrail on the"
                + " challenger's p99 latency (default: ${DEFAULT-VALUE}).")
        double maxLatencyMs;

        @Option(names = "--min-requests", defaultValue = "100", paramLabel = "N", description = "Challenger requests before"
                + " the guardrails are judged (default: ${DEFAULT-VALUE}).")
        long minRequests;

        @Override
        public Integer call() {
            var request = new DeploymentOperations.Experiment(name, alpha, effect, minSamples, maxErrorRate, maxLatencyMs,
                    minRequests);
            var operation = decide ? DeploymentOperations.DECIDE : DeploymentOperations.EXPERIMENT;
            DeploymentOperations.Verdict v = call(operation, request);
            show(operation, v, () -> {
                out().printf(java.util.Locale.ROOT, "%s: %s (%s)%n", name, v.verdict(), v.reason());
                out().printf(java.util.Locale.ROOT, "  outcomes %d: champion %d (mean %.4f), challenger %d (mean %.4f);"
                        + " p = %.4g, difference in [%.4f, %.4f]%n", v.outcomes(), v.championCount(), v.championMean(),
                        v.challengerCount(), v.challengerMean(), v.pValue(), v.lower(), v.upper());
                if (decide) {
                    out().println("  now: " + describe(v.deployment()));
                }
            });
            return 0;
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Score one row by DEPLOYMENT: its features from the online store by --entity, and/or given by",
                    "--feature (which override). The prediction is logged durably before it is printed."})
    static final class Predict extends CliCommand {
        @Parameters(paramLabel = "DEPLOYMENT")
        String deployment;

        @Option(names = "--entity", paramLabel = "KEY=VALUE", description = "A join key of the entity (repeatable).")
        java.util.Map<String, String> entity = new java.util.LinkedHashMap<>();

        @Option(names = "--feature", paramLabel = "NAME=NUMBER", description = "A feature value; 'null' for missing"
                + " (repeatable).")
        java.util.Map<String, String> features = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            java.util.Map<String, Double> given = new java.util.LinkedHashMap<>();
            features.forEach((name, value) -> given.put(name, RowFiles.number(value, "--feature " + name)));
            PredictOperations.Predicted answer = call(PredictOperations.PREDICT, new PredictOperations.Predict(deployment,
                    List.of(new Predictor.Row(entity, given))));
            show(PredictOperations.PREDICT, answer, () -> answer.predictions().forEach(p -> out().println(p.id() + "  "
                    + p.model() + "  " + p.arm().id() + "  " + RowFiles.outputs(p.output().stream().mapToDouble(Double::doubleValue).toArray())
                    + (p.missing().isEmpty() ? "" : "  missing " + p.missing())
                    + p.degraded().map(d -> "  degraded: " + d).orElse(""))));
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true,
            description = {"Score every row of a CSV file by DEPLOYMENT, in batches, each logged durably before the next",
                    "is sent. Columns named by --key are the entity's join keys (features then come from the online",
                    "store); every other column is a feature value (empty: missing). Writes a CSV with the row number,",
                    "prediction id, model version, arm and outputs."})
    static final class Score extends CliCommand {
        @Parameters(paramLabel = "DEPLOYMENT")
        String deployment;

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "A CSV file with a header row.")
        java.nio.file.Path input;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the predictions go (CSV).")
        java.nio.file.Path output;

        @Option(names = "--key", paramLabel = "COLUMN", description = "A join key column (repeatable).")
        List<String> keys = new java.util.ArrayList<>();

        @Option(names = "--batch", defaultValue = "500", paramLabel = "N", description = "Rows per request, 1 to 1000"
                + " (default: ${DEFAULT-VALUE}).")
        int batch;

        @Override
        public Integer call() throws Exception {
            if (batch < 1 || batch > 1000) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch must be 1 to 1000, not " + batch);
            }
            ProgressLines progress = new ProgressLines(err(), System.console() != null);
            long scored;
            try (Backend backend = cli().backend("score"); RowFiles.Reader rows = RowFiles.open(input, keys);
                 java.io.BufferedWriter out = java.nio.file.Files.newBufferedWriter(output)) {
                out.write("row,prediction_id,model,arm,output\n");
                scored = 0;
                List<Predictor.Row> chunk;
                while (!(chunk = rows.next(batch)).isEmpty()) {
                    PredictOperations.Predicted answer = backend.call(PredictOperations.PREDICT,
                            new PredictOperations.Predict(deployment, chunk));
                    for (PredictOperations.Prediction p : answer.predictions()) {
                        out.write((scored + 1) + "," + p.id() + "," + p.model() + "," + p.arm().id() + ","
                                + RowFiles.outputs(p.output().stream().mapToDouble(Double::doubleValue).toArray()) + "\n");
                        scored++;
                    }
                    out.flush();
                    progress.print("score: " + String.format("%,d", scored) + " rows scored");
                }
            }
            progress.end();
            out().println("Scored " + String.format("%,d", scored) + " rows of " + input + " by " + deployment + " into "
                    + output);
            return 0;
        }
    }

    @Command(name = "predictions", mixinStandardHelpOptions = true, description = "The prediction log: list, show, export.",
            subcommands = {ListPredictions.class, ShowPrediction.class, ExportPredictions.class})
    static final class Predictions {
    }

    /** The filter options of {@code predictions list} and {@code predictions export}. */
    static final class FilterOptions {
        @Option(names = "--deployment", paramLabel = "NAME", description = "Only this deployment's predictions.")
        String deployment;

        @Option(names = "--entity", paramLabel = "KEY=VALUE", description = "Only this entity's (repeatable: every key"
                + " must match).")
        Map<String, String> entity = new LinkedHashMap<>();

        @Option(names = "--from", paramLabel = "TIME", description = "Made at or after this instant (ISO-8601).")
        Instant from;

        @Option(names = "--to", paramLabel = "TIME", description = "Made before this instant (ISO-8601).")
        Instant to;

        @Option(names = "--model", paramLabel = "NAME[:VERSION]", description = "Only this model's (or version's).")
        String model;

        @Option(names = "--shadows", defaultValue = "exclude", paramLabel = "WHICH", description = "exclude (default),"
                + " include or only the shadows' predictions.")
        String shadows;

        PredictOperations.Filter filter(CommandLine commandLine) {
            entity.forEach((k, v) -> {
                if (v.contains(",")) { // the query string joins pairs with commas
                    throw new CommandLine.ParameterException(commandLine, "--entity " + k + ": a value cannot hold a comma");
                }
            });
            PredictOperations.Shadows which = Arrays.stream(PredictOperations.Shadows.values())
                    .filter(w -> w.name().equalsIgnoreCase(shadows)).findFirst().orElseThrow(() ->
                            new CommandLine.ParameterException(commandLine, "--shadows must be exclude, include or only, not "
                                    + shadows));
            return new PredictOperations.Filter(Optional.ofNullable(deployment), entity, Optional.ofNullable(from),
                    Optional.ofNullable(to), Optional.ofNullable(model), which);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Logged predictions, newest first, a page at a time: id, time, deployment, arm, model version,",
                    "output and entity; the next page is asked for with --after, as the last line says."})
    static final class ListPredictions extends CliCommand {
        @Mixin
        FilterOptions options;

        @Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "Predictions per page, 1 to 1000"
                + " (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--after", paramLabel = "ID", description = "Continue after this prediction (the last line of the"
                + " previous page names it).")
        String after;

        @Override
        public Integer call() {
            var page = call(PredictOperations.LIST, new PredictOperations.Listing(options.filter(spec.commandLine()), limit,
                    Optional.ofNullable(after)));
            show(PredictOperations.LIST, page, () -> {
                if (page.predictions().isEmpty()) {
                    out().println("No predictions.");
                }
                for (var p : page.predictions()) {
                    out().println(p.id() + "  " + p.time() + "  " + p.deployment() + "  " + p.arm() + "  " + p.model() + ":"
                            + p.modelVersion() + "  " + RowFiles.outputs(p.output()) + (p.entity().isEmpty() ? ""
                            : "  " + p.entity()) + (p.shadow() ? "  (shadow)" : ""));
                }
                page.next().ifPresent(next -> out().println("More: --after " + next));
            });
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write the logged predictions that match, in log order, to a Parquet or JSON-lines file; the",
                    "file appears whole or not at all."})
    static final class ExportPredictions extends CliCommand {
        @Mixin
        FilterOptions options;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
        Path out;

        @Option(names = "--format", paramLabel = "FORMAT", description = "parquet or jsonl (default: from the file's"
                + " extension, .jsonl for JSON lines, else parquet).")
        String format;

        @Override
        public Integer call() {
            ExportFormat chosen = format(spec.commandLine());
            var exported = call(PredictOperations.EXPORT, new PredictOperations.Export(options.filter(spec.commandLine()),
                    chosen, out.toAbsolutePath()));
            show(PredictOperations.EXPORT, exported, () -> out().printf(Locale.ROOT, "Exported %,d predictions to %s (%s)%n",
                    exported.count(), exported.out(), exported.format().id()));
            return 0;
        }

        private ExportFormat format(CommandLine commandLine) {
            String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
            ExportFormat byName = name.endsWith(".jsonl") ? ExportFormat.JSONL : name.endsWith(".parquet")
                    ? ExportFormat.PARQUET : null;
            if (format == null) {
                return byName == null ? ExportFormat.PARQUET : byName;
            }
            ExportFormat given = Arrays.stream(ExportFormat.values()).filter(f -> f.id().equals(format)).findFirst()
                    .orElseThrow(() -> new CommandLine.ParameterException(commandLine, "--format must be parquet or jsonl,"
                            + " not " + format));
            if (byName != null && byName != given) {
                throw new CommandLine.ParameterException(commandLine, "--format " + format + " does not match the"
                        + " extension of " + out);
            }
            return given;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A logged prediction with every feature value"
            + " its model saw (as JSON).")
    static final class ShowPrediction extends CliCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--explain", description = "Also explain it, from the values its model saw (TreeSHAP or linear SHAP).")
        boolean explain;

        @Override
        public Integer call() {
            var p = call(PredictOperations.PREDICTION, new PredictOperations.Show(id, explain));
            printJson(PredictOperations.PREDICTION.encodeResponse(p));
            return 0;
        }
    }

    @Command(name = "feedback", mixinStandardHelpOptions = true,
            description = {"Record observed outcomes of predictions: one by --prediction-id and --outcome, or a CSV file",
                    "(--file) with columns prediction_id and outcome, and optionally observed_at (ISO-8601), sent in",
                    "batches of 1,000; each refused row is printed with its line number and reason. --status shows the",
                    "consumer of feedback.topic instead."})
    static final class SendFeedback extends CliCommand {
        @Option(names = "--prediction-id", paramLabel = "ID", description = "The prediction, as the predict API answered it.")
        String predictionId;

        @Option(names = "--outcome", paramLabel = "NUMBER", description = "The label 0 or 1, the class index, or the value.")
        Double outcome;

        @Option(names = "--observed-at", paramLabel = "TIME", description = "When the outcome happened (default: now).")
        java.time.Instant observedAt;

        @Option(names = "--file", paramLabel = "FILE", description = "A CSV of outcomes (see above).")
        java.nio.file.Path file;

        @Option(names = "--status", description = "Where the consumer of feedback.topic stands: outcomes recorded, "
                + "duplicate and dead-lettered since the server started, and its last error.")
        boolean status;

        @Override
        public Integer call() throws Exception {
            if (status) {
                var state = call(FeedbackOperations.STREAM, Codec.Empty.REQUEST);
                show(FeedbackOperations.STREAM, state, () -> out().println(state.topic().map(t -> "feedback.topic " + t
                        + ": " + (state.failed() ? "failed" : "running") + ", " + state.recorded() + " recorded, "
                        + state.duplicates() + " duplicate, " + state.deadLettered() + " dead-lettered"
                        + (state.error().isEmpty() ? "" : "; last error: " + state.error()))
                        .orElse("No feedback.topic is set: outcomes come only through the API and files")));
                return 0;
            }
            if ((file == null) == (predictionId == null || outcome == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Give --prediction-id with --outcome, or --file");
            }
            if (file == null) {
                var result = call(FeedbackOperations.FEEDBACK, new FeedbackOperations.Record(List.of(FeedbackOperations.Outcome.of(
                        Feedback.forPrediction(predictionId, outcome, observedAt != null ? observedAt : cli().clock().instant(),
                                "cli"))), true));
                show(FeedbackOperations.FEEDBACK, result, () -> out().println("Feedback for " + predictionId + ": "
                        + result.rows().get(0).status().name().toLowerCase(java.util.Locale.ROOT)));
                return 0;
            }
            long recorded = 0;
            long duplicate = 0;
            long refused = 0;
            try (Backend backend = cli().backend("feedback"); RowFiles.Csv csv = RowFiles.Csv.open(file)) {
                int idColumn = csv.column("prediction_id");
                int outcomeColumn = csv.column("outcome");
                int timeColumn = csv.column("observed_at");
                if (idColumn < 0 || outcomeColumn < 0) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), file
                            + " needs columns prediction_id and outcome; it has " + csv.header());
                }
                List<FeedbackOperations.Outcome> chunk = new java.util.ArrayList<>();
                List<Long> lines = new java.util.ArrayList<>(); // the line of each row of the chunk
                RowFiles.Csv.Record row;
                do {
                    row = csv.next();
                    if (row != null) {
                        chunk.add(outcome(csv, row, idColumn, outcomeColumn, timeColumn, cli().clock().instant(),
                                "file:" + file.getFileName()));
                        lines.add(row.line());
                    }
                    if (chunk.size() == 1000 || row == null && !chunk.isEmpty()) {
                        var result = backend.call(FeedbackOperations.FEEDBACK, new FeedbackOperations.Record(chunk, false));
                        for (var r : result.rows()) {
                            if (r.status() == dev.seer.serving.feedback.FeedbackStore.Status.REFUSED) {
                                err().println("line " + lines.get(r.row() - 1) + ": " + r.message());
                            }
                        }
                        recorded += result.count(dev.seer.serving.feedback.FeedbackStore.Status.RECORDED);
                        duplicate += result.count(dev.seer.serving.feedback.FeedbackStore.Status.DUPLICATE);
                        refused += result.count(dev.seer.serving.feedback.FeedbackStore.Status.REFUSED);
                        chunk.clear();
                        lines.clear();
                    }
                } while (row != null);
            }
            out().printf("Feedback from %s: %,d recorded, %,d duplicate, %,d refused%n", file, recorded, duplicate, refused);
            return refused == 0 ? 0 : 1;
        }
    }

    /** One outcome row of a feedback file; a missing or bad value is refused naming its line and column. */
    private static FeedbackOperations.Outcome outcome(RowFiles.Csv csv, RowFiles.Csv.Record row, int idColumn,
            int outcomeColumn, int timeColumn, java.time.Instant now, String source) {
        String id = row.get(idColumn).strip();
        if (id.isEmpty()) {
            throw RowFiles.invalid(csv.where(row, idColumn) + ": the prediction id is empty");
        }
        double outcome = RowFiles.number(row.get(outcomeColumn), csv.where(row, outcomeColumn));
        if (Double.isNaN(outcome)) {
            throw RowFiles.invalid(csv.where(row, outcomeColumn) + ": the outcome is empty");
        }
        java.time.Instant observed = now;
        if (timeColumn >= 0 && !row.get(timeColumn).isBlank()) {
            try {
                observed = java.time.Instant.parse(row.get(timeColumn).strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw RowFiles.invalid(csv.where(row, timeColumn) + ": [" + row.get(timeColumn)
                        + "] is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
        return FeedbackOperations.Outcome.of(Feedback.forPrediction(id, outcome, observed, source));
    }

    static String describe(Deployment d) {
        return d.name() + " (revision " + d.revision() + "): " + arms(d) + "; missing features: " + d.missing().id()
                + "; store down: " + d.whenStoreDown().id() + d.stream().map(b -> "; scores topic " + b.inputTopic() + " into "
                        + b.outputTopic()).orElse("");
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
