package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.yaml.YamlNode;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.versions.AliasMove;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.VersionCheck;
import dev.seer.training.AutoMl;
import dev.seer.training.Continuation;
import dev.seer.training.References;
import dev.seer.training.Task;
import dev.seer.training.Training;
import dev.seer.training.TrainingSpec;
import dev.seer.training.card.ModelCard;
import dev.seer.training.evaluation.Comparison;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.stats.TestResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Training through the API: {@code POST /api/v1/train} runs a spec, registers the best model as
 * a new version of the spec's model, and records on it the promotion gate's check
 * ({@value #GATE}): whether it beat the champion (or, with none yet, the baseline) at the spec's
 * alpha. The model's {@code champion} alias is protected by that check from its first version on,
 * so only a version that passed, or an admin's override with a reason, becomes champion.
 *
 * <p>A spec with {@code continue_from: MODEL:VERSION} boosts that version further on the spec's
 * dataset version; the gate then judges the result against that version (its parent), and the
 * result is registered as the next version of the same model. No alias moves: promoting it goes
 * through the gate as any version's promotion does.
 */
public final class TrainingOperations {
    /** The check the promotion gate records and the champion alias requires. */
    public static final String GATE = "comparison";
    static final String CHAMPION = "champion";
    static final String EVALUATION = "evaluation.json";

    /** A spec's text and the name it came from (a file name, for messages). */
    public record Train(String source, String spec) {}

    /** What training produced: the run, its report, and the version registered with its gate check. */
    public record Trained(String runId, String experimentId, EvaluationReport report, Optional<ModelVersion> version,
            Optional<VersionCheck> gate) {}

    public static final Operation<Train, Trained> TRAIN = Operation.<Train, Trained>post("train", "/api/v1/train")
            .roles(ADMIN, SCIENTIST)
            .request(Codec.of(t -> Json.object().put("source", t.source()).put("spec", t.spec()),
                    node -> new Train(Fields.optional(node, "source").orElse("spec.yaml"), Fields.text(node, "spec"))))
            .response(Codec.of(TrainingOperations::trained, TrainingOperations::trained))
            .handler((services, t, call) -> train(services, TrainingSpec.parse(t.source(), t.spec()), call));

    /** What {@code seer automl} asks: a dataset version, its label (empty: the recorded one), a task (empty: from the label), a budget. */
    public record AutoMlRequest(String dataset, Optional<String> label, Optional<String> task, String time, long seed) {}

    public static final Operation<AutoMlRequest, Trained> AUTOML = Operation.<AutoMlRequest, Trained>post("automl",
            "/api/v1/automl").roles(ADMIN, SCIENTIST)
            .request(Codec.of(a -> {
                ObjectNode node = Json.object().put("dataset", a.dataset()).put("time", a.time()).put("seed", a.seed());
                a.label().ifPresent(l -> node.put("label", l));
                a.task().ifPresent(t -> node.put("task", t));
                return node;
            }, node -> new AutoMlRequest(Fields.text(node, "dataset"), Fields.optional(node, "label"),
                    Fields.optional(node, "task"), Fields.optional(node, "time").orElse("5m"),
                    Fields.wholeNumber(node, "seed", 42))))
            .response(Codec.of(TrainingOperations::trained, TrainingOperations::trained))
            .handler((services, a, call) -> train(services, AutoMl.spec(new TrainingDatasets(services.datasets())
                    .open(a.dataset()), a.label(), a.task().map(Task::parse), YamlNode.parse(Path.of("time"), a.time(),
                    ServerErrorCode.BAD_REQUEST).duration(), a.seed()), call));

    /** A training run's evaluation report ({@code evaluation.json} of its artifacts). */
    public static final Operation<String, EvaluationReport> REPORT = Operation
            .<String, EvaluationReport>get("runs.evaluation", "/api/v1/runs/{run}/evaluation")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(run -> Json.object().put("run", run), node -> Fields.text(node, "run")))
            .response(Codec.of(EvaluationReport.CODEC::encode, EvaluationReport.CODEC::decode))
            .handler((services, run, call) -> EvaluationReport.CODEC.decode(Json.parse(services.artifacts().read(
                    services.artifacts().hash(services.tracking().run(run).id(), ArtifactPath.of(EVALUATION))))));

    /** Moves an alias (the champion by default) to a version through the gate, or past it with an admin's reason. */
    public record Promote(String model, int version, String alias, boolean force, String reason) {}

    public static final Operation<Promote, AliasMove> PROMOTE = Operation
            .<Promote, AliasMove>post("models.promote", "/api/v1/models/{model}/versions/{version}/promote")
            .roles(ADMIN, SCIENTIST, OPERATOR)
            .request(Codec.of(p -> Json.object().put("model", p.model()).put("version", Integer.toString(p.version()))
                    .put("alias", p.alias()).put("force", p.force()).put("reason", p.reason()),
                    node -> new Promote(Fields.text(node, "model"), ModelOperations.version(node),
                            Fields.optional(node, "alias").orElse(CHAMPION), Fields.flag(node, "force"),
                            Fields.optional(node, "reason").orElse(""))))
            .response(Codec.of(RegistryJson::move, RegistryJson::move))
            .handler(TrainingOperations::promote);

    /** A model version's card: Markdown, HTML and SVG charts, as text; the CLI writes the files. */
    public static final Operation<ModelOperations.VersionRef, ModelCard.Card> CARD = Operation
            .<ModelOperations.VersionRef, ModelCard.Card>get("models.card", "/api/v1/models/{model}/versions/{version}/card")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(v -> Json.object().put("model", v.model()).put("version", Integer.toString(v.version())),
                    node -> new ModelOperations.VersionRef(Fields.text(node, "model"), ModelOperations.version(node))))
            .response(Codec.of(TrainingOperations::card, TrainingOperations::card))
            .handler((services, v, call) -> ModelCards.card(services, v.model(), v.version()));

    /** Continues a killed or failed training run ({@code seer tune resume RUN}). */
    public static final Operation<String, Trained> RESUME = Operation.<String, Trained>post("tune.resume",
            "/api/v1/runs/{run}/resume").roles(ADMIN, SCIENTIST)
            .request(Codec.of(run -> Json.object().put("run", run), node -> Fields.text(node, "run")))
            .response(Codec.of(TrainingOperations::trained, TrainingOperations::trained))
            .handler(TrainingOperations::resume);

    static final List<Operation<?, ?>> ALL = List.of(TRAIN, AUTOML, RESUME, REPORT, PROMOTE, CARD);

    private static ObjectNode card(ModelCard.Card card) {
        ObjectNode node = Json.object().put("markdown", card.markdown()).put("html", card.html());
        ObjectNode charts = node.putObject("charts");
        card.charts().forEach(charts::put);
        return node;
    }

    private static ModelCard.Card card(JsonNode node) {
        Map<String, String> charts = new LinkedHashMap<>();
        node.path("charts").fields().forEachRemaining(e -> charts.put(e.getKey(), e.getValue().asText()));
        return new ModelCard.Card(Fields.text(node, "markdown"), Fields.text(node, "html"), charts);
    }

    private TrainingOperations() {}

    static Trained train(SeerServices services, TrainingSpec spec, Call call) {
        return registered(services, spec, services.training().train(spec, references(services, spec), parents(services),
                call.actor(), call.progress()), call);
    }

    /** Continues a killed or failed training run, then registers its model as {@link #train} does. */
    static Trained resume(SeerServices services, String runId, Call call) {
        Training.Outcome outcome = services.training().resume(runId, (columns, notes) -> references(services,
                spec(services, runId)).find(columns, notes), parents(services), call.actor(), call.progress());
        return registered(services, spec(services, runId), outcome, call);
    }

    /** The spec a training run was trained by: its {@code spec.yaml} artifact. */
    static TrainingSpec spec(SeerServices services, String runId) {
        return TrainingSpec.parse("spec.yaml", new String(services.artifacts().read(services.artifacts().hash(runId,
                ArtifactPath.of("spec.yaml"))), StandardCharsets.UTF_8));
    }

    private static Training.ReferenceLookup references(SeerServices services, TrainingSpec spec) {
        return (columns, notes) -> References.find(services.models(), services.tracking(), services.artifacts(),
                spec.model(), spec.evaluation().reference(), columns, notes);
    }

    /** A continued spec's version ({@code continue_from}), read from the registry and refused if it cannot be continued. */
    private static Training.ParentLookup parents(SeerServices services) {
        return version -> Continuation.find(services.models(), services.tracking(), services.artifacts(), version);
    }

    /** Registers the run's model as the next version, protects the champion alias, and records the gate's check. */
    private static Trained registered(SeerServices services, TrainingSpec spec, Training.Outcome outcome, Call call) {
        if (outcome.modelFolder().isEmpty()) {
            return new Trained(outcome.runId(), outcome.experimentId(), outcome.report(), Optional.empty(), Optional.empty());
        }
        ModelVersion version = new ModelRegistration(services).fromRun(new ModelRegistration.FromRun(spec.model(),
                outcome.runId(), outcome.modelFolder().get(), Optional.empty(), Optional.empty(), "Trained by spec ["
                + spec.name() + "]" + spec.continueFrom().map(v -> ", continued from " + v).orElse("")), call.actor());
        protectChampion(services, spec.model(), call.actor());
        EvaluationReport report = outcome.report();
        VersionCheck check = services.models().recordCheck(version.name(), version.version(), GATE, report.gate(),
                gateDetail(report, services.tracking().run(outcome.runId()).params().get("dataset")), call.actor());
        call.progress().accept("registered " + version + "; " + GATE + " " + (report.gate() ? "passed" : "failed"));
        return new Trained(outcome.runId(), outcome.experimentId(), report, Optional.of(services.models().version(
                version.name(), version.version())), Optional.of(check));
    }

    /**
     * The gate: the move succeeds if the version's comparison check passed (the registry enforces
     * it on a protected alias), or with {@code force}, which needs an admin and a reason. A refusal
     * is audited too, so the trail shows every attempt, not only the moves.
     */
    static AliasMove promote(SeerServices services, Promote p, Call call) {
        if (p.force() && !call.admin()) {
            throw new SeerException(ServerErrorCode.ROLE_NOT_ALLOWED, "Only an admin may force a promotion past the gate",
                    Map.of("field", "force"));
        }
        if (p.force() && p.reason().isBlank()) {
            throw new SeerException(ServerErrorCode.BAD_REQUEST, "A forced promotion needs a reason (--reason)",
                    Map.of("field", "reason"));
        }
        ModelVersion version = services.models().version(p.model(), p.version());
        String grounds = version.checks().stream().filter(c -> c.check().equals(GATE)).findFirst()
                .map(c -> GATE + " " + (c.passed() ? "passed" : "failed") + ": " + c.detail()).orElse("no " + GATE + " check");
        try {
            return services.models().setAlias(p.model(), p.alias(), p.version(), p.force() ? p.reason() : "promoted: "
                    + grounds, p.force() ? Optional.of(p.reason()) : Optional.empty(), call.actor());
        } catch (SeerException refused) {
            services.audit().append(new AuditRecord(call.actor(), "model.promotion_refused", "model", p.model(),
                    Json.object().put("version", p.version()).put("alias", p.alias()).put("grounds", grounds)
                            .put("error", refused.getMessage()))).join();
            throw refused;
        }
    }

    private static void protectChampion(SeerServices services, String model, String actor) {
        services.models().protect(model, CHAMPION, GATE, actor);
    }

    /** The decision in words: against what, on which dataset version, the primary test's figures. */
    static String gateDetail(EvaluationReport report, String dataset) {
        String against = report.reference().orElse("baseline");
        Optional<Comparison> comparison = report.bestAgainst(against);
        if (comparison.isEmpty()) {
            return "no comparison of " + report.best() + " with " + against + " on " + dataset;
        }
        TestResult primary = comparison.get().primaryResult();
        return String.format(Locale.ROOT, "%s vs %s on %s: %s %s effect %+.4f [%.4f, %.4f], p %s, Holm-adjusted %s,"
                + " alpha %s: %s", report.best(), against, dataset, report.metric().id(), primary.test(), primary.effect(),
                primary.low(), primary.high(), p(primary.pValue()), p(comparison.get().adjustedP()), report.alpha(),
                comparison.get().better() ? "better" : "not shown better");
    }

    /** A p-value in words: one that underflowed a double is below 1e-300, not zero. */
    private static String p(double p) {
        return p == 0 ? "< 1e-300" : String.format(Locale.ROOT, "%.4g", p);
    }

    private static ObjectNode trained(Trained t) {
        ObjectNode node = Json.object().put("run_id", t.runId()).put("experiment_id", t.experimentId());
        node.set("report", EvaluationReport.CODEC.encode(t.report()));
        t.version().ifPresent(v -> node.set("version", RegistryJson.version(v)));
        t.gate().ifPresent(c -> node.set("gate", RegistryJson.check(c)));
        return node;
    }

    private static Trained trained(JsonNode node) {
        return new Trained(Fields.text(node, "run_id"), Fields.text(node, "experiment_id"),
                EvaluationReport.CODEC.decode(node.get("report")),
                node.hasNonNull("version") ? Optional.of(RegistryJson.version(node.get("version"))) : Optional.empty(),
                node.hasNonNull("gate") ? Optional.of(RegistryJson.check(node.get("gate"))) : Optional.empty());
    }
}
