package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.features.FeatureLookup;
import dev.seer.features.stream.Streaming;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.DeploymentStore;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.feedback.FeedbackOptions;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.feedback.LiveMetrics;
import dev.seer.serving.log.LogOptions;
import dev.seer.serving.log.PredictionLog;
import dev.seer.serving.online.OnlineModels;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring of production serving: deployments over the registry, the predict path over the
 * online store, the prediction log in the home, and feedback joined to the log. It resolves what a
 * request names (an alias to a version), loads every model of a deployment before the change is
 * stored, and keeps the live deployments the predict route reads.
 */
final class Serving implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Serving.class);

    private final DeploymentStore deployments;
    private final ModelRegistry models;
    private final ServingModels loaded;
    private final ServingLog log;
    private final Predictor predictor;
    private final FeedbackStore feedback;
    private final OnlineModels online;
    private final LiveMetrics metrics;
    private final Experiments experiments;
    private final Admission admission;
    /** Stream scoring and feedback from a topic: consumers that only a server starts ({@link #startStreams}). */
    private final ServingStreams streams;
    private final FeedbackOptions feedbackOptions;
    /** The topic the prediction log is copied to, empty if none: no binding may read or write it. */
    private final String logTopic;
    /** The predict route's duration per deployment; the log counts the predictions themselves. */
    private final ServerMetrics meters;

    private Serving(DeploymentStore deployments, ModelRegistry models, ServingModels loaded, ServingLog log,
            FeatureLookup lookup, FeedbackStore feedback, OnlineModels online, AuditLog audit, Clock clock,
            StreamSettings streams, int maxInFlight, String logTopic, ServerMetrics meters) {
        this.deployments = deployments;
        this.models = models;
        this.loaded = loaded;
        this.log = log;
        this.predictor = new Predictor(deployments, loaded, lookup, log, clock, log::nextId);
        this.feedback = feedback;
        this.online = online;
        this.metrics = new LiveMetrics(feedback);
        this.experiments = new Experiments(deployments, feedback, log.log(), models, audit, clock);
        this.admission = new Admission(maxInFlight, "predict requests (server.max-predictions-in-flight)");
        this.feedbackOptions = streams.feedback();
        this.logTopic = logTopic;
        this.meters = meters;
        this.streams = new ServingStreams(streams.cluster(), deployments, predictor, feedback, streams.feedback(),
                streams.instance(), clock);
    }

    /**
     * What the stream consumers need from the wiring: the Kafka cluster (asked for only when a
     * deployment is bound or {@code feedback.topic} is set, since asking starts the embedded broker),
     * the {@code feedback} section, and this process's unique id.
     */
    record StreamSettings(java.util.function.Supplier<ServingKafka> cluster, FeedbackOptions feedback, String instance) {}

    /** Opens the prediction log in {@code dir} (locked by this process until {@link #close}) and the rest over it. */
    static Serving open(Path dir, LogOptions options, MetadataDatabase database, AuditLog audit, ModelRegistry models,
            ServingModels loaded, FeatureLookup lookup, Clock clock, StreamSettings streams, int maxInFlight,
            ServerMetrics metrics) {
        requireNonNull(models, "models is null");
        checkLogTopic(options.kafkaTopic(), streams.feedback());
        // with a topic, every batch is copied there too, and a prediction is answered only once its batch is (acks=all)
        PredictionLog predictionLog = options.kafkaTopic().isEmpty() ? PredictionLog.open(dir, options, audit, clock)
                : PredictionLog.open(dir, options, audit, clock, KafkaBatchReplica.open(streams.cluster().get(),
                        options.kafkaTopic(), options.maxBatchBytes()));
        try {
            metrics.bind(predictionLog);
            // batches a crash left synced but not yet audited hold only unanswered predictions: record them now
            predictionLog.reconcile(ServingLog.recordedBatches(audit));
            ServingLog log = new ServingLog(predictionLog, audit, p -> loaded.load(new ModelRef(p.model(), p.modelVersion()))
                    .scorer().signature().output(), metrics::predicted);
            DeploymentStore deployments = new DeploymentStore(database, audit, clock);
            OnlineModels online = new OnlineModels(database, log::features, clock);
            // online models learn inside the transaction that records each outcome (FeedbackStore.Learner)
            FeedbackStore feedback = new FeedbackStore(database, log, audit, clock, metrics.countingOutcomes(online));
            return new Serving(deployments, models, loaded, log, lookup, feedback, online, audit, clock, streams,
                    maxInFlight, options.kafkaTopic(), metrics);
        } catch (RuntimeException e) {
            predictionLog.close();
            throw e;
        }
    }

    /** The log's copy shares its topic with nothing Seer reads or writes: its last record is where the copy resumes. */
    private static void checkLogTopic(String topic, FeedbackOptions feedback) {
        if (topic.isEmpty()) {
            return;
        }
        String other = topic.equals(Streaming.DEAD_LETTER_TOPIC) ? "the dead-letter topic"
                : feedback.topic().filter(topic::equals).isPresent() ? "feedback.topic" : null;
        if (other != null) {
            throw new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "[prediction-log.kafka-topic] names [" + topic + "], "
                    + other + ": the prediction log's copy needs a topic of its own", Map.of("key", "prediction-log.kafka-topic"));
        }
    }

    DeploymentStore deployments() {
        return deployments;
    }

    FeedbackStore feedbackStore() {
        return feedback;
    }

    Predictor predictor() {
        return predictor;
    }

    ServingLog log() {
        return log;
    }

    /**
     * Scores rows through the live deployment when fewer than {@code server.max-predictions-in-flight} predict requests
     * are being served; otherwise refuses at once (BUSY, 429): the body was read and parsed, but nothing is looked up,
     * scored or logged.
     */
    Predictor.Answer predict(String deployment, List<Predictor.Row> rows) {
        return admission.run(() -> {
            long start = System.nanoTime();
            boolean answered = false;
            try {
                Predictor.Answer answer = predictor.predict(deployment, rows);
                answered = true;
                return answer;
            } finally {
                meters.predictDuration(deployment, System.nanoTime() - start, answered);
            }
        });
    }

    /** The online models' learnt state. */
    OnlineModels online() {
        return online;
    }

    /**
     * Moves the champion of every deployment whose champion is an older version of {@code to}'s
     * model to {@code to}, each through the deploy path (the new version loaded first, the change
     * stored as the revision it replaces, audited, then live); a deployment changed meanwhile is
     * left for the next move. Challengers and shadows stay: an experiment compares the versions it
     * was given. Returns the deployments moved.
     */
    List<String> moveChampions(ModelRef to, String actor) {
        List<String> moved = new ArrayList<>();
        for (Deployment d : deployments.list()) {
            if (!d.champion().model().equals(to.model()) || d.champion().version() >= to.version()) {
                continue;
            }
            loaded.load(to);
            DeploymentStore.Change change = new DeploymentStore.Change(d.name(), to, d.challenger(), d.challengerPercent(),
                    d.shadow(), d.missing(), d.whenStoreDown(), d.stream()); // its stream binding stays
            try {
                predictor.activate(deployments.put(change, Optional.of(d.revision()), actor));
                moved.add(d.name());
            } catch (SeerException e) {
                if (e.errorCode() != ServingErrorCode.DEPLOYMENT_CONFLICT && e.errorCode() != ServingErrorCode.INVALID_DEPLOYMENT) {
                    throw e;
                }
                LOG.warn("Deployment [{}] was not moved to {}: {}", d.name(), to, e.getMessage());
            }
        }
        if (!moved.isEmpty()) {
            streams.changed();
        }
        return moved;
    }

    /** Creates or changes a deployment as a whole, after loading every model it names. */
    Deployment deploy(DeploymentOperations.Deploy request, String actor) {
        int champion = request.version().orElseGet(() -> {
            String alias = request.alias().orElse(TrainingOperations.CHAMPION);
            Integer version = models.model(request.model()).aliases().get(alias);
            if (version == null) {
                throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "Model [" + request.model() + "] has no alias ["
                        + alias + "]: give --version, or an alias it has", Map.of("field", "alias"));
            }
            return version;
        });
        DeploymentStore.Change change = DeploymentOperations.change(request, champion);
        change.stream().ifPresent(this::checkNotReservedTopic);
        // every model loads before the change is stored, so a stored deployment can always be served
        loaded.load(change.champion());
        change.challenger().ifPresent(loaded::load);
        change.shadow().ifPresent(loaded::load);
        Deployment deployment = deployments.put(change, request.expectedRevision(), actor);
        predictor.activate(deployment);
        streams.changed();
        return deployment;
    }

    /**
     * A binding to feedback.topic would score outcomes as requests, or write predictions where outcomes are read; one to
     * the prediction log's topic would put records there that are not batches, which the next start refuses.
     */
    private void checkNotReservedTopic(dev.seer.serving.deploy.StreamBinding binding) {
        Optional<String> feedbackTopic = feedbackOptions.topic();
        for (String[] topic : new String[][] {{binding.inputTopic(), "input_topic"}, {binding.outputTopic(), "output_topic"}}) {
            String why = feedbackTopic.isPresent() && feedbackTopic.get().equals(topic[0])
                    ? "the feedback.topic, whose records are outcomes, not requests or predictions"
                    : topic[0].equals(logTopic) ? "the prediction-log.kafka-topic, whose records are the log's batches" : null;
            if (why != null) {
                throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "[" + topic[1] + "] names [" + topic[0] + "], "
                        + why, Map.of("field", topic[1]));
            }
        }
    }

    void remove(String name, String actor) {
        deployments.remove(name, actor);
        predictor.deactivate(name);
        streams.changed();
    }

    /** Starts the consumers of bound deployments and of {@code feedback.topic}, in the background: the server's. */
    void startStreams() {
        streams.start();
    }

    /** Where a deployment's stream scoring stands, if it has a binding. */
    java.util.Optional<DeploymentOperations.StreamStatus> streamStatus(Deployment d) {
        return streams.status(d);
    }

    /** The feedback topic's consumer, if {@code feedback.topic} is set. */
    java.util.Optional<FeedbackConsumer.Status> feedbackStreamStatus() {
        return streams.feedbackStatus();
    }

    /** Records outcomes: one (its refusal is the call's error) or many (each row's refusal in its result). */
    FeedbackStore.BatchResult feedback(List<dev.seer.serving.feedback.Feedback> rows, boolean single, String actor) {
        if (single) {
            FeedbackStore.Result r = feedback.record(rows.get(0), actor);
            return new FeedbackStore.BatchResult(List.of(new FeedbackStore.RowResult(1, java.util.Optional.of(
                    r.predictionId()), r.status(), java.util.Optional.empty(), "", r.shadows())));
        }
        return feedback.recordAll(rows, 1, actor);
    }

    List<LiveMetrics.Window> metrics(String deployment, java.time.Instant from, java.time.Instant to,
            java.util.Optional<java.time.Duration> bucket) {
        deployments.get(deployment); // a 404 for an unknown deployment, not an empty answer
        return bucket.isPresent() ? metrics.buckets(deployment, from, to, bucket.get())
                : List.of(metrics.window(deployment, from, to));
    }

    Experiments.Judged experiment(String name, Experiments.Settings settings) {
        return experiments.judge(name, settings);
    }

    /** Applies the experiment's decision; the live deployment follows the change. */
    Experiments.Judged decide(String name, Experiments.Settings settings, String actor) {
        Experiments.Judged judged = experiments.apply(name, settings, actor);
        predictor.activate(judged.deployment());
        streams.changed();
        return judged;
    }

    /** The consumers first: each commits or rewinds what it holds while the log can still take predictions. */
    @Override
    public void close() {
        try {
            streams.close();
        } finally {
            log.log().close();
        }
    }
}
