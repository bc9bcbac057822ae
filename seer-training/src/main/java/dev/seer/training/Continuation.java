package dev.seer.training;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.schema.Column;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.OutputKind;
import dev.seer.models.Signature;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.algorithms.BoostedModel;
import dev.seer.training.data.DatasetSource;
import dev.seer.training.data.FrameReader;
import dev.seer.training.data.TrainingData;
import dev.seer.training.evaluation.Evaluator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Continued training ({@code continue_from: MODEL:VERSION}): a registered XGBoost version boosted
 * further on a newer dataset version, as XGBoost's own {@code xgb_model} argument does, so a model
 * is refreshed on recent data without being trained again from nothing. The version's file and,
 * when Seer trained it, its run's parameters are read here; the new rows must be the ones it reads
 * (the same features with the same types, the same label, the same task and objective), or the
 * continuation is refused naming the spec's field. The version continued from is the reference the
 * new model must beat, scored as it is (it is what would stay in place), and the run records it in
 * its provenance as the model's parent.
 */
public final class Continuation {
    private Continuation() {}

    /**
     * A version to continue.
     *
     * @param version {@code MODEL:VERSION}
     * @param params the parameters its run trained with (XGBoost's names as the spec writes them); empty if unknown
     * @param label the label its run read, if known
     * @param classes the label's classes its run learnt, in their index order, if known
     */
    // the file's bytes are the file; records compare them by identity, which no caller relies on
    @SuppressWarnings("ArrayRecordComponent")
    public record Parent(String version, ModelFormat format, byte[] bytes, Signature signature, BoostedModel model,
            Map<String, Object> params, Optional<String> label, Optional<List<String>> classes) {
        public Parent {
            requireNonNull(version, "version is null");
            requireNonNull(format, "format is null");
            requireNonNull(bytes, "bytes is null");
            requireNonNull(signature, "signature is null");
            requireNonNull(model, "model is null");
            params = Map.copyOf(params);
            requireNonNull(label, "label is null");
            classes = classes.map(List::copyOf);
        }

        /** Without the classes: a model Seer did not train, or a regression. */
        public Parent(String version, ModelFormat format, byte[] bytes, Signature signature, BoostedModel model,
                Map<String, Object> params, Optional<String> label) {
            this(version, format, bytes, signature, model, params, label, Optional.empty());
        }
    }

    /** Finds {@code version} ({@code MODEL:VERSION}) in the registry; refuses one that is not XGBoost's boosted trees. */
    public static Parent find(ModelRegistry models, TrackingStore tracking, ArtifactStore artifacts, String version) {
        int colon = version.lastIndexOf(':');
        ModelVersion found;
        try {
            found = models.version(version.substring(0, colon), Integer.parseInt(version.substring(colon + 1)));
        } catch (SeerException e) {
            if (e.errorCode() == RegistryErrorCode.NOT_FOUND) {
                throw refused("continue_from names [" + version + "], which is not a registered model version: "
                        + e.getMessage(), "continue_from");
            }
            throw e;
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw refused("continue_from is MODEL:VERSION, not [" + version + "]", "continue_from");
        }
        var details = found.details();
        if (details.artifactSha256().isEmpty() || details.format().isEmpty() || details.signature().isEmpty()) {
            throw refused(version + " has no model file with a format and signature Seer can continue", "continue_from");
        }
        ModelFormat format = ModelFormat.parse(details.format().get());
        if (format != ModelFormat.XGBOOST_JSON && format != ModelFormat.XGBOOST_UBJ) {
            throw refused(version + " is a [" + format.id() + "] model; only XGBoost models are continued",
                    "continue_from");
        }
        Optional<Run> run = found.runId().map(tracking::run);
        String algorithm = run.map(r -> r.params().get("algorithm")).orElse(null);
        if (algorithm != null && !algorithm.equals(Algorithm.XGBOOST.id())) {
            throw refused(version + " was trained as [" + algorithm + "]; only [xgboost] models are continued",
                    "continue_from");
        }
        byte[] bytes = artifacts.read(details.artifactSha256().get());
        return new Parent(version, format, bytes, Signature.CODEC.decode(details.signature().get()),
                BoostedModel.read(bytes, version), run.map(Continuation::params).orElse(Map.of()),
                run.map(r -> r.params().get("label")), run.flatMap(r -> classes(artifacts, r)));
    }

    /** The classes the run's model descriptor lists, in index order; empty if it has none. */
    private static Optional<List<String>> classes(ArtifactStore artifacts, Run run) {
        try {
            String sha = artifacts.hash(run.id(), dev.seer.registry.artifacts.ArtifactPath.of(RunRecorder.MODEL_FOLDER + "/"
                    + RunRecorder.DESCRIPTOR));
            var listed = dev.seer.core.Json.parse(artifacts.read(sha)).path("classes");
            List<String> classes = new java.util.ArrayList<>();
            listed.forEach(c -> classes.add(c.asText()));
            return classes.isEmpty() ? Optional.empty() : Optional.of(classes);
        } catch (SeerException e) {
            return Optional.empty(); // no descriptor: the class count is all that can be checked
        }
    }

    /** The parameters a Seer run recorded for its best candidate ({@code param.NAME}), those XGBoost takes. */
    private static Map<String, Object> params(Run run) {
        Map<String, Object> given = new LinkedHashMap<>();
        run.params().forEach((key, value) -> {
            String name = key.startsWith("param.") ? key.substring("param.".length()) : "";
            if (Algorithm.XGBOOST.defaults().containsKey(name)) {
                given.put(name, Double.parseDouble(value));
            }
        });
        return Algorithm.XGBOOST.resolve(given);
    }

    /**
     * Reads the spec's dataset version with the parent's features, in its signature's order, and
     * refuses rows the parent does not read: another feature set or type, label, task or objective.
     */
    static TrainingData read(TrainingSpec spec, Parent parent, DatasetSource.Snapshot snapshot, Consumer<String> progress) {
        List<String> features = parent.signature().names();
        if (!spec.features().isEmpty() && !new HashSet<>(spec.features()).equals(new HashSet<>(features))) {
            throw refused("features " + spec.features() + " differ from those " + parent.version() + " reads " + features
                    + "; continued training keeps the model's features", "features");
        }
        checkOutput(spec.task(), parent);
        parent.model().checkObjective(spec.task());
        String label = spec.label().or(snapshot::label).orElse("");
        if (parent.label().isPresent() && !parent.label().get().equals(label)) {
            throw refused("label [" + label + "] is not the one " + parent.version() + " was trained on, ["
                    + parent.label().get() + "]", "label");
        }
        List<String> columns = FrameReader.numericColumns(snapshot, label);
        List<String> missing = features.stream().filter(f -> !columns.contains(f)).toList();
        if (!missing.isEmpty()) {
            throw refused("dataset " + snapshot.ref() + " lacks the numeric features " + missing + " that "
                    + parent.version() + " reads (continue_from): its signature's features must be the dataset's",
                    "continue_from");
        }
        List<String> extra = columns.stream().filter(c -> !features.contains(c)).toList();
        if (!extra.isEmpty()) {
            progress.accept("not read by " + parent.version() + ", so left out: " + extra);
        }
        TrainingData data = FrameReader.read(snapshot, spec.label(), spec.task(), features);
        checkTypes(parent, data);
        // a class is its index in the sorted distinct labels: other labels would make the new trees boost other classes
        if (parent.classes().isPresent() && spec.task() != Task.REGRESSION
                && !parent.classes().get().equals(data.train().classes())) {
            throw refused("label [" + label + "] has the classes " + data.train().classes() + " in " + snapshot.ref()
                    + "; " + parent.version() + " learnt " + parent.classes().get() + ": continuing needs the same classes",
                    "label");
        }
        if (spec.task() == Task.MULTICLASS && data.train().classes().size() != parent.signature().classes()) {
            throw refused("label [" + label + "] has " + data.train().classes().size() + " classes in " + snapshot.ref()
                    + "; " + parent.version() + " predicts " + parent.signature().classes(), "label");
        }
        return data;
    }

    private static void checkOutput(Task task, Parent parent) {
        OutputKind expected = switch (task) {
            case BINARY -> OutputKind.PROBABILITY;
            case MULTICLASS -> OutputKind.CLASS_PROBABILITIES;
            case REGRESSION -> OutputKind.VALUE;
        };
        if (parent.signature().output() != expected) {
            throw refused("task [" + task.id() + "] predicts [" + expected.id() + "]; " + parent.version() + " predicts ["
                    + parent.signature().output().id() + "]: continuing cannot change what the model predicts", "task");
        }
    }

    private static void checkTypes(Parent parent, TrainingData data) {
        List<String> differ = new ArrayList<>();
        for (Column column : parent.signature().inputs()) {
            data.train().inputs().find(column.name()).filter(c -> c.type() != column.type()).ifPresent(c -> differ.add(
                    column.name() + " is " + column.type() + " in the signature, " + c.type() + " in the dataset"));
        }
        if (!differ.isEmpty()) {
            throw refused("the dataset's features differ from " + parent.version() + "'s signature: " + differ,
                    "continue_from");
        }
    }

    /** The one candidate: the parent's parameters, overridden by the spec's ({@code rounds}: the rounds added). */
    static List<Evaluator.Chosen> chosen(TrainingSpec spec, Parent parent) {
        Map<String, Object> params = new LinkedHashMap<>(parent.params());
        params.putAll(spec.candidates().get(0).params());
        return List.of(new Evaluator.Chosen(Algorithm.XGBOOST.id(), Algorithm.XGBOOST, Algorithm.XGBOOST.resolve(params),
                Optional.of(parent.model())));
    }

    /** The parent as the reference, scored as it is on the same rows. */
    static Evaluator.Reference reference(Parent parent, TrainingData data) {
        return new Evaluator.Reference(parent.version() + " (continued from)", References.fitted(Models.load(
                parent.format(), parent.bytes(), parent.signature())), Optional.empty(), data, true);
    }

    private static SeerException refused(String message, String field) {
        return new SeerException(TrainingErrorCode.INVALID_SPEC, message, Map.of("field", field));
    }
}
