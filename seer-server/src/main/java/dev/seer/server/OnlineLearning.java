package dev.seer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.models.LinearModel;
import dev.seer.models.ModelFormat;
import dev.seer.models.Signature;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.VersionDetails;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.online.FtrlProximal;
import dev.seer.serving.online.FtrlSettings;
import dev.seer.serving.online.OnlineModels;
import dev.seer.serving.online.OnlineOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online models ({@code online_logistic}, FTRL-Proximal) end to end, composing the registry, the
 * artifact store and serving's {@link OnlineModels}.
 *
 * <p>{@link #create} registers the model with version 1, the learner's zero snapshot (every
 * prediction 1/2), as an ordinary {@code seer-linear} version tagged with its kind and settings,
 * then stores the learner's state. From then on, feedback on any prediction a version of it made
 * updates the state in the transaction that records the outcome ({@link OnlineModels}).
 * {@link #snapshot} registers the state as it stands as the next version (its provenance in tags:
 * the parent version, the updates, the times of the first and last outcome learnt since the
 * parent) and moves every deployment whose champion is an older version of the model to it
 * through the deploy path, so every logged prediction names a registered, immutable version. The
 * server calls {@link #tick} every {@code online-learning.snapshot-every}, which snapshots each
 * model that learnt at least {@code snapshot-min-updates} outcomes since its last version; the
 * snapshot route does the same for one model at once. The schedule counts that interval on the
 * injected clock: its thread looks at the clock every {@link #LOOK} (or every interval, if
 * shorter) and ticks once the interval has passed since the start or the last tick, so a test
 * moves time rather than waiting an hour.
 *
 * <p>Creations and snapshots are serialised here, so two cannot register the same state twice or
 * one name twice; the state read is the committed one, and outcomes learnt while a version is
 * being registered count towards the next.
 */
final class OnlineLearning implements AutoCloseable {
    /** The registered model's and each version's tag naming the model kind. */
    static final String KIND_TAG = "seer.model_kind";
    static final String SYSTEM = "system:online-learning";

    /** How often the schedule's thread reads the clock: cheap, and a tick is at most this late. */
    static final Duration LOOK = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(OnlineLearning.class);

    /**
     * A new online model: its inputs (all numbers) and its FTRL settings. With a feature service,
     * its features come first, named {@code view__feature} as in a dataset built from it, and are
     * fetched from the online store by the entity at predict time; {@code features} follow, given
     * in each request.
     */
    record Create(String model, Optional<String> featureService, List<String> features, FtrlSettings settings,
            String description) {
        Create {
            requireNonNull(model, "model is null");
            requireNonNull(featureService, "featureService is null");
            features = List.copyOf(features);
            requireNonNull(settings, "settings is null");
            requireNonNull(description, "description is null");
        }
    }

    /**
     * What a snapshot did: the version it registered (empty when nothing was learnt since the last
     * one, which stays {@code current}), the updates the model has learnt from in all, and the
     * deployments moved to the new version.
     */
    record Snapshot(String model, Optional<Integer> registered, int current, long updates, List<String> deployments) {
        Snapshot {
            requireNonNull(model, "model is null");
            requireNonNull(registered, "registered is null");
            deployments = List.copyOf(deployments);
        }
    }

    private final OnlineModels online;
    private final Catalog catalog;
    private final ModelRegistry registry;
    private final ArtifactStore artifacts;
    private final Serving serving;
    private final OnlineOptions options;
    private final Clock clock;
    /** Held while registering versions: creations and snapshots run one at a time (one server owns the home). */
    private final Object registering = new Object();
    private ScheduledExecutorService schedule;
    /** When the schedule ticks next; read and written by its one thread only (after {@link #start}). */
    private Instant due;

    OnlineLearning(Serving serving, Catalog catalog, ModelRegistry registry, ArtifactStore artifacts,
            OnlineOptions options, Clock clock) {
        this.serving = requireNonNull(serving, "serving is null");
        this.online = serving.online();
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.options = requireNonNull(options, "options is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Registers a new model, version 1 the untrained learner, and starts keeping its state. */
    ModelVersion create(Create request, String actor) {
        List<String> inputs = new ArrayList<>();
        Optional<String> service = request.featureService().map(name -> serviceInputs(name, inputs));
        inputs.addAll(request.features());
        FtrlProximal learner = new FtrlProximal(inputs, request.settings());
        Map<String, String> tags = new LinkedHashMap<>(settingsTags(request.settings()));
        tags.put(KIND_TAG, OnlineModels.KIND);
        synchronized (registering) { // two creations of one name: the second finds it online, and is refused
            return create(request.model(), request.description(), learner, service, tags, actor);
        }
    }

    private ModelVersion create(String model, String description, FtrlProximal learner, Optional<String> service,
            Map<String, String> tags, String actor) {
        try {
            // the registry refuses a taken name, so an online model never takes over a batch-trained one
            registry.createModel(model, description, tags, actor);
        } catch (SeerException taken) {
            if (taken.errorCode() != RegistryErrorCode.ALREADY_EXISTS || !cutShort(model, learner, tags)) {
                throw taken;
            }
            LOG.info("Online model [{}] was registered by a creation cut short; finishing it", model);
        }
        List<ModelVersion> versions = registry.versions(model);
        ModelVersion first = versions.isEmpty()
                ? register(model, learner, service, tags, "the untrained online model", actor) : versions.get(0);
        online.create(model, learner, first.version(), actor);
        return first;
    }

    /**
     * Whether {@code model} is what this creation would have registered before its state was stored
     * (a process killed in between): tagged the same, with no version or only its untrained one,
     * and no state. Asking again finishes it; anything else keeps the name taken.
     */
    private boolean cutShort(String model, FtrlProximal learner, Map<String, String> tags) {
        if (online.isOnline(model) || !registry.model(model).tags().equals(tags)) {
            return false;
        }
        List<ModelVersion> versions = registry.versions(model);
        return versions.isEmpty() || versions.size() == 1 && versions.get(0).tags().equals(tags)
                && versions.get(0).details().signature().equals(Optional.of(Signature.CODEC.encode(learner.signature())));
    }

    /** Adds the latest version of feature service {@code name}'s features to {@code inputs}; returns {@code name:version}. */
    private String serviceInputs(String name, List<String> inputs) {
        CatalogEntry service = catalog.latest(FeatureRegistry.SERVICE, name).orElseThrow(() -> new SeerException(
                ServingErrorCode.INVALID_ARGUMENT, "Feature service [" + name + "] does not exist",
                Map.of("field", "feature_service")));
        for (JsonNode ref : service.body().path("features")) {
            inputs.add(ref.asText().replace(":", "__")); // a dataset's column name, which ServingModels fetches online
        }
        return name + ":" + service.version();
    }

    /** The model's learnt state now. */
    OnlineModels.State state(String model) {
        return online.state(model);
    }

    /** Registers the state as the next version if it learnt anything since the last, and moves the champions to it. */
    Snapshot snapshot(String model, String actor) {
        return snapshot(model, 1, actor).orElseThrow();
    }

    /** Snapshots every online model that learnt at least {@code snapshot-min-updates} outcomes since its last version. */
    List<Snapshot> tick() {
        return online.names().stream().map(model -> {
            try {
                return snapshot(model, options.snapshotMinUpdates(), SYSTEM);
            } catch (SeerException e) { // one model's failure does not stop the others; the next tick tries again
                LOG.warn("Online model [{}] was not snapshotted: {}", model, e.getMessage(), e);
                return Optional.<Snapshot>empty();
            }
        }).flatMap(Optional::stream).filter(s -> s.registered().isPresent()).toList();
    }

    /** Starts the schedule (the server does, once it listens); closed by {@link #close}. */
    synchronized void start() {
        if (schedule != null) {
            return;
        }
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "seer-online-snapshots");
            thread.setDaemon(true);
            return thread;
        });
        due = clock.instant().plus(options.snapshotEvery());
        long look = Math.min(LOOK.toMillis(), options.snapshotEvery().toMillis());
        schedule.scheduleWithFixedDelay(this::scheduledTick, look, look, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            // not shutdownNow: an interrupt could cut a snapshot between its artifact, its version and its record
            schedule.shutdown();
            try {
                if (!schedule.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("An online model snapshot was still running after 30 s at close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            schedule = null;
        }
    }

    private final java.util.concurrent.atomic.AtomicLong scheduledTicks = new java.util.concurrent.atomic.AtomicLong();

    private void scheduledTick() {
        Instant now = clock.instant();
        if (now.isBefore(due)) {
            return;
        }
        // counted from this tick: ticks missed while the clock jumped or a snapshot ran long do not pile up
        due = now.plus(options.snapshotEvery());
        try {
            tick();
        } catch (RuntimeException e) { // a thrown exception would end the schedule for good
            LOG.warn("Online model snapshots failed; trying again at the next tick", e);
        } finally {
            scheduledTicks.incrementAndGet();
        }
    }

    /** How many times the schedule has ticked (looked at every model) since it started: a test waits on it. */
    long scheduledTicks() {
        return scheduledTicks.get();
    }

    /** The snapshot, if the model learnt {@code minUpdates} or more since its last version (or a no-op answer when 1 and none). */
    private Optional<Snapshot> snapshot(String model, long minUpdates, String actor) {
        synchronized (registering) {
            OnlineModels.State state = online.state(model);
            if (state.pending() < minUpdates) {
                return minUpdates == 1 ? Optional.of(new Snapshot(model, Optional.empty(), state.snapshotVersion(),
                        state.updates(), List.of())) : Optional.empty();
            }
            Map<String, String> tags = new LinkedHashMap<>(settingsTags(state.learner().settings()));
            tags.put(KIND_TAG, OnlineModels.KIND);
            tags.put("seer.online.parent_version", Integer.toString(state.snapshotVersion()));
            tags.put("seer.online.updates", Long.toString(state.updates()));
            tags.put("seer.online.updates_since_parent", Long.toString(state.pending()));
            state.pendingFrom().ifPresent(t -> tags.put("seer.online.learnt_from", t.toString()));
            state.lastLearntAt().ifPresent(t -> tags.put("seer.online.learnt_to", t.toString()));
            // the parent's feature service, so the new version fetches the same features online
            Optional<String> service = registry.version(model, state.snapshotVersion()).details().featureService();
            ModelVersion version = registered(model, state).orElseGet(() -> register(model, state.learner(), service, tags,
                    "online snapshot after " + state.updates() + " updates (" + state.pending() + " since version "
                    + state.snapshotVersion() + ")", actor));
            online.snapshotted(model, version.version(), state.updates());
            List<String> moved = serving.moveChampions(new ModelRef(model, version.version()), actor);
            LOG.info("Online model [{}]: registered {} at {} updates, moved {}", model, version, state.updates(), moved);
            return Optional.of(new Snapshot(model, Optional.of(version.version()), version.version(), state.updates(), moved));
        }
    }

    /**
     * The version a snapshot of this very state already registered, if one did: a snapshot that died between registering
     * and recording it left it there, and registering the same state again would make two versions of one state.
     */
    private Optional<ModelVersion> registered(String model, OnlineModels.State state) {
        List<ModelVersion> versions = registry.versions(model);
        return versions.stream().filter(v -> v.version() > state.snapshotVersion())
                .filter(v -> Long.toString(state.updates()).equals(v.tags().get("seer.online.updates")))
                .reduce((a, b) -> b.version() > a.version() ? b : a);
    }

    private ModelVersion register(String model, FtrlProximal learner, Optional<String> featureService,
            Map<String, String> tags, String description, String actor) {
        LinearModel snapshot = learner.snapshot();
        byte[] bytes = snapshot.toBytes();
        String sha256 = artifacts.store(bytes);
        Signature signature = learner.signature();
        VersionDetails details = new VersionDetails(Optional.of(sha256), Optional.of(ModelFormat.SEER_LINEAR.id()),
                Optional.of(Signature.CODEC.encode(signature)), Optional.empty(), featureService, Map.of());
        return registry.createVersion(model, new ModelRegistry.NewVersion("seer-artifacts:/" + sha256, Optional.empty(),
                description, details, tags), actor);
    }

    private static Map<String, String> settingsTags(FtrlSettings s) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("seer.ftrl.alpha", Double.toString(s.alpha()));
        tags.put("seer.ftrl.beta", Double.toString(s.beta()));
        tags.put("seer.ftrl.l1", Double.toString(s.l1()));
        tags.put("seer.ftrl.l2", Double.toString(s.l2()));
        return tags;
    }
}
