package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.models.ModelFormat;
import dev.seer.models.Signature;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.scoring.Scorer;
import dev.seer.serving.scoring.Scorers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered versions loaded for serving, once each: the file from the artifact store, checked
 * against its signature, made a {@link Scorer}; and for each input the online feature that
 * supplies it. A version trained on a dataset built from a feature service has inputs named
 * {@code view__feature} (the dataset's column names); those are fetched online as {@code
 * view:feature}. Other inputs, and every input of a version without a feature service, come only
 * from the request. Versions are immutable, so a loaded one never goes stale.
 */
final class ServingModels implements Predictor.ModelSource {
    private final ModelRegistry models;
    private final ArtifactStore artifacts;
    private final ConcurrentHashMap<ModelRef, Predictor.LoadedModel> loaded = new ConcurrentHashMap<>();

    ServingModels(ModelRegistry models, ArtifactStore artifacts) {
        this.models = requireNonNull(models, "models is null");
        this.artifacts = requireNonNull(artifacts, "artifacts is null");
    }

    @Override
    public Predictor.LoadedModel load(ModelRef ref) {
        return loaded.computeIfAbsent(ref, this::read);
    }

    private Predictor.LoadedModel read(ModelRef ref) {
        var details = models.version(ref.model(), ref.version()).details();
        if (details.artifactSha256().isEmpty() || details.format().isEmpty() || details.signature().isEmpty()) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "Model " + ref + " has no model file Seer can load,"
                    + " so it cannot be deployed", Map.of("model", ref.toString()));
        }
        ModelFormat format = ModelFormat.parse(details.format().get());
        Signature signature = Signature.CODEC.decode(details.signature().get());
        Scorer scorer = Scorers.of(format, artifacts.read(details.artifactSha256().get()), signature);
        List<String> inputs = signature.names();
        List<Optional<String>> features = new ArrayList<>(inputs.size());
        for (String input : inputs) {
            int split = input.indexOf("__");
            features.add(details.featureService().isPresent() && split > 0 && split < input.length() - 2
                    ? Optional.of(input.substring(0, split) + ":" + input.substring(split + 2)) : Optional.empty());
        }
        return new Predictor.LoadedModel(ref, scorer, inputs, features);
    }
}
