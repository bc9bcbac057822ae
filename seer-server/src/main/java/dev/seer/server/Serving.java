package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.DeploymentStore;
import dev.seer.core.features.FeatureLookup;
import dev.seer.serving.deploy.Predictor;
import java.time.Clock;
import java.util.Map;

/**
 * The wiring of production serving: deployments over the registry. It resolves what a request
 * names (an alias to a version), checks that every model of a deployment is registered before the
 * change is stored, and keeps the live deployments that the predict route reads.
 */
final class Serving {
    private final DeploymentStore deployments;
    private final ModelRegistry models;
    private final ServingModels loaded;
    private final Predictor predictor;

    Serving(DeploymentStore deployments, ModelRegistry models, ServingModels loaded, FeatureLookup lookup,
            Predictor.PredictionSink log, Clock clock, java.util.function.Supplier<String> ids) {
        this.deployments = requireNonNull(deployments, "deployments is null");
        this.models = requireNonNull(models, "models is null");
        this.loaded = requireNonNull(loaded, "loaded is null");
        this.predictor = new Predictor(deployments, loaded, lookup, log, clock, ids);
    }

    Predictor predictor() {
        return predictor;
    }

    DeploymentStore deployments() {
        return deployments;
    }

    /** Creates or changes a deployment as a whole, after checking every model it names. */
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
        // every model loads before the change is stored, so a stored deployment can always be served
        loaded.load(change.champion());
        change.challenger().ifPresent(loaded::load);
        change.shadow().ifPresent(loaded::load);
        Deployment deployment = deployments.put(change, request.expectedRevision(), actor);
        predictor.activate(deployment);
        return deployment;
    }

    void remove(String name, String actor) {
        deployments.remove(name, actor);
        predictor.deactivate(name);
    }
}
