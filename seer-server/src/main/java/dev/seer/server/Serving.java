package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.DeploymentStore;
import dev.seer.serving.deploy.ModelRef;
import java.util.Map;

/**
 * The wiring of production serving: deployments over the registry. It resolves what a request
 * names (an alias to a version), checks that every model of a deployment is registered before the
 * change is stored, and keeps the live deployments that the predict route reads.
 */
final class Serving {
    private final DeploymentStore deployments;
    private final ModelRegistry models;

    Serving(DeploymentStore deployments, ModelRegistry models) {
        this.deployments = requireNonNull(deployments, "deployments is null");
        this.models = requireNonNull(models, "models is null");
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
        registered(change.champion());
        change.challenger().ifPresent(this::registered);
        change.shadow().ifPresent(this::registered);
        return deployments.put(change, request.expectedRevision(), actor);
    }

    void remove(String name, String actor) {
        deployments.remove(name, actor);
    }

    private void registered(ModelRef ref) {
        var details = models.version(ref.model(), ref.version()).details();
        if (details.artifactSha256().isEmpty() || details.format().isEmpty() || details.signature().isEmpty()) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "Model " + ref + " has no model file Seer can load,"
                    + " so it cannot be deployed", Map.of("model", ref.toString()));
        }
    }
}
