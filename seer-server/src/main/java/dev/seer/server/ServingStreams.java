package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.DeploymentStore;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.deploy.StreamBinding;
import dev.seer.serving.feedback.FeedbackOptions;
import dev.seer.serving.feedback.FeedbackStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's Kafka consumers of serving: one {@link ScoreConsumer} per deployment with a stream
 * binding, and the {@link FeedbackConsumer} of {@code feedback.topic}. Only a server runs them
 * ({@link #start}); a CLI in local mode changes deployments without consuming. One thread
 * reconciles what runs with what is stored, at once after a deployment changes here and every
 * {@link #EVERY} (which also follows changes made by another process sharing the metadata store,
 * and starts again a consumer that stopped on an error): a deployment whose binding changed or
 * that was removed has its consumer stopped (the poll in hand is committed first) and, if still
 * bound, a new one started; a change of models alone needs no restart, since each poll is scored
 * by the deployment's live form. Topics Seer reads (an input topic, {@code feedback.topic}) must
 * exist; the reason is shown as the consumer's state until they do. Topics Seer writes (an
 * output topic, the dead-letter topic) are created with {@code kafka.partitions} if missing.
 */
final class ServingStreams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingStreams.class);
    static final Duration EVERY = Duration.ofSeconds(2);

    private final Supplier<ServingKafka> cluster;
    private final DeploymentStore deployments;
    private final Predictor predictor;
    private final FeedbackStore feedbackStore;
    private final FeedbackOptions options;
    private final String instance;
    private final Clock clock;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "seer-serving-streams");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Running<ScoreConsumer>> scoring = new ConcurrentHashMap<>();
    /** Why a bound deployment has no consumer running (its input topic is missing, the broker is unreachable). */
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private volatile Running<FeedbackConsumer> feedback;
    private volatile String feedbackProblem = "";
    private ServingKafka kafka;
    private volatile boolean started;

    private record Running<T extends Runnable>(T consumer, Thread thread) {}

    ServingStreams(Supplier<ServingKafka> cluster, DeploymentStore deployments, Predictor predictor, FeedbackStore feedback,
            FeedbackOptions options, String instance, Clock clock) {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.deployments = requireNonNull(deployments, "deployments is null");
        this.predictor = requireNonNull(predictor, "predictor is null");
        this.feedbackStore = requireNonNull(feedback, "feedback is null");
        this.options = requireNonNull(options, "options is null");
        this.instance = requireNonNull(instance, "instance is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Starts reconciling in the background, now and every {@link #EVERY}. */
    synchronized void start() {
        if (started || worker.isShutdown()) {
            return;
        }
        started = true;
        worker.scheduleWithFixedDelay(this::reconcile, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A deployment changed here: reconcile now rather than at the next tick (nothing, if not started). */
    synchronized void changed() {
        if (started && !worker.isShutdown()) {
            worker.execute(this::reconcile);
        }
    }

    /** Runs on the worker thread only. */
    private void reconcile() {
        try {
            Map<String, StreamBinding> wanted = new HashMap<>();
            for (Deployment d : deployments.list()) {
                d.stream().ifPresent(b -> wanted.put(d.name(), b));
            }
            if (wanted.isEmpty() && options.topic().isEmpty() && kafka == null) {
                return; // nothing to consume: the broker need not start
            }
            if (kafka == null) {
                kafka = cluster.get();
            }
            stopUnwanted(wanted);
            try (Admin admin = Admin.create(kafka.admin())) {
                Set<String> topics = new HashSet<>(admin.listTopics().names().get());
                ensure(admin, topics, kafka.deadLetterTopic());
                wanted.forEach((name, binding) -> startScoring(admin, topics, name, binding));
                options.topic().ifPresent(topic -> startFeedback(topics, topic));
            }
        } catch (ExecutionException e) {
            problem("Kafka refused to list or create topics: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            problem(e.getMessage());
        }
    }

    /** Every bound deployment without a consumer, and the feedback consumer, wait for this. */
    private void problem(String message) {
        LOG.warn("Stream scoring and feedback not running: {}; trying again in {} s", message, EVERY.toSeconds());
        try {
            deployments.list().forEach(d -> d.stream().filter(b -> !scoring.containsKey(d.name()))
                    .ifPresent(b -> problems.put(d.name(), message)));
        } catch (RuntimeException e) {
            LOG.debug("Listing deployments failed too", e);
        }
        if (feedback == null) {
            feedbackProblem = message;
        }
    }

    private void stopUnwanted(Map<String, StreamBinding> wanted) {
        for (String name : new ArrayList<>(scoring.keySet())) {
            Running<ScoreConsumer> running = scoring.get(name);
            boolean keep = running.consumer().binding().equals(wanted.get(name)) && running.thread().isAlive();
            if (!keep) {
                running.consumer().failure().ifPresent(f -> LOG.error("Scoring of deployment [{}] had stopped ({});"
                        + " starting it again", name, f.toString()));
                stop(running);
                scoring.remove(name);
            }
        }
        problems.keySet().retainAll(wanted.keySet());
        Running<FeedbackConsumer> f = feedback;
        if (f != null && !f.thread().isAlive()) {
            LOG.error("Feedback from topic [{}] had stopped ({}); starting it again", f.consumer().status().topic(),
                    f.consumer().failure().map(Throwable::toString).orElse("no error"));
            feedback = null;
        }
    }

    private void startScoring(Admin admin, Set<String> topics, String name, StreamBinding binding) {
        if (scoring.containsKey(name)) {
            return;
        }
        if (!topics.contains(binding.inputTopic())) {
            problems.put(name, "input topic [" + binding.inputTopic() + "] does not exist on " + kafka.bootstrap());
            return;
        }
        try {
            ensure(admin, topics, binding.outputTopic());
        } catch (ExecutionException e) {
            problems.put(name, "cannot create output topic [" + binding.outputTopic() + "]: " + e.getCause().getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        ScoreConsumer consumer = new ScoreConsumer(name, binding, kafka, predictor, instance);
        scoring.put(name, new Running<>(consumer, thread(consumer, "seer-score-" + name)));
        problems.remove(name);
        LOG.info("Scoring deployment {} from topic {} into {}", name, binding.inputTopic(), binding.outputTopic());
    }

    private void startFeedback(Set<String> topics, String topic) {
        if (feedback != null) {
            return;
        }
        if (!topics.contains(topic)) {
            feedbackProblem = "feedback topic [" + topic + "] does not exist on " + kafka.bootstrap();
            return;
        }
        FeedbackConsumer consumer = new FeedbackConsumer(topic, kafka, feedbackStore, clock);
        feedback = new Running<>(consumer, thread(consumer, "seer-feedback"));
        feedbackProblem = "";
        LOG.info("Recording feedback from topic {}", topic);
    }

    private static Thread thread(Runnable consumer, String name) {
        Thread thread = new Thread(consumer, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Creates {@code topic} if missing; another process creating it at the same time is fine. */
    private void ensure(Admin admin, Set<String> topics, String topic) throws ExecutionException, InterruptedException {
        if (topics.contains(topic)) {
            return;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, kafka.partitions(), (short) -1))).all().get();
            LOG.info("Created topic {} ({} partitions)", topic, kafka.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        topics.add(topic);
    }

    private static void stop(Running<? extends AutoCloseable> running) {
        try {
            running.consumer().close();
            running.thread().join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Stopping a consumer failed", e);
        }
    }

    /** Where a deployment's stream scoring stands; empty if it has no binding. */
    Optional<DeploymentOperations.StreamStatus> status(Deployment d) {
        if (d.stream().isEmpty()) {
            return Optional.empty();
        }
        StreamBinding b = d.stream().get();
        Running<ScoreConsumer> running = scoring.get(d.name());
        if (running != null && running.consumer().binding().equals(b)) {
            return Optional.of(running.consumer().status());
        }
        String problem = problems.getOrDefault(d.name(), "");
        DeploymentOperations.StreamState state = !started ? DeploymentOperations.StreamState.NOT_RUNNING
                : problem.isEmpty() ? DeploymentOperations.StreamState.STARTING : DeploymentOperations.StreamState.WAITING;
        return Optional.of(new DeploymentOperations.StreamStatus(b.inputTopic(), b.outputTopic(), state,
                started ? problem : "stream scoring runs in the server only", Set.of(), Map.of(), 0, 0));
    }

    /** The feedback consumer's counts, or why it does not run; empty without {@code feedback.topic}. */
    Optional<FeedbackConsumer.Status> feedbackStatus() {
        Running<FeedbackConsumer> f = feedback;
        if (f != null) {
            return Optional.of(f.consumer().status());
        }
        return options.topic().map(t -> new FeedbackConsumer.Status(t, false, feedbackProblem, 0, 0, 0));
    }

    /** Stops every consumer (each commits or rewinds the poll in hand) before the log and the broker close. */
    @Override
    public synchronized void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scoring.values().forEach(r -> r.consumer().close());
        scoring.values().forEach(ServingStreams::stop);
        scoring.clear();
        Running<FeedbackConsumer> f = feedback;
        if (f != null) {
            stop(f);
        }
        feedback = null;
    }
}
