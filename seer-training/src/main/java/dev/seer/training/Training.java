package dev.seer.training;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.training.TrainingSpec.Candidate;
import dev.seer.training.data.DatasetSource;
import dev.seer.training.data.FrameReader;
import dev.seer.training.data.TrainingData;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.evaluation.Evaluator.Chosen;
import dev.seer.training.evaluation.Evaluator;
import dev.seer.training.tuning.Trial;
import dev.seer.training.tuning.TrialState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a training spec end to end: reads the dataset version (every problem with the data is
 * found before a run is created), tunes the candidates that have a search space (each trial a
 * child run), evaluates every candidate by the one strategy ({@link Evaluator}), and records the
 * run: parameters, metrics per fold and overall with intervals, the evaluation report, the best
 * model's file with its descriptor, and typed provenance. A run that fails is marked failed, one
 * interrupted is marked killed; the model is written only once everything else is, so a run is
 * never left half-written. Registering the model and the promotion check belong to the caller,
 * which sees the registry and the other components.
 */
public final class Training {
    private final DatasetSource datasets;
    private final TrackingStore tracking;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final int threads;

    public Training(DatasetSource datasets, TrackingStore tracking, ArtifactStore artifacts, Clock clock, int threads) {
        this.datasets = requireNonNull(datasets, "datasets is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.threads = threads;
    }

    /**
     * What a training run produced.
     *
     * @param modelFolder the run's artifact folder holding the best model and its descriptor; empty if it has no file
     */
    public record Outcome(String runId, String experimentId, EvaluationReport report, Optional<String> modelFolder) {}

    /**
     * Finds the model to compare against, given the numeric columns the dataset offers; a note for
     * each reason one is left out.
     */
    @FunctionalInterface
    public interface ReferenceLookup {
        ReferenceLookup NONE = (features, notes) -> Optional.empty();

        Optional<References.Found> find(List<String> columns, Consumer<String> notes);
    }

    /** Finds the registered version a spec continues ({@code continue_from}), refusing one that cannot be. */
    @FunctionalInterface
    public interface ParentLookup {
        ParentLookup NONE = version -> {
            throw new SeerException(TrainingErrorCode.INVALID_STATE, "Continued training from [" + version + "] needs the"
                    + " model registry, which this caller does not give", Map.of("field", "continue_from"));
        };

        Continuation.Parent find(String version);
    }

    public Outcome train(TrainingSpec spec, ReferenceLookup references, String actor, Consumer<String> progress) {
        return train(spec, references, ParentLookup.NONE, actor, progress);
    }

    /**
     * Trains {@code spec}; one that continues a version ({@code continue_from}) finds it through
     * {@code parents} and is compared with it instead of the {@code references}.
     */
    public Outcome train(TrainingSpec spec, ReferenceLookup references, ParentLookup parents, String actor,
            Consumer<String> progress) {
        Optional<Continuation.Parent> parent = spec.continueFrom().map(parents::find);
        progress.accept("reading dataset " + spec.dataset());
        DatasetSource.Snapshot snapshot = datasets.open(spec.dataset());
        TrainingData data = read(spec, parent, snapshot, progress);
        Optional<Evaluator.Reference> reference = reference(spec, parent, snapshot, data, references, progress);
        RunRecorder recorder = RunRecorder.start(tracking, artifacts, clock, spec, data, actor);
        return run(spec, parent, data, reference, recorder, Map.of(), progress);
    }

    /**
     * Continues a training run that was killed or failed: its spec (as recorded) on the same dataset
     * version, checked by hash, in the same run. Every trial it recorded is kept and the studies go
     * on from there; a trial the interruption cut short runs again under its own number, so the
     * trials end the same as if the run had not stopped. Refuses a run that finished.
     */
    public Outcome resume(String runId, ReferenceLookup references, String actor, Consumer<String> progress) {
        return resume(runId, references, ParentLookup.NONE, actor, progress);
    }

    /** {@link #resume}, finding the version a continued run's spec names through {@code parents}. */
    public Outcome resume(String runId, ReferenceLookup references, ParentLookup parents, String actor,
            Consumer<String> progress) {
        Run run = tracking.run(runId);
        if (!"training".equals(run.tags().get(RunRecorder.KIND_TAG))) {
            throw new SeerException(TrainingErrorCode.INVALID_STATE, "Run " + runId + " is not a training run",
                    Map.of("run", runId));
        }
        if (run.status() == RunStatus.FINISHED) {
            throw new SeerException(TrainingErrorCode.INVALID_STATE, "Run " + runId + " finished: there is nothing to resume",
                    Map.of("run", runId));
        }
        TrainingSpec spec = TrainingSpec.parse("spec.yaml", new String(artifacts.read(artifacts.hash(runId,
                ArtifactPath.of(RunRecorder.SPEC))), StandardCharsets.UTF_8));
        String dataset = run.params().get("dataset");
        progress.accept("resuming run " + runId + " (" + run.status() + ") on dataset " + dataset);
        DatasetSource.Snapshot snapshot = datasets.open(dataset);
        Optional<String> recordedHash = run.provenance().flatMap(p -> p.datasetHash());
        if (recordedHash.isPresent() && !recordedHash.get().equals(snapshot.sha256())) {
            throw new SeerException(TrainingErrorCode.INVALID_STATE, "Dataset " + dataset + " has changed since run " + runId
                    + " read it (SHA-256 " + recordedHash.get() + ", now " + snapshot.sha256() + ")", Map.of("run", runId));
        }
        Optional<Continuation.Parent> parent = spec.continueFrom().map(parents::find);
        TrainingData data = read(spec, parent, snapshot, progress);
        Optional<Evaluator.Reference> reference = reference(spec, parent, snapshot, data, references, progress);
        Map<String, List<Trial>> recorded = RunRecorder.recordedTrials(tracking, run, spec);
        progress.accept("kept " + recorded.values().stream().mapToInt(List::size).sum() + " recorded trials");
        RunRecorder recorder = RunRecorder.reopen(tracking, artifacts, clock, spec, data, actor, run);
        return run(spec, parent, data, reference, recorder, recorded, progress);
    }

    private static TrainingData read(TrainingSpec spec, Optional<Continuation.Parent> parent,
            DatasetSource.Snapshot snapshot, Consumer<String> progress) {
        TrainingData data = parent.isPresent() ? Continuation.read(spec, parent.get(), snapshot, progress)
                : FrameReader.read(snapshot, spec.label(), spec.task(), spec.features());
        progress.accept(String.format("%,d training, %,d validation, %,d test rows; %d features%s", data.train().rows(),
                data.validation().rows(), data.test().rows(), data.train().width(), data.leftOut().isEmpty() ? ""
                        : "; left out: " + data.leftOut()));
        return data;
    }

    private static Optional<Evaluator.Reference> reference(TrainingSpec spec, Optional<Continuation.Parent> parent,
            DatasetSource.Snapshot snapshot, TrainingData data, ReferenceLookup references, Consumer<String> progress) {
        if (parent.isPresent()) {
            // the version continued from is the one the new model would replace: it is the reference
            progress.accept("continuing " + parent.get().version() + " (" + parent.get().model().rounds() + " rounds)");
            return Optional.of(Continuation.reference(parent.get(), data));
        }
        Optional<Evaluator.Reference> reference = references.find(FrameReader.numericColumns(snapshot, data.label()),
                progress).map(found -> new Evaluator.Reference(found.label(), found.model(), found.retrain(),
                FrameReader.read(snapshot, Optional.of(data.label()), spec.task(), found.features())));
        reference.ifPresent(r -> progress.accept("comparing with " + r.label()));
        return reference;
    }

    private Outcome run(TrainingSpec spec, Optional<Continuation.Parent> parent, TrainingData data,
            Optional<Evaluator.Reference> reference, RunRecorder recorder, Map<String, List<Trial>> recorded,
            Consumer<String> progress) {
        // Ctrl-C or a kill (SIGTERM) ends the process through its shutdown hooks: the run is marked killed
        Thread killed = new Thread(() -> recorder.end(RunStatus.KILLED), "seer-training-killed-" + recorder.runId());
        Runtime.getRuntime().addShutdownHook(killed);
        try {
            List<Chosen> chosen = parent.isPresent() ? Continuation.chosen(spec, parent.get())
                    : choose(spec, data, recorder, recorded, progress);
            Evaluator evaluator = new Evaluator(spec.evaluation().metric(), spec.evaluation().alpha(),
                    spec.evaluation().folds(), spec.evaluation().bootstrap(), spec.seed(), threads, progress);
            Evaluator.Evaluated evaluated = evaluator.evaluate(data, chosen, reference);
            Optional<String> folder;
            try (var best = evaluated.best()) {
                folder = recorder.finish(evaluated, chosen);
            }
            progress.accept("run " + recorder.runId() + " finished; best: " + evaluated.report().best());
            return new Outcome(recorder.runId(), recorder.experimentId(), evaluated.report(), folder);
        } catch (RuntimeException | Error e) {
            recorder.end(Thread.currentThread().isInterrupted() ? RunStatus.KILLED : RunStatus.FAILED);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killed);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it marks the run killed
            }
        }
    }

    /** Each candidate with its parameters: fixed, or fixed with the best trial's. */
    private List<Chosen> choose(TrainingSpec spec, TrainingData data, RunRecorder recorder,
            Map<String, List<Trial>> recorded, Consumer<String> progress) {
        List<Chosen> chosen = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Candidate candidate : spec.candidates()) {
            int n = seen.merge(candidate.algorithm().id(), 1, Integer::sum);
            String name = candidate.algorithm().id() + (n > 1 ? "_" + n : "");
            if (!candidate.tuned()) {
                chosen.add(new Chosen(name, candidate.algorithm(), candidate.params()));
                continue;
            }
            TrainingSpec.Tuning tuning = spec.tuning().orElseThrow();
            progress.accept("tuning " + name + ": " + tuning.trials() + " trials, " + tuning.strategy().name()
                    .toLowerCase(Locale.ROOT) + (tuning.asha() ? ", ASHA" : ""));
            TrainingSpec.Evaluation evaluation = spec.evaluation();
            List<Trial> trials = new Tuner(evaluation.metric(), tuning, threads, clock).tune(candidate, data,
                    recorded.getOrDefault(name, List.of()), recorder.trials(name, evaluation.metric().id(),
                            evaluation.metric().higherIsBetter(), tuning.trials(), tuning.timeout(), progress));
            Trial best = best(trials, spec.evaluation().metric().higherIsBetter()).orElseThrow(() -> new SeerException(
                    TrainingErrorCode.TRAINING_FAILED, "No trial of " + name + " completed", Map.of("candidate", name)));
            chosen.add(new Chosen(name, candidate.algorithm(), Tuner.params(candidate, best.params())));
        }
        return chosen;
    }

    static Optional<Trial> best(List<Trial> trials, boolean higherIsBetter) {
        Comparator<Trial> byValue = Comparator.comparingDouble(t -> t.value().getAsDouble());
        return trials.stream().filter(t -> t.state() == TrialState.COMPLETE && t.value().isPresent()
                && !Double.isNaN(t.value().getAsDouble())).max(higherIsBetter ? byValue : byValue.reversed());
    }
}
