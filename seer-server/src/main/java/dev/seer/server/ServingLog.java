package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.models.OutputKind;
import dev.seer.serving.deploy.Arm;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.feedback.LoggedPredictions;
import dev.seer.serving.log.BatchReceipt;
import dev.seer.serving.log.FeatureStatus;
import dev.seer.serving.log.LogVerification;
import dev.seer.serving.log.Prediction;
import dev.seer.serving.log.PredictionLog;
import dev.seer.serving.log.PredictionQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The prediction log as the rest of serving sees it: where the predict path's predictions go
 * (each {@link Predictor.Predicted} becomes one logged {@link Prediction}), what feedback joins
 * to, and its check against the hashes the audit log recorded of each batch.
 */
final class ServingLog implements Predictor.PredictionSink, LoggedPredictions {
    private final PredictionLog log;
    private final AuditLog audit;
    /** A model version's output kind, for feedback (the registry's signature). */
    private final Function<Prediction, OutputKind> kinds;
    /** Told of every append, on the caller's thread: the server's prediction counters. */
    private final Consumer<List<Predictor.Predicted>> appended;

    ServingLog(PredictionLog log, AuditLog audit, Function<Prediction, OutputKind> kinds,
            Consumer<List<Predictor.Predicted>> appended) {
        this.log = requireNonNull(log, "log is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.kinds = requireNonNull(kinds, "kinds is null");
        this.appended = requireNonNull(appended, "appended is null");
    }

    PredictionLog log() {
        return log;
    }

    /** A logged prediction's model version's output kind (the registry's signature): how the monitor reads its output. */
    OutputKind kindOf(Prediction prediction) {
        return kinds.apply(prediction);
    }

    String nextId() {
        return log.nextId();
    }

    @Override
    public CompletableFuture<?> log(List<Predictor.Predicted> predictions) {
        List<Prediction> records = new ArrayList<>(predictions.size());
        for (Predictor.Predicted p : predictions) {
            records.add(record(p));
        }
        appended.accept(predictions);
        return log.append(records);
    }

    static Prediction record(Predictor.Predicted p) {
        List<Prediction.Feature> features = new ArrayList<>(p.features().size());
        for (Predictor.FeatureValue f : p.features()) {
            features.add(switch (f.source()) {
                case GIVEN -> Double.isNaN(f.value()) ? Prediction.Feature.missing(f.name())
                        : Prediction.Feature.given(f.name(), f.value());
                case STORE -> new Prediction.Feature(f.name(), f.value(), f.eventTime(), FeatureStatus.PRESENT);
                case EXPIRED -> new Prediction.Feature(f.name(), Double.NaN, f.eventTime(), FeatureStatus.EXPIRED);
                case MISSING, STORE_DOWN -> Prediction.Feature.missing(f.name());
            });
        }
        return new Prediction(p.id(), p.time(), p.deployment(), p.arm().id(), p.model().model(), p.model().version(),
                p.entity(), features, p.output(), p.latencyMicros(), p.arm() == Arm.SHADOW, p.degraded().orElse(""),
                p.shadowOf());
    }

    @Override
    public Optional<Logged> byId(String id) {
        return log.find(id).map(this::logged);
    }

    @Override
    public Optional<Logged> latestBefore(Map<String, String> entity, String deployment, Instant at) {
        // newest first, answered only: reads back only as far as the latest match (segments skipped by their entity filter)
        return log.query(PredictionQuery.all().withDeployment(deployment).withEntity(entity)
                .between(Optional.empty(), Optional.of(at.plusNanos(1000))).withShadow(false).newestFirst().withLimit(1))
                .stream().findFirst().map(this::logged);
    }

    @Override
    public List<Logged> shadowsOf(String predictionId) {
        return log.shadowsOf(predictionId).stream().map(this::logged).toList();
    }

    /** The values prediction {@code id}'s model saw, by input name (NaN where it saw none): what an online model learns from. */
    Optional<Map<String, Double>> features(String id) {
        return log.find(id).map(p -> {
            Map<String, Double> values = new HashMap<>();
            p.features().forEach(f -> values.put(f.name(), f.value()));
            return values;
        });
    }

    private Logged logged(Prediction p) {
        return new Logged(p.id(), p.time(), p.deployment(), p.arm(), p.model(), p.modelVersion(), kinds.apply(p), p.output());
    }

    /** Checks every batch of the log against the hash its audit entry recorded. */
    LogVerification verify() {
        return log.verify(recordedBatches(audit));
    }

    /** Batch number to hash, as the audit log recorded them. */
    static Map<Long, String> recordedBatches(AuditLog audit) {
        Map<Long, String> recorded = new HashMap<>();
        long after = 0;
        while (true) {
            AuditPage page = audit.query(AuditQuery.all().withAction(BatchReceipt.ACTION).page(after, AuditQuery.MAX_LIMIT));
            for (AuditEntry e : page.entries()) {
                BatchReceipt receipt = BatchReceipt.fromJson(Json.parse(e.payload()));
                recorded.put(receipt.batch(), receipt.hash());
            }
            if (page.nextAfter().isEmpty()) {
                return recorded;
            }
            after = page.nextAfter().getAsLong();
        }
    }
}
