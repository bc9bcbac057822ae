package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.home.SeerHome;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.metadata.IssuedToken;
import dev.seer.server.Call;
import dev.seer.server.DeploymentOperations;
import dev.seer.server.FeedbackOperations;
import dev.seer.server.PredictOperations;
import dev.seer.server.ModelOperations;
import dev.seer.server.OnlineModelOperations;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import dev.seer.server.TrainingOperations;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.feedback.Feedback;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.online.FtrlSettings;
import dev.seer.training.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Initialise the home if needed, start the server, and print its URL and a token.",
                "The printed session token is an admin token valid while this server runs."})
final class QuickstartCommand extends CliCommand {
    /** The online model (and its deployment) that the quickstart creates. */
    static final String ONLINE_MODEL = "churn_online";

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: server.port, 7070).")
    Integer port;

    @Option(names = "--example", defaultValue = "examples/churn", paramLabel = "DIR",
            description = "A feature repository to apply, ingest and materialise first (default: examples/churn; skipped if absent).")
    Path example;

    @Override
    public Integer call() throws InterruptedException {
        IssuedToken admin = null;
        if (!Files.exists(cli().homePath().resolve(SeerHome.CONFIG_FILE))) {
            admin = InitCommand.initialise(cli());
        }
        IssuedToken created = admin;
        ServerCommand.runServer(cli(), "quickstart", port, null, (server, services) -> {
            String lookup = Files.isDirectory(example) ? loadExample(services) : null;
            announce(server, created, lookup);
        });
        return 0;
    }

    /** Applies, ingests and materialises the example; returns the body of an online lookup to try. */
    private String loadExample(dev.seer.server.SeerServices services) {
        String actor = LocalBackend.localActor();
        services.features().apply(example, actor);
        for (var source : services.catalog().latestOfKind("source")) {
            if (!source.body().path("type").asText("file").equals("file")) {
                continue; // push and kafka sources stream: see streamExample
            }
            var report = services.ingestor().ingest(source.name(), java.util.Optional.empty(), actor);
            out().printf("Example: source %s, %,d rows read, %,d written, %,d quarantined%s%n", source.name(),
                    report.rowsRead(), report.rowsWritten(), report.rowsQuarantined(),
                    report.alreadyIngested() ? " (already ingested)" : "");
        }
        services.materializer().materialize(java.util.List.of(), java.util.Optional.empty(), cli().clock().instant(), actor);
        streamExample(services);
        trainExample(services);
        serveExample(services);
        var service = services.catalog().latestOfKind("feature_service").stream().findFirst();
        if (service.isEmpty()) {
            return null;
        }
        String key = services.catalog().latestOfKind("entity").get(0).body().path("join_keys").get(0).asText();
        String body = "{\"feature_service\": \"" + service.get().name() + "\", \"entities\": {\"" + key + "\": [\"1\", \"2\"]}}";
        var results = services.featureServer().lookup(java.util.List.of(service.get().name()),
                java.util.Map.of(key, java.util.List.of("1", "2")));
        out().println("Online lookup of " + key + " 1 and 2: " + dev.seer.core.Json.write(dev.seer.server.OnlineOperations.ONLINE.encodeResponse(results)));
        return body;
    }

    /**
     * Builds a labelled dataset version from the example (its {@code data/churn_labels.csv} joined
     * point-in-time with the first feature service), trains the example's spec on it, promotes the
     * model to champion through the gate, and writes its card under the home. Skipped when the
     * example has no labels or spec; a model already champion is left as it is.
     */
    private void trainExample(SeerServices services) {
        Path labels = example.resolve("data/churn_labels.csv");
        Path specFile = example.resolve("training/churn.yaml");
        var service = services.catalog().latestOfKind("feature_service").stream().findFirst();
        if (!Files.isRegularFile(labels) || !Files.isRegularFile(specFile) || service.isEmpty()) {
            return;
        }
        String actor = LocalBackend.localActor();
        TrainingSpec spec = TrainingSpec.read(specFile);
        String dataset = spec.dataset().replace(":latest", "");
        var written = services.datasets().create(dataset, new DatasetStore.CreateRequest(labels,
                List.of(service.get().name()), spec.label(), false, Optional.of(new SplitSpec(SplitSpec.Method.TIME,
                        List.of("event_timestamp"), 0.6, 0.2, 0.2))), actor, m -> { });
        out().printf("Training example: dataset %s (%,d rows); training %s (%d candidates)...%n", written.version(),
                written.version().rows(), spec.name(), spec.candidates().size());
        Call call = new Call(actor, m -> { });
        TrainingOperations.Trained trained;
        try {
            trained = TrainingOperations.TRAIN.handle(services, new TrainingOperations.Train(specFile.toString(),
                    spec.text()), call);
        } catch (RuntimeException e) {
            out().println("  training failed: " + e.getMessage());
            return;
        }
        var report = trained.report();
        var best = report.candidate(report.best());
        out().printf("  run %s: best %s, %s %.4f [%.4f, %.4f] on %,d held-out rows; gate %s%n", trained.runId(),
                report.best(), report.metric().id(), best.test().get(report.metric().id()).value(),
                best.test().get(report.metric().id()).low(), best.test().get(report.metric().id()).high(),
                report.testRows(), report.gate() ? "passed" : "not passed");
        if (trained.version().isEmpty()) {
            return;
        }
        var version = trained.version().get();
        if (report.gate() && !version.aliases().contains("champion")
                && services.models().model(version.name()).aliases().get("champion") == null) {
            var move = TrainingOperations.PROMOTE.handle(services, new TrainingOperations.Promote(version.name(),
                    version.version(), "champion", false, ""), call);
            out().printf("  %s:%d is now champion (%s)%n", version.name(), version.version(), move.grounds());
        }
        var card = TrainingOperations.CARD.handle(services, new ModelOperations.VersionRef(version.name(),
                version.version()), call);
        List<Path> files = TrainingCommands.Card.write(card, cli().homePath().resolve("cards"), version.name() + "-"
                + version.version());
        out().println("  model card: " + files.get(1).toAbsolutePath().normalize());
    }

    /**
     * Pushes a few payments of customer 1 to each push source whose view aggregates windows, and
     * shows an aggregate changing online: once after the first push, again after a second.
     */
    private void streamExample(dev.seer.server.SeerServices services) {
        for (var entry : services.catalog().latestOfKind("feature_view")) {
            JsonNode view = entry.body();
            var source = services.catalog().latest("source", view.path("source").asText());
            if (view.path("aggregations").isEmpty() || source.isEmpty() || !source.get().body().path("type").asText().equals("push")) {
                continue;
            }
            java.util.List<String> refs = new java.util.ArrayList<>();
            view.path("aggregations").forEach(a -> refs.add(entry.name() + ":" + a.path("name").asText()));
            String key = services.catalog().latest("entity", view.path("entities").get(0).asText()).orElseThrow().body()
                    .path("join_keys").get(0).asText();
            out().println("Streaming example: pushing payments of " + key + " 1 to source " + source.get().name()
                    + " (Kafka, then Kafka Streams into the online store)");
            JsonNode before = onlineAggregates(services, refs, key);
            push(services, source.get().name(), key, new double[] {12.5, 30, 7.25});
            String count = view.path("aggregations").findValues("function").stream().anyMatch(f -> f.asText().equals("count"))
                    ? refs.get(view.path("aggregations").findValues("function").stream().map(JsonNode::asText).toList().indexOf("count"))
                    : null;
            JsonNode first = awaitChange(services, refs, key, before, count, 3);
            out().println("  after 3 payments: " + dev.seer.core.Json.write(first));
            push(services, source.get().name(), key, new double[] {100, 4.75});
            out().println("  after 2 more:     " + dev.seer.core.Json.write(awaitChange(services, refs, key, first, count, 2)));
        }
    }

    private void push(dev.seer.server.SeerServices services, String source, String key, double[] amounts) {
        var records = dev.seer.core.Json.mapper().createArrayNode();
        java.time.Instant now = cli().clock().instant();
        for (int i = 0; i < amounts.length; i++) {
            records.add(dev.seer.core.Json.object().put(key, "1").put("event_ts", now.minusSeconds(amounts.length - i).toString())
                    .put("amount", amounts[i]).put("merchant", "m" + i));
        }
        services.streaming().pusher().push(source, records);
    }

    private static JsonNode onlineAggregates(dev.seer.server.SeerServices services, java.util.List<String> refs, String key) {
        var values = dev.seer.core.Json.object();
        for (var value : services.featureServer().lookup(refs, java.util.Map.of(key, java.util.List.of("1"))).get(0).values()) {
            values.set(value.feature(), value.value());
        }
        return values;
    }

    /**
     * The aggregates once all {@code pushed} events count (by the count aggregate {@code count},
     * or else once they change); the first push also waits for the topology to start.
     */
    private JsonNode awaitChange(dev.seer.server.SeerServices services, java.util.List<String> refs, String key, JsonNode before,
            String count, int pushed) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        JsonNode now = onlineAggregates(services, refs, key);
        while ((count == null ? now.equals(before) : now.path(count).asLong(0) < before.path(count).asLong(0) + pushed)
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = onlineAggregates(services, refs, key);
        }
        return now;
    }

    /**
     * Deploys the champion as deployment {@code churn}, scores 20 customers through the predict
     * path (features from the online store, every prediction logged), and sends their observed
     * outcomes from the example's labels as feedback; prints the live metrics that come of it.
     * Skipped when no model is champion (training was skipped, or its gate did not pass).
     */
    private void serveExample(SeerServices services) {
        var models = services.models().models().stream().filter(m -> m.aliases().containsKey("champion"))
                .toList();
        Path labels = example.resolve("data/churn_labels.csv");
        if (models.isEmpty() || !Files.isRegularFile(labels)) {
            return;
        }
        String model = models.get(0).name();
        Call call = new Call(LocalBackend.localActor(), m -> { });
        var deployment = DeploymentOperations.DEPLOY.handle(services, new DeploymentOperations.Deploy("churn", model,
                Optional.empty(), Optional.of("champion"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("model_default"), Optional.empty(), Optional.empty()), call);
        out().println("Serving example: deployment churn (revision " + deployment.revision() + ") answers with "
                + deployment.champion());
        Map<String, Double> outcomes = new LinkedHashMap<>();
        try (var lines = Files.lines(labels)) {
            lines.skip(1).map(l -> l.split(",")).filter(f -> f.length == 3).forEach(f -> outcomes.put(f[0],
                    Double.parseDouble(f[2])));
        } catch (IOException e) {
            out().println("  could not read " + labels + ": " + e.getMessage());
            return;
        }
        List<Predictor.Row> rows = outcomes.keySet().stream().limit(20).map(id -> new Predictor.Row(Map.of("customer_id", id),
                Map.of())).toList();
        var predicted = PredictOperations.PREDICT.handle(services, new PredictOperations.Predict("churn", rows), call);
        List<Feedback> feedback = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            var p = predicted.predictions().get(i);
            feedback.add(Feedback.forPrediction(p.id(), outcomes.get(rows.get(i).entity().get("customer_id")),
                    cli().clock().instant(), "quickstart"));
        }
        var recorded = FeedbackOperations.FEEDBACK.handle(services, new FeedbackOperations.Record(feedback.stream()
                .map(FeedbackOperations.Outcome::of).toList(), false), call);
        var first = predicted.predictions().get(0);
        out().printf("  %d predictions logged (customer %s: P(churn) %.3f, id %s); %d outcomes recorded as feedback%n",
                predicted.predictions().size(), rows.get(0).entity().get("customer_id"), first.output().get(0), first.id(),
                recorded.count(FeedbackStore.Status.RECORDED) + recorded.count(FeedbackStore.Status.DUPLICATE));
        var window = FeedbackOperations.METRICS.handle(services, new FeedbackOperations.Metrics("churn",
                Optional.of(cli().clock().instant().minusSeconds(3600)), Optional.of(cli().clock().instant().plusSeconds(1)),
                Optional.empty()), call);
        window.forEach(w -> w.arms().forEach(a -> out().println("  live " + a.arm() + " (" + a.count() + " outcomes): "
                + a.metrics().entrySet().stream().map(e -> String.format(java.util.Locale.ROOT, "%s %.3f", e.getKey().id(),
                        e.getValue().value())).sorted().collect(java.util.stream.Collectors.joining(", ")))));
        onlineExample(services, rows.stream().map(r -> r.entity().get("customer_id")).toList(), outcomes, call);
    }

    /**
     * Creates an online model ({@code online_logistic}, FTRL-Proximal) of one input, the customer's
     * spend, deploys it as {@code churn_online}, scores the same customers (their spend read from
     * the online store and given in the request), sends the same outcomes as feedback, which it
     * learns from as each is recorded, and snapshots what it learnt as its next version, moving the
     * deployment there. Skipped when the model exists (the home already ran this).
     */
    private void onlineExample(SeerServices services, List<String> customers, Map<String, Double> outcomes, Call call) {
        if (services.models().models().stream().anyMatch(m -> m.name().equals(ONLINE_MODEL))) {
            return;
        }
        OnlineModelOperations.CREATE.handle(services, new OnlineModelOperations.Create(ONLINE_MODEL, Optional.empty(),
                List.of("spend"), FtrlSettings.defaults(), "quickstart: churn from spend, learnt from feedback"), call);
        DeploymentOperations.DEPLOY.handle(services, new DeploymentOperations.Deploy(ONLINE_MODEL, ONLINE_MODEL,
                Optional.of(1), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("model_default"), Optional.empty(), Optional.empty()), call);
        var spends = services.featureServer().lookup(List.of("customer_stats:spend"), Map.of("customer_id", customers));
        List<Predictor.Row> rows = new ArrayList<>();
        for (int i = 0; i < customers.size(); i++) {
            JsonNode spend = spends.get(i).values().get(0).value();
            rows.add(new Predictor.Row(Map.of("customer_id", customers.get(i)), spend.isNumber()
                    ? Map.of("spend", spend.asDouble()) : Map.of()));
        }
        var predicted = PredictOperations.PREDICT.handle(services, new PredictOperations.Predict(ONLINE_MODEL, rows), call);
        List<Feedback> feedback = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            feedback.add(Feedback.forPrediction(predicted.predictions().get(i).id(), outcomes.get(customers.get(i)),
                    cli().clock().instant(), "quickstart"));
        }
        FeedbackOperations.FEEDBACK.handle(services, new FeedbackOperations.Record(feedback.stream()
                .map(FeedbackOperations.Outcome::of).toList(), false), call);
        var learnt = OnlineModelOperations.SHOW.handle(services, ONLINE_MODEL, call);
        var snapshot = OnlineModelOperations.SNAPSHOT.handle(services, ONLINE_MODEL, call);
        out().printf("Online learning example: online model %s (logistic regression of spend, FTRL-Proximal) deployed as"
                + " %s%n", ONLINE_MODEL, ONLINE_MODEL);
        out().printf("  %d predictions by %s:1, %d outcomes learnt as they were recorded; snapshot %s:%d registered, %s%n",
                predicted.predictions().size(), ONLINE_MODEL, learnt.updates(), ONLINE_MODEL, snapshot.version(),
                snapshot.deployments().isEmpty() ? "no deployment moved" : "deployment " + String.join(", ",
                        snapshot.deployments()) + " moved to it");
    }

    private void announce(SeerServer server, IssuedToken admin, String lookup) {
        Path home = cli().homePath().toAbsolutePath().normalize();
        String session = readSessionToken(home);
        out().println();
        out().println("Seer is running.");
        out().println("  home:   " + home);
        out().println("  url:    " + server.url());
        if (admin != null) {
            out().println("  admin token (new home, shown once): " + admin.secret());
        }
        out().println("  session token (admin, valid while this server runs): " + session);
        out().println();
        out().println("Try:");
        out().println("  export TOKEN=" + (admin != null ? admin.secret() : session));
        out().println("  curl -H \"Authorization: Bearer $TOKEN\" " + server.url() + "/api/v1/audit");
        if (lookup != null) {
            out().println("  curl -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d '" + lookup + "' "
                    + server.url() + "/api/v1/features/online");
        }
        out().println("  ./seer predict churn --entity customer_id=1     # scored by the deployed champion, logged");
        out().println("  ./seer audit verify");
        out().println("Stop with Ctrl-C.");
        out().flush();
    }

    private static String readSessionToken(Path home) {
        try {
            return Files.readString(home.resolve("run").resolve(SeerServer.LOCAL_TOKEN_FILE)).trim();
        } catch (IOException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }
}
