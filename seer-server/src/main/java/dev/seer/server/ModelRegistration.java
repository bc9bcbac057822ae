package dev.seer.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.provenance.Fields;
import dev.seer.datasets.DatasetLineage;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.LineageReport;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.VersionDetails;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Registers model versions, composing the components that know each part: the run (tracking),
 * its model file (artifacts, read hash-checked), the file checked against its signature by the
 * format's own runtime (seer-models), the dataset version it was trained on (provenance) and the
 * feature service that dataset was joined from (datasets). Lives in the wiring because no one
 * component may reach the others.
 *
 * <p>A run's model is a folder of its artifacts ({@code model} unless named) holding
 * {@value #DESCRIPTOR}: {@code {"format": 1, "model_format": "xgboost-json", "file": "model.json",
 * "signature": {...}}}, which training writes beside the model file. A format or signature given
 * with the request overrides the descriptor's.
 */
final class ModelRegistration {
    static final String DESCRIPTOR = "seer-model.json";

    private final SeerServices services;

    ModelRegistration(SeerServices services) {
        this.services = services;
    }

    /** What the request adds to what the run holds. */
    record FromRun(String name, String runId, String folder, Optional<String> format, Optional<String> signature,
            String description) {}

    ModelVersion fromRun(FromRun request, String actor) {
        Run run = services.tracking().run(request.runId());
        ArtifactPath folder = ArtifactPath.of(request.folder());
        Optional<JsonNode> descriptor = descriptor(run.id(), folder);
        ModelFormat format = ModelFormat.parse(request.format().or(() -> descriptor.map(d -> new Fields(d,
                "model descriptor").text("model_format"))).orElseThrow(() -> missing("format", run.id(), folder)));
        Signature signature = request.signature().map(Signature::parse).or(() -> descriptor.map(d -> Signature.CODEC.decode(
                new Fields(d, "model descriptor").object("signature")))).orElseThrow(() -> missing("signature", run.id(),
                folder));
        String file = descriptor.map(d -> new Fields(d, "model descriptor").text("file")).orElse(defaultFile(format));
        String sha256 = services.artifacts().hash(run.id(), ArtifactPath.of(folder.value() + "/" + file));
        check(format, services.artifacts().read(sha256), signature);
        VersionDetails details = new VersionDetails(Optional.of(sha256), Optional.of(format.id()),
                Optional.of(Signature.CODEC.encode(signature)), run.provenance().flatMap(p -> p.dataset()),
                run.provenance().flatMap(p -> p.dataset()).flatMap(this::featureService), metrics(run));
        ensureModel(request.name(), actor);
        return services.models().createVersion(request.name(), new ModelRegistry.NewVersion("runs:/" + run.id() + "/"
                + folder.value(), Optional.of(run.id()), request.description(), details, Map.of()), actor);
    }

    /** A model trained elsewhere: its file checked against the declared signature, stored by content. */
    ModelVersion importFile(String name, Path file, ModelFormat format, Signature signature, String description,
            String actor) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SeerException(RegistryErrorCode.INVALID_REQUEST, "Cannot read the model file: " + e.getMessage(),
                    Map.of("field", "file"), e);
        }
        check(format, bytes, signature);
        String sha256 = services.artifacts().store(file);
        VersionDetails details = new VersionDetails(Optional.of(sha256), Optional.of(format.id()),
                Optional.of(Signature.CODEC.encode(signature)), Optional.empty(), Optional.empty(), Map.of());
        ensureModel(name, actor);
        return services.models().createVersion(name, new ModelRegistry.NewVersion("seer-artifacts:/" + sha256,
                Optional.empty(), description, details, Map.of()), actor);
    }

    private static void check(ModelFormat format, byte[] bytes, Signature signature) {
        try (Model model = Models.load(format, bytes, signature)) {
            model.signature(); // loaded and checked; nothing more is needed of it here
        }
    }

    private Optional<JsonNode> descriptor(String runId, ArtifactPath folder) {
        ArtifactPath path = ArtifactPath.of(folder.value() + "/" + DESCRIPTOR);
        boolean present = services.artifacts().list(runId, Optional.of(folder)).stream().anyMatch(e -> e.path().equals(path));
        return present ? Optional.of(Json.parse(services.artifacts().read(services.artifacts().hash(runId, path))))
                : Optional.empty();
    }

    private static String defaultFile(ModelFormat format) {
        return switch (format) {
            case XGBOOST_JSON -> "model.json";
            case XGBOOST_UBJ -> "model.ubj";
            case ONNX -> "model.onnx";
            case SEER_LINEAR -> "model.seer-linear.json";
        };
    }

    /** The feature service version the dataset was joined from, when it was one. */
    private Optional<String> featureService(String dataset) {
        LineageReport lineage = services.datasets().lineage(DatasetRef.parse(dataset));
        return lineage.lineage() instanceof DatasetLineage.Retrieval retrieval
                ? retrieval.featureService().map(s -> s.name() + ":" + s.version()) : Optional.empty();
    }

    private static Map<String, Double> metrics(Run run) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        run.metrics().stream().filter(m -> Double.isFinite(m.value())).forEach(m -> metrics.put(m.key(), m.value()));
        return metrics;
    }

    /** Refuses a version of an online model from any path but its snapshots (Seer's API or MLflow's). */
    static void refuseOnline(SeerServices services, String name) {
        if (services.serving().online().isOnline(name)) {
            throw new SeerException(RegistryErrorCode.INVALID_REQUEST, "Model [" + name + "] is an online model ("
                    + "online_logistic): its versions are the snapshots of what it learnt; register this one under"
                    + " another name", Map.of("model", name));
        }
    }

    /**
     * Registers the model on its first version; another writer registering it meanwhile is fine.
     * An online model's versions are only its snapshots: a file registered among them would be
     * served, then replaced at the next snapshot by what the learner learnt, as if it had not been.
     */
    private void ensureModel(String name, String actor) {
        refuseOnline(services, name);
        try {
            services.models().model(name);
        } catch (SeerException absent) {
            if (absent.errorCode() != RegistryErrorCode.NOT_FOUND) {
                throw absent;
            }
            try {
                services.models().createModel(name, "", Map.of(), actor);
            } catch (SeerException taken) {
                if (taken.errorCode() != RegistryErrorCode.ALREADY_EXISTS) {
                    throw taken;
                }
            }
        }
    }

    private static SeerException missing(String what, String runId, ArtifactPath folder) {
        return new SeerException(RegistryErrorCode.INVALID_REQUEST, "Run " + runId + " has no " + DESCRIPTOR + " in ["
                + folder + "] to name the model's " + what + "; give --" + what, Map.of("field", what));
    }
}
