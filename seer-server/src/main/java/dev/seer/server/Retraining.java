package dev.seer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Ids;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.core.yaml.YamlText;
import dev.seer.datasets.DatasetLineage;
import dev.seer.datasets.DatasetManifest;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.DatasetVersion;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.watch.RetrainPolicies;
import dev.seer.monitoring.watch.RetrainPolicy;
import dev.seer.monitoring.watch.RetrainRun;
import dev.seer.monitoring.watch.RetrainRun.Status;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.StreamBinding;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.log.Prediction;
import dev.seer.training.TrainingErrorCode;
import dev.seer.training.TrainingSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retraining loop (issue 18): a deployment's champion is trained again, by the spec it was
 * trained by, on a fresh version of the dataset it was trained on, made from the deployment's
 * recent answered predictions that have an outcome; the new version goes through the promotion
 * gate against the champion, and only a version that passed is deployed (as the challenger) or
 * promoted (as the champion), as the deployment's {@link RetrainPolicy} says.
 *
 * <p>The chain, each link read from what was recorded: deployment → champion version
 * ({@link ModelVersion}) → its training run → the run's {@code spec.yaml} and the dataset version
 * it read → that version's features (as asked: {@code view:feature} references or one feature
 * service), label, join keys and split. The new rows are the predictions' entity keys at the time
 * each prediction was made (the point-in-time join fetches the features as they were then) with
 * the outcome as the label; a prediction made from request values only has no entity to join and
 * is left out (counted). The new dataset is the next version of the champion's dataset name, and
 * the training run is tagged with the retraining run, its trigger, deployment and prediction
 * range, so {@code seer lineage} of the new model version shows where its data came from.
 *
 * <p>Alerts reach it through {@link #onTransition}, which runs the retraining on its own thread so
 * alert evaluation never waits for training; schedules through {@link #tick}, which the server's
 * scheduler calls and a test calls directly.
 */
final class Retraining implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);
    static final String SCHEDULE = "schedule";
    static final String MANUAL = "manual";
    /** Who the audit records of runs no person asked for name. */
    static final String SYSTEM = "seer";
    static final String TAG_PREFIX = RetrainOperations.TAG_PREFIX;

    private final SeerServices services;
    private final RetrainPolicies policies;
    private final Clock clock;
    private final Ids ids;
    /** How often a server's schedule calls {@link #tick}: a scheduled run is at most this late. */
    static final Duration LOOK = Duration.ofSeconds(30);

    /**
     * One retraining at a time, alert-started and scheduled alike: training uses every core, and a
     * second run would only queue for them.
     */
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "seer-retraining");
        t.setDaemon(true);
        return t;
    });
    private boolean scheduled;

    Retraining(SeerServices services, RetrainPolicies policies, Clock clock) {
        this.services = requireNonNull(services, "services is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ids = new Ids(clock);
    }

    RetrainPolicies policies() {
        return policies;
    }

    /**
     * A FIRING transition of a rule some policy names retrains that policy's deployment, off the
     * caller's thread, unless a run started within the policy's cooldown. The future completes with
     * the runs made (none when no policy matched or all were cooling down).
     */
    CompletableFuture<List<RetrainRun>> onTransition(AlertEvaluator.Transition t) {
        if (t.to() != AlertEvaluator.Phase.FIRING) {
            return CompletableFuture.completedFuture(List.of());
        }
        return CompletableFuture.supplyAsync(() -> {
            List<RetrainRun> runs = new ArrayList<>();
            for (RetrainPolicies.Stored stored : policies.list()) {
                RetrainPolicy policy = stored.policy();
                if (!policy.triggeredBy(t.ruleId(), t.figure())) {
                    continue;
                }
                // checked here, on the one worker, so two alerts in a row cannot both pass the cooldown
                if (policies.coolingDown(policy, t.at())) {
                    LOG.info("Alert [{}] fired, but deployment [{}] was retrained within its cooldown ({})", t.ruleId(),
                            policy.deployment(), policy.cooldown());
                    continue;
                }
                runs.add(retrain(policy.deployment(), t.ruleId(), t.at(), SYSTEM, LOG::info));
            }
            return runs;
        }, worker);
    }

    /** Monitoring's alert listener: {@link #onTransition}, not waiting for the runs (a failure is logged). */
    void alerted(AlertEvaluator.Transition t) {
        var unused = onTransition(t).exceptionally(e -> {
            LOG.warn("Retraining on alert [{}] failed", t.ruleId(), e);
            return List.of();
        });
    }

    /** Starts calling {@link #tick} every {@link #LOOK} on the worker (the server does, once it listens). */
    synchronized void start() {
        if (scheduled) {
            return;
        }
        scheduled = true;
        worker.scheduleWithFixedDelay(() -> {
            try {
                tick(clock.instant());
            } catch (RuntimeException e) {
                // a store that cannot be read now is read again at the next look; the schedule must not stop
                LOG.warn("The retraining schedule could not run", e);
            }
        }, LOOK.toMillis(), LOOK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs every scheduled policy due at {@code now} and not cooling down, in this thread; the runs made. */
    List<RetrainRun> tick(Instant now) {
        List<RetrainRun> runs = new ArrayList<>();
        for (RetrainPolicy policy : policies.due(now)) {
            if (!policies.coolingDown(policy, now)) {
                runs.add(retrain(policy.deployment(), SCHEDULE, now, SYSTEM, LOG::info));
            }
        }
        return runs;
    }

    /**
     * Retrains {@code deployment} now ({@code seer retrain}), on the worker after any run before it,
     * and waits for the run.
     */
    RetrainRun runNow(String deployment, String actor, Consumer<String> progress) {
        if (policies.get(deployment).isEmpty()) {
            throw noPolicy(deployment); // at once, not after a queued run
        }
        Future<RetrainRun> run = worker.submit(() -> retrain(deployment, MANUAL, clock.instant(), actor, progress));
        try {
            return run.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.cancel(true);
            throw new SeerException(ServerErrorCode.INTERNAL, "Interrupted while retraining [" + deployment + "]");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new SeerException(ServerErrorCode.INTERNAL, "Retraining [" + deployment + "] failed: " + e.getCause(),
                    Map.of(), e.getCause());
        }
    }

    /**
     * Retrains {@code deployment} from its answered, labelled predictions in
     * [{@code to} − lookback, {@code to}) by its policy. Never throws for what happens on the way: a
     * failure is the run's status and error, recorded and audited. Refuses only a deployment with no
     * policy.
     */
    RetrainRun retrain(String deployment, String trigger, Instant to, String actor, Consumer<String> progress) {
        RetrainPolicy policy = policies.get(deployment).map(RetrainPolicies.Stored::policy).orElseThrow(() ->
                noPolicy(deployment));
        RetrainRun run = RetrainRun.started(ids.next("retrain"), deployment, trigger, clock.instant());
        policies.record(run);
        Instant from = to.minus(policy.lookback());
        audit(actor, "retraining.started", run, Json.object().put("from", from.toString()).put("to", to.toString())
                .put("action", policy.action().id()));
        Attempt attempt = new Attempt(policy, run, from, to, actor, progress);
        try {
            return attempt.run();
        } catch (RuntimeException e) {
            LOG.warn("Retraining [{}] of deployment [{}] failed", attempt.run.id(), deployment, e);
            return attempt.finish(Status.FAILED, "failed", String.valueOf(e.getMessage()), Json.object());
        }
    }

    /** One run's steps, keeping the run record as it grows. */
    private final class Attempt {
        private final RetrainPolicy policy;
        private final Instant from;
        private final Instant to;
        private final String actor;
        private final Consumer<String> progress;
        private RetrainRun run;

        Attempt(RetrainPolicy policy, RetrainRun run, Instant from, Instant to, String actor, Consumer<String> progress) {
            this.policy = policy;
            this.run = run;
            this.from = from;
            this.to = to;
            this.actor = actor;
            this.progress = progress;
        }

        RetrainRun run() {
            Deployment deployment = services.serving().deployments().get(policy.deployment());
            ModelRef champion = deployment.champion();
            ModelVersion version = services.models().version(champion.model(), champion.version());
            String trainedBy = version.runId().orElseThrow(() -> refused("Champion " + champion + " of deployment ["
                    + deployment.name() + "] was not trained by a run of Seer: there is no spec to train again"));
            TrainingSpec spec = TrainingOperations.spec(services, trainedBy);
            String datasetRef = version.details().dataset().or(() -> Optional.ofNullable(services.tracking().run(trainedBy)
                    .params().get("dataset"))).orElseThrow(() -> refused("Run [" + trainedBy + "] of " + champion
                            + " records no dataset version"));
            DatasetVersion trainedOn = services.datasets().get(DatasetRef.parse(datasetRef));
            DatasetManifest manifest = trainedOn.manifest();
            if (!(manifest.lineage() instanceof DatasetLineage.Retrieval retrieval)) {
                throw refused("Dataset " + trainedOn + " that " + champion + " was trained on was imported, not joined from"
                        + " features: fresh rows cannot be joined the same way");
            }
            String label = manifest.label().orElseThrow(() -> refused("Dataset " + trainedOn + " records no label"));
            List<String> joinKeys = manifest.key().stream().filter(k -> !k.equals(PointInTimeRetrieval.EVENT_TIMESTAMP))
                    .toList();

            Path entities = entityFile();
            try {
                Rows rows = writeRows(entities, joinKeys, label);
                progress.accept(rows.written() + " labelled predictions of [" + policy.deployment() + "] in [" + from + ", "
                        + to + "), " + rows.withoutEntity() + " without entity keys left out");
                if (rows.written() < policy.minRows()) {
                    return finish(Status.SKIPPED, rows.written() + " labelled rows with entity keys, fewer than the policy's"
                            + " min_rows " + policy.minRows() + " (" + rows.withoutEntity() + " without entity keys)", "",
                            Json.object().put("rows", rows.written()).put("without_entity", rows.withoutEntity()));
                }
                DatasetStore.Written written = services.datasets().create(trainedOn.name(), new DatasetStore.CreateRequest(
                        entities, retrieval.features(), Optional.of(label), retrieval.filterByCreatedTimestamp(),
                        manifest.splits().map(DatasetManifest.Splits::spec)), actor, progress);
                String fresh = written.version().toString();
                run = run.withDataset(fresh);
                policies.record(run);
                audit("retraining.dataset_created", Json.object().put("dataset", fresh).put("from_dataset",
                        trainedOn.toString()).put("rows", rows.written()).put("without_entity", rows.withoutEntity()));
            } finally {
                deleteQuietly(entities);
            }

            TrainingSpec retrained = TrainingSpec.parse("spec.yaml", YamlText.withScalar(Path.of("spec.yaml"), spec.text(),
                    "dataset", run.dataset().orElseThrow(), TrainingErrorCode.INVALID_SPEC));
            TrainingOperations.Trained trained = TrainingOperations.train(services, retrained, new Call(actor, progress));
            tag(trained.runId(), deployment.name());
            Optional<ModelVersion> registered = trained.version();
            Optional<Boolean> passed = trained.gate().map(c -> c.passed());
            run = run.withTrained(trained.runId(), registered.map(v -> v.name() + ":" + v.version()), passed);
            policies.record(run);
            ObjectNode detail = Json.object().put("run_id", trained.runId()).put("dataset", run.dataset().orElseThrow());
            registered.ifPresent(v -> detail.put("version", v.name() + ":" + v.version()));
            trained.gate().ifPresent(c -> detail.put("gate_passed", c.passed()).put("gate", c.detail()));
            audit("retraining.trained", detail);
            if (registered.isEmpty()) {
                throw refused("Training run [" + trained.runId() + "] registered no model");
            }
            ModelRef made = new ModelRef(registered.get().name(), registered.get().version());
            if (!passed.orElse(false)) {
                return finish(Status.REJECTED, made + " was not shown better than the champion: "
                        + trained.gate().map(c -> c.detail()).orElse("no gate check"), "", detail);
            }
            return policy.action() == RetrainPolicy.Action.CHALLENGER ? challenger(deployment, made, detail)
                    : promote(deployment, made, detail);
        }

        /** The new version beside the champion, at the policy's percent, through the deploy path (audited, a revision). */
        private RetrainRun challenger(Deployment d, ModelRef made, ObjectNode detail) {
            int percent = policy.challengerPercent();
            Deployment deployed = services.serving().deploy(redeploy(d, d.champion(), Optional.of(made),
                    Optional.of((100 - percent) + "/" + percent)), actor);
            detail.put("revision", deployed.revision()).put("challenger_percent", percent);
            return finish(Status.CHALLENGER_DEPLOYED, made + " passed the gate and is the challenger of [" + d.name()
                    + "] at " + percent + "%", "", detail);
        }

        /** The new version through the gate to the model's champion alias, then the deployment's champion. */
        private RetrainRun promote(Deployment d, ModelRef made, ObjectNode detail) {
            TrainingOperations.promote(services, new TrainingOperations.Promote(made.model(), made.version(),
                    TrainingOperations.CHAMPION, false, ""), new Call(actor, progress));
            Optional<ModelRef> challenger = d.challenger().filter(c -> !c.equals(made));
            Deployment deployed = services.serving().deploy(redeploy(d, made, challenger, challenger.map(c ->
                    (100 - d.challengerPercent()) + "/" + d.challengerPercent())), actor);
            detail.put("revision", deployed.revision());
            return finish(Status.PROMOTED, made + " passed the gate and is the champion of [" + d.name() + "]", "", detail);
        }

        /** The deployment as it is, but for its champion and challenger; refused if it changed meanwhile. */
        private DeploymentOperations.Deploy redeploy(Deployment d, ModelRef champion, Optional<ModelRef> challenger,
                Optional<String> split) {
            return new DeploymentOperations.Deploy(d.name(), champion.model(), Optional.of(champion.version()),
                    Optional.empty(), challenger.map(ModelRef::toString), split, d.shadow().map(ModelRef::toString),
                    Optional.of(d.missing().id()), Optional.of(d.whenStoreDown().id()), Optional.of(d.revision()),
                    d.stream().map(StreamBinding::inputTopic), d.stream().map(StreamBinding::outputTopic));
        }

        /** The training run names where its data came from: seer lineage shows its tags. */
        private void tag(String runId, String deployment) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(TAG_PREFIX + "id", run.id());
            tags.put(TAG_PREFIX + "trigger", run.trigger());
            tags.put(TAG_PREFIX + "deployment", deployment);
            tags.put(TAG_PREFIX + "range", "[" + from + ", " + to + ")");
            services.tracking().logBatch(runId, new TrackingStore.Batch(List.of(), Map.of(), tags), actor);
        }

        /**
         * The entity file: the join keys, {@code event_timestamp} (when the prediction was made) and
         * the label (the outcome), one row per answered prediction with an outcome and entity keys.
         */
        private Rows writeRows(Path file, List<String> joinKeys, String label) {
            List<FeedbackStore.Pair> pairs = services.serving().feedbackStore().pairs(policy.deployment(), Optional.empty(),
                    from, to);
            long written = 0;
            long withoutEntity = 0;
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                List<String> header = new ArrayList<>(joinKeys);
                header.add(PointInTimeRetrieval.EVENT_TIMESTAMP);
                header.add(label);
                out.write(csvLine(header));
                for (FeedbackStore.Pair pair : pairs) {
                    Optional<Prediction> logged = services.serving().log().log().find(pair.predictionId());
                    Map<String, String> entity = logged.map(Prediction::entity).orElse(Map.of());
                    if (!entity.keySet().containsAll(joinKeys)) {
                        withoutEntity++;
                        continue;
                    }
                    List<String> row = new ArrayList<>();
                    joinKeys.forEach(k -> row.add(entity.get(k)));
                    row.add(pair.predictedAt().toString());
                    row.add(outcome(pair.outcome()));
                    out.write(csvLine(row));
                    written++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the entity file [" + file + "]", e);
            }
            return new Rows(written, withoutEntity);
        }

        private Path entityFile() {
            try {
                Path dir = Files.createDirectories(services.home().root().resolve("retraining"));
                return dir.resolve(run.id() + "-" + policy.deployment() + "-entities.csv");
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create the retraining folder", e);
            }
        }

        RetrainRun finish(Status status, String outcome, String error, ObjectNode detail) {
            run = run.finished(clock.instant(), status, outcome, error);
            policies.record(run);
            detail.put("outcome", outcome);
            if (!error.isEmpty()) {
                detail.put("error", error);
            }
            audit("retraining." + (status == Status.CHALLENGER_DEPLOYED ? "challenger_deployed" : status.id()), detail);
            progress.accept("retraining " + run.id() + " " + status.id() + ": " + outcome);
            return run;
        }

        private void audit(String action, ObjectNode payload) {
            Retraining.this.audit(actor, action, run, payload);
        }
    }

    private record Rows(long written, long withoutEntity) {}

    private void audit(String actor, String action, RetrainRun run, ObjectNode payload) {
        payload.put("retraining", run.id()).put("deployment", run.deployment()).put("trigger", run.trigger());
        services.audit().append(new AuditRecord(actor, action, "deployment", run.deployment(), payload)).join();
    }

    private static SeerException noPolicy(String deployment) {
        return new SeerException(MonitoringErrorCode.UNKNOWN_NAME, "Deployment [" + deployment + "] has no retraining"
                + " policy; set one with: seer retrain policy " + deployment, Map.of("deployment", deployment));
    }

    private static SeerException refused(String message) {
        return new SeerException(MonitoringErrorCode.INCOMPATIBLE, message);
    }

    /** A whole outcome as an integer (a class), any other as it is. */
    private static String outcome(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String csvLine(List<String> values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            line.append(i == 0 ? "" : ",");
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                line.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                line.append(v);
            }
        }
        return line.append('\n').toString();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not remove the entity file [{}]", file, e);
        }
    }

    @Override
    public void close() {
        // a run cut short by the interrupt is recorded failed with its error; alert-started runs not yet begun are
        // dropped (the alert fires again while the condition lasts), and a due schedule runs after the next start
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("A retraining was still running 30 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
