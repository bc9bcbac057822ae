package dev.seer.training;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.models.OutputKind;
import dev.seer.models.Signature;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.search.RunSearch;
import dev.seer.registry.search.ViewType;
import dev.seer.registry.tracking.Lifecycle;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunProvenance;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.training.algorithms.Fitted;
import dev.seer.training.data.TrainingData;
import dev.seer.training.evaluation.CandidateResult;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.evaluation.Evaluator;
import dev.seer.training.metrics.Interval;
import dev.seer.training.metrics.Scored;
import dev.seer.training.tuning.IntParam;
import dev.seer.training.tuning.Param;
import dev.seer.training.tuning.SearchSpace;
import dev.seer.training.tuning.StudyListener;
import dev.seer.training.tuning.Trial;
import dev.seer.training.tuning.TrialState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Records a training run in the tracking store as it goes: the parent run with the spec's
 * parameters and provenance, a child run per tuning trial and per candidate, and at the end the
 * best candidate's metrics and the artifacts. The model folder is written last, so a run whose
 * model is there is complete.
 */
final class RunRecorder {
    static final String MODEL_FOLDER = "model";
    static final String DESCRIPTOR = "seer-model.json";
    static final String KIND_TAG = "seer.kind";
    static final String SPEC = "spec.yaml";
    static final String CANDIDATE_TAG = "seer.candidate";
    static final String TRIAL_TAG = "seer.trial";
    static final String TRIAL_STATE_TAG = "seer.trial_state";

    private final TrackingStore tracking;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final TrainingSpec spec;
    private final TrainingData data;
    private final String actor;
    private final Run run;
    /** Set once the run's end is recorded (finished, failed or killed): the first end wins. */
    private final AtomicBoolean ended = new AtomicBoolean();

    private RunRecorder(TrackingStore tracking, ArtifactStore artifacts, Clock clock, TrainingSpec spec, TrainingData data,
            String actor, Run run) {
        this.tracking = tracking;
        this.artifacts = artifacts;
        this.clock = clock;
        this.spec = spec;
        this.data = data;
        this.actor = actor;
        this.run = run;
    }

    static RunRecorder start(TrackingStore tracking, ArtifactStore artifacts, Clock clock, TrainingSpec spec,
            TrainingData data, String actor) {
        String experiment = tracking.experimentByName(spec.name()).map(e -> e.id()).orElseGet(() ->
                tracking.createExperiment(spec.name(), Optional.empty(), Map.of(), actor).id());
        RunProvenance provenance = RunProvenance.here(Optional.of(data.snapshot().ref()),
                Optional.of(data.snapshot().sha256()), Optional.of(spec.sha256()), OptionalLong.of(spec.seed()),
                Map.of("xgboost4j", xgboostVersion()));
        if (spec.continueFrom().isPresent()) {
            provenance = provenance.continuing(spec.continueFrom().get());
        }
        Run run = tracking.createRun(new TrackingStore.NewRun(experiment, Optional.of(spec.name()), actor, Optional.empty(),
                Map.of(KIND_TAG, "training"), Optional.empty(), Optional.of(provenance)), actor);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("dataset", data.snapshot().ref());
        params.put("label", data.label());
        params.put("task", spec.task().id());
        params.put("features", String.join(",", data.train().features()));
        params.put("metric", spec.evaluation().metric().id());
        params.put("folds", Integer.toString(spec.evaluation().folds()));
        params.put("alpha", Double.toString(spec.evaluation().alpha()));
        params.put("seed", Long.toString(spec.seed()));
        params.put("candidates", String.join(",", spec.candidates().stream().map(c -> c.algorithm().id()).toList()));
        spec.continueFrom().ifPresent(version -> params.put("continue_from", version));
        tracking.logBatch(run.id(), new TrackingStore.Batch(List.of(), params, Map.of()), actor);
        RunRecorder recorder = new RunRecorder(tracking, artifacts, clock, spec, data, actor, run);
        recorder.put(SPEC, spec.text().getBytes(StandardCharsets.UTF_8));
        return recorder;
    }

    /** Takes up a killed or failed run again: marked running, its parameters and recorded trials as they are. */
    static RunRecorder reopen(TrackingStore tracking, ArtifactStore artifacts, Clock clock, TrainingSpec spec,
            TrainingData data, String actor, Run run) {
        tracking.updateRun(run.id(), Optional.of(RunStatus.RUNNING), Optional.empty(), Optional.empty(), actor);
        tracking.logBatch(run.id(), new TrackingStore.Batch(List.of(), Map.of(), Map.of("seer.resumed",
                Instant.now(clock).toString())), actor);
        return new RunRecorder(tracking, artifacts, clock, spec, data, actor, tracking.run(run.id()));
    }

    /**
     * The trials a run recorded, by candidate, read back from its child runs: parameters typed as
     * the search space draws them, state, value and the intermediate values ASHA saw. A trial's
     * child run is complete once it has ended (created, logged, then ended: three writes); one
     * still running was cut short while being recorded, and is deleted so that the trial runs again.
     */
    static Map<String, List<Trial>> recordedTrials(TrackingStore tracking, Run run, TrainingSpec spec) {
        String metric = spec.evaluation().metric().id();
        Map<String, SearchSpace> spaces = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        spec.candidates().forEach(c -> {
            int n = seen.merge(c.algorithm().id(), 1, Integer::sum);
            c.search().ifPresent(space -> spaces.put(c.algorithm().id() + (n > 1 ? "_" + n : ""), space));
        });
        Map<String, List<Trial>> trials = new LinkedHashMap<>();
        String filter = "tags.`" + TrackingStore.PARENT_TAG + "` = '" + run.id() + "' and tags.`" + KIND_TAG + "` = 'trial'";
        String token = "";
        do {
            TrackingStore.RunPage page = tracking.search(RunSearch.of(List.of(Long.parseLong(run.experimentId())), filter,
                    List.of(), ViewType.ACTIVE_ONLY, token, RunSearch.MAX_RESULTS_LIMIT));
            for (Run child : page.runs()) {
                String candidate = child.tags().get(CANDIDATE_TAG);
                SearchSpace space = spaces.get(candidate);
                if (child.status() == RunStatus.RUNNING) {
                    // cut short while it was being recorded (its end is the commit point): it runs again
                    tracking.setLifecycle(child.id(), Lifecycle.DELETED, "resume");
                } else if (space != null) {
                    trials.computeIfAbsent(candidate, c -> new ArrayList<>()).add(trial(tracking, child, space, metric));
                }
            }
            token = page.nextPageToken().orElse("");
        } while (!token.isEmpty());
        trials.values().forEach(list -> list.sort(Comparator.comparingInt(Trial::number)));
        return trials;
    }

    private static Trial trial(TrackingStore tracking, Run child, SearchSpace space, String metric) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Param param : space.params()) {
            String text = child.params().get(param.name());
            params.put(param.name(), param instanceof IntParam ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(
                    text));
        }
        TrialState state = TrialState.valueOf(child.tags().get(TRIAL_STATE_TAG));
        OptionalDouble value = child.metrics().stream().filter(m -> m.key().equals(metric)).mapToDouble(Metric::value)
                .findFirst();
        SortedMap<Long, Double> intermediate = new TreeMap<>();
        tracking.metricHistory(child.id(), "watch_" + metric).forEach(m -> intermediate.put(m.step(), m.value()));
        return new Trial(Integer.parseInt(child.tags().get(TRIAL_TAG)), params, state, state == TrialState.COMPLETE ? value
                : OptionalDouble.empty(), intermediate, Duration.ZERO);
    }

    String runId() {
        return run.id();
    }

    String experimentId() {
        return run.experimentId();
    }

    /** Records each trial of {@code candidate} as a child run and prints progress: done, best so far, time left. */
    StudyListener trials(String candidate, String metric, boolean higherIsBetter, int total, Optional<Duration> timeout,
            Consumer<String> progress) {
        Instant started = clock.instant();
        AtomicInteger done = new AtomicInteger();
        List<Trial> finished = new ArrayList<>();
        return new StudyListener() {
            @Override
            public void trialFinished(Trial trial) {
                recordTrial(candidate, metric, trial);
                int n = done.incrementAndGet();
                Optional<Trial> best;
                synchronized (finished) {
                    finished.add(trial);
                    best = Training.best(finished, higherIsBetter);
                }
                Duration elapsed = Duration.between(started, clock.instant());
                Duration projected = elapsed.multipliedBy(Math.max(0, total - n)).dividedBy(n);
                Duration left = timeout.map(t -> t.minus(elapsed)).filter(t -> t.compareTo(projected) < 0)
                        .map(t -> t.isNegative() ? Duration.ZERO : t).orElse(projected);
                progress.accept(String.format("%s trial %d/%d %s%s; best %s; about %ds left", candidate, n, total,
                        trial.state().name().toLowerCase(Locale.ROOT), trial.value().isPresent() ? " "
                                + format(trial.value().getAsDouble()) : "", best.map(b -> format(b.value().getAsDouble()))
                                .orElse("none yet"), left.toSeconds()));
            }
        };
    }

    private void recordTrial(String candidate, String metric, Trial trial) {
        Map<String, String> tags = Map.of(KIND_TAG, "trial", CANDIDATE_TAG, candidate, TRIAL_TAG,
                Integer.toString(trial.number()), TRIAL_STATE_TAG, trial.state().name());
        Run child = tracking.createRun(new TrackingStore.NewRun(run.experimentId(), Optional.of(candidate + "-trial-"
                + trial.number()), actor, Optional.empty(), tags, Optional.of(run.id()), Optional.empty()), actor);
        Map<String, String> params = new LinkedHashMap<>();
        trial.params().forEach((k, v) -> params.put(k, String.valueOf(v)));
        List<Metric> metrics = new ArrayList<>();
        long now = clock.millis();
        trial.intermediate().forEach((step, value) -> metrics.add(new Metric("watch_" + metric, value, now, step)));
        trial.value().ifPresent(v -> metrics.add(new Metric(metric, v, now, 0)));
        tracking.logBatch(child.id(), new TrackingStore.Batch(metrics, params, Map.of()), actor);
        tracking.updateRun(child.id(), Optional.of(trial.state() == TrialState.FAILED ? RunStatus.FAILED
                : RunStatus.FINISHED), Optional.empty(), Optional.empty(), actor);
    }

    /** Records the candidates, the best's metrics, the report and the model; marks the run finished. */
    Optional<String> finish(Evaluator.Evaluated evaluated, List<Evaluator.Chosen> chosen) {
        EvaluationReport report = evaluated.report();
        for (CandidateResult candidate : report.candidates()) {
            recordCandidate(candidate, report);
        }
        CandidateResult best = report.candidate(report.best());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("best", best.name());
        params.put("algorithm", best.algorithm().id());
        best.params().forEach((k, v) -> params.put("param." + k, String.valueOf(v)));
        Map<String, String> tags = Map.of("seer.gate", Boolean.toString(report.gate()));
        tracking.logBatch(run.id(), new TrackingStore.Batch(metrics(best, report), params, tags), actor);
        put("evaluation.json", Json.canonical(EvaluationReport.CODEC.encode(report)).getBytes(StandardCharsets.UTF_8));
        put("test_predictions.csv", predictions(evaluated.bestTest()));
        evaluated.best().file().ifPresent(this::putExplanations);
        Optional<String> folder = evaluated.best().file().map(this::putModel);
        if (!ended.compareAndSet(false, true)) {
            throw new IllegalStateException("Run " + run.id() + " was ended (killed) while it was being recorded");
        }
        tracking.updateRun(run.id(), Optional.of(RunStatus.FINISHED), Optional.empty(), Optional.empty(), actor);
        return folder;
    }

    private void recordCandidate(CandidateResult candidate, EvaluationReport report) {
        Run child = tracking.createRun(new TrackingStore.NewRun(run.experimentId(), Optional.of(candidate.name()), actor,
                Optional.empty(), Map.of(KIND_TAG, "candidate"), Optional.of(run.id()), Optional.empty()), actor);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("algorithm", candidate.algorithm().id());
        candidate.params().forEach((k, v) -> params.put(k, String.valueOf(v)));
        Map<String, String> tags = new LinkedHashMap<>();
        candidate.facts().forEach((k, v) -> tags.put("seer." + k, v));
        tracking.logBatch(child.id(), new TrackingStore.Batch(metrics(candidate, report), params, tags), actor);
        tracking.updateRun(child.id(), Optional.of(RunStatus.FINISHED), Optional.empty(), Optional.empty(), actor);
    }

    /**
     * The spec metric per fold ({@code fold_<metric>}, step = fold) and mean ({@code cv_<metric>}),
     * and every test metric with its interval.
     */
    private List<Metric> metrics(CandidateResult candidate, EvaluationReport report) {
        long now = clock.millis();
        List<Metric> metrics = new ArrayList<>();
        String id = report.metric().id();
        double[] folds = candidate.foldScores();
        for (int k = 0; k < folds.length; k++) {
            metrics.add(new Metric("fold_" + id, folds[k], now, k));
        }
        metrics.add(new Metric("cv_" + id, candidate.cvMean(), now, 0));
        for (Map.Entry<String, Interval> test : candidate.test().entrySet()) {
            metrics.add(new Metric("test_" + test.getKey(), test.getValue().value(), now, 0));
            metrics.add(new Metric("test_" + test.getKey() + "_low", test.getValue().low(), now, 0));
            metrics.add(new Metric("test_" + test.getKey() + "_high", test.getValue().high(), now, 0));
        }
        metrics.add(new Metric("training_seconds", candidate.trainingSeconds(), now, 0));
        metrics.add(new Metric("predict_micros_per_row", candidate.predictMicrosPerRow(), now, 0));
        return metrics;
    }

    /**
     * The model's global explanations ({@link GlobalExplanations}), before the model file, which
     * is written last. A model they cannot be computed for still registers: the run says why in
     * its {@code seer.explanations} tag instead.
     */
    private void putExplanations(Fitted.ModelFile file) {
        try {
            ObjectNode explanations = GlobalExplanations.compute(file, signature(), data.train(), data.test(),
                    spec.evaluation().metric(), spec.seed());
            put(GlobalExplanations.ARTIFACT, Json.canonical(explanations).getBytes(StandardCharsets.UTF_8));
        } catch (SeerException e) {
            tracking.logBatch(run.id(), new TrackingStore.Batch(List.of(), Map.of(), Map.of("seer.explanations",
                    "not computed: " + e.getMessage())), actor);
        }
    }

    private String putModel(Fitted.ModelFile file) {
        put(MODEL_FOLDER + "/" + file.name(), file.bytes());
        ObjectNode descriptor = Json.object().put("format", 1).put("model_format", file.format().id())
                .put("file", file.name());
        descriptor.set("signature", Signature.CODEC.encode(signature()));
        descriptor.put("label", data.label());
        ArrayNode classes = descriptor.putArray("classes");
        data.train().classes().forEach(classes::add);
        put(MODEL_FOLDER + "/" + DESCRIPTOR, Json.canonical(descriptor).getBytes(StandardCharsets.UTF_8));
        return MODEL_FOLDER;
    }

    private Signature signature() {
        return switch (spec.task()) {
            case BINARY -> Signature.of(data.train().inputs(), OutputKind.PROBABILITY);
            case REGRESSION -> Signature.of(data.train().inputs(), OutputKind.VALUE);
            case MULTICLASS -> Signature.classProbabilities(data.train().inputs(), data.train().classes().size());
        };
    }

    private static byte[] predictions(Scored scored) {
        StringBuilder csv = new StringBuilder();
        if (scored.probabilities() != null) {
            csv.append("truth");
            for (int c = 0; c < scored.probabilities()[0].length; c++) {
                csv.append(",p").append(c);
            }
            csv.append('\n');
            for (int i = 0; i < scored.rows(); i++) {
                csv.append((long) scored.truth()[i]);
                for (double p : scored.probabilities()[i]) {
                    csv.append(',').append(p);
                }
                csv.append('\n');
            }
        } else {
            csv.append("truth,score\n");
            for (int i = 0; i < scored.rows(); i++) {
                csv.append(scored.truth()[i]).append(',').append(scored.score()[i]).append('\n');
            }
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void put(String path, byte[] bytes) {
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            artifacts.put(run.id(), ArtifactPath.of(path), in, actor);
        } catch (IOException e) {
            throw new IllegalStateException("closing an in-memory stream", e);
        }
    }

    /** Ends the run in {@code status} (failed or killed); a store that fails too keeps the first error. */
    void end(RunStatus status) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            tracking.updateRun(run.id(), Optional.of(status), Optional.empty(), Optional.empty(), actor);
        } catch (RuntimeException ignored) {
            // the error that ended the run is the one to report
        }
    }

    private static String format(double value) {
        return String.format("%.4f", value);
    }

    private static String xgboostVersion() {
        try (InputStream in = XGBoost.class.getResourceAsStream(
                "/META-INF/maven/ml.dmlc/xgboost4j_2.12/pom.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
