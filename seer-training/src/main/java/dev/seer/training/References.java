package dev.seer.training;

import dev.seer.core.SeerException;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.algorithms.Fitted;
import dev.seer.training.evaluation.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Finds the model a training run is compared against: the version an alias of the registered
 * model points at (the champion). Its file is loaded by seer-models as serving would load it;
 * when it was trained by Seer, its algorithm and parameters are read from its run so it can be
 * cross-validated on the same folds. A reference that needs a feature the new data lacks cannot
 * be compared on it, and is left out with a note rather than failing the training.
 */
public final class References {
    private References() {}

    /** @param features the numeric columns the dataset offers */
    public static Optional<Found> find(ModelRegistry models, TrackingStore tracking, ArtifactStore artifacts,
            String model, String alias, List<String> features, Consumer<String> notes) {
        ModelVersion version;
        try {
            version = models.byAlias(model, alias);
        } catch (SeerException e) {
            if (e.errorCode() == RegistryErrorCode.NOT_FOUND) {
                return Optional.empty(); // no model or no champion yet: the baseline is the yardstick
            }
            throw e;
        }
        var details = version.details();
        if (details.artifactSha256().isEmpty() || details.format().isEmpty() || details.signature().isEmpty()) {
            notes.accept("The " + alias + " " + version + " has no model file Seer can load; it was not compared");
            return Optional.empty();
        }
        Signature signature = Signature.CODEC.decode(details.signature().get());
        List<String> missing = signature.names().stream().filter(n -> !features.contains(n)).toList();
        if (!missing.isEmpty()) {
            notes.accept("The " + alias + " " + version + " reads features the dataset lacks " + missing
                    + "; it was not compared");
            return Optional.empty();
        }
        Model loaded = Models.load(ModelFormat.parse(details.format().get()), artifacts.read(details.artifactSha256().get()),
                signature);
        String label = version + " (" + alias + ")";
        return Optional.of(new Found(label, fitted(loaded), version.runId().flatMap(id -> retrain(tracking.run(id), label)),
                signature.names()));
    }

    /**
     * A reference found: the model, how to retrain it if known, and the features it reads, in its
     * signature's order (the caller reads the rows with them).
     */
    public record Found(String label, Fitted model, Optional<Evaluator.Chosen> retrain, List<String> features) {}

    /** The loaded model, given rows of its own features in its signature's order. */
    static Fitted fitted(Model model) {
        return new Fitted() {
            @Override
            public double[][] predict(double[][] rows) {
                return model.predict(rows);
            }

            @Override
            public Optional<ModelFile> file() {
                return Optional.empty();
            }

            @Override
            public Map<String, String> facts() {
                return Map.of();
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }

    /** The algorithm and parameters a Seer training run recorded for its best candidate. */
    private static Optional<Evaluator.Chosen> retrain(Run run, String label) {
        String algorithm = run.params().get("algorithm");
        if (algorithm == null) {
            return Optional.empty();
        }
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(run.params().keySet());
        for (String key : keys) {
            if (key.startsWith("param.")) {
                params.put(key.substring("param.".length()), Double.parseDouble(run.params().get(key)));
            }
        }
        return Optional.of(new Evaluator.Chosen(label, Algorithm.parse(algorithm), params));
    }
}
