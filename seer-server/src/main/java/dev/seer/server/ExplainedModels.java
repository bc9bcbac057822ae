package dev.seer.server;

import dev.seer.core.SeerException;
import dev.seer.explain.Explainer;
import dev.seer.explain.Explainers;
import dev.seer.models.ModelFormat;
import dev.seer.models.Signature;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.registry.versions.ModelVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registered model versions loaded for explaining: the model (for predictions) and its
 * path-dependent explainer, kept for the few versions used last, since loading a booster and
 * compiling its TreeSHAP tables costs far more than explaining a row. An explainer against a
 * request's background is built per request from the kept file.
 */
final class ExplainedModels {
    /** Versions kept loaded. */
    static final int KEPT = 8;

    /**
     * One loaded version; the explainer also predicts, in Java, so nothing native is held. An ONNX
     * version has no explainer here ({@link #explainer} is null): see {@link ExplainOperations}.
     */
    record Loaded(ModelVersion version, ModelFormat format, byte[] bytes, Signature signature, Explainer explainer) {
        /** An explainer of this version against {@code background} rows (interventional for trees). */
        Explainer against(double[][] background) {
            return Explainers.of(format, bytes, signature, background);
        }

        Loaded as(ModelVersion named) {
            return new Loaded(named, format, bytes, signature, explainer);
        }
    }

    private final ModelRegistry models;
    private final ArtifactStore artifacts;
    private final LinkedHashMap<String, Loaded> kept = new LinkedHashMap<>(16, 0.75f, true);

    ExplainedModels(ModelRegistry models, ArtifactStore artifacts) {
        this.models = models;
        this.artifacts = artifacts;
    }

    /** The version named by number or alias (the champion when neither is given). */
    Loaded load(String name, Optional<Integer> number, Optional<String> alias) {
        ModelVersion version = number.isPresent() ? models.version(name, number.get())
                : models.byAlias(name, alias.orElse(TrainingOperations.CHAMPION));
        var details = version.details();
        if (details.artifactSha256().isEmpty() || details.format().isEmpty() || details.signature().isEmpty()) {
            throw new SeerException(ServerErrorCode.BAD_REQUEST, "Model " + version.name() + ":" + version.version()
                    + " has no model file Seer can load, so it cannot be explained", Map.of("model", version.name()));
        }
        // the same file may be registered under several versions, with different signatures (an ONNX
        // model's inputs are named by its signature): the explainer depends on both
        String key = details.artifactSha256().get() + "|" + details.format().get() + "|" + details.signature().get();
        synchronized (kept) {
            Loaded loaded = kept.get(key);
            if (loaded != null) {
                return loaded.as(version);
            }
        }
        ModelFormat format = ModelFormat.parse(details.format().get());
        Signature signature = Signature.CODEC.decode(details.signature().get());
        byte[] bytes = artifacts.read(details.artifactSha256().get());
        // an ONNX model has no exact explainer: KernelSHAP explains it per request, against the request's background
        Loaded loaded = new Loaded(version, format, bytes, signature, format == ModelFormat.ONNX ? null
                : Explainers.of(format, bytes, signature, null));
        synchronized (kept) {
            Loaded raced = kept.putIfAbsent(key, loaded);
            if (raced != null) {
                return raced.as(version);
            }
            if (kept.size() > KEPT) {
                kept.remove(kept.keySet().iterator().next());
            }
            return loaded;
        }
    }
}
