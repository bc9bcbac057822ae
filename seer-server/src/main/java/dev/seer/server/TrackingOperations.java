package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.registry.tracking.Experiment;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Experiment tracking in Seer's own API: experiments and runs, read by all who read, experiments
 * created by scientists. Clients that log runs use the MLflow-compatible API (or Seer's trainer).
 */
public final class TrackingOperations {
    /** An experiment by id (digits) or by name. */
    public record ExperimentRef(String value) {}

    /** A new experiment. */
    public record NewExperiment(String name, Map<String, String> tags) {}

    /** A metric of a run. */
    public record MetricRef(String run, String key) {}

    public static final Operation<Boolean, List<Experiment>> EXPERIMENTS = Operation
            .<Boolean, List<Experiment>>get("experiments.list", "/api/v1/experiments").roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of((Boolean deleted) -> Json.object().put("deleted", deleted.toString()),
                    node -> Boolean.parseBoolean(Fields.optional(node, "deleted").orElse("false"))))
            .response(Codec.of(list -> RegistryJson.list(list, RegistryJson::experiment),
                    node -> RegistryJson.list(node, RegistryJson::experiment)))
            .handler((services, deleted, call) -> services.tracking().experiments(deleted));

    public static final Operation<ExperimentRef, Experiment> EXPERIMENT = Operation
            .<ExperimentRef, Experiment>get("experiments.show", "/api/v1/experiments/{experiment}")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(r -> Json.object().put("experiment", r.value()),
                    node -> new ExperimentRef(Fields.text(node, "experiment"))))
            .response(Codec.of(RegistryJson::experiment, RegistryJson::experiment))
            .handler((services, ref, call) -> experiment(services, ref.value()));

    public static final Operation<NewExperiment, Experiment> CREATE_EXPERIMENT = Operation
            .<NewExperiment, Experiment>post("experiments.create", "/api/v1/experiments").roles(ADMIN, SCIENTIST).status(201)
            .request(Codec.of(TrackingOperations::newExperiment, TrackingOperations::newExperiment))
            .response(Codec.of(RegistryJson::experiment, RegistryJson::experiment))
            .handler((services, e, call) -> services.tracking().createExperiment(e.name(), Optional.empty(), e.tags(),
                    call.actor()));

    public static final Operation<String, Run> RUN = Operation
            .<String, Run>get("runs.show", "/api/v1/runs/{run}").roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(run -> Json.object().put("run", run), node -> Fields.text(node, "run")))
            .response(Codec.of(RegistryJson::run, RegistryJson::run))
            .handler((services, run, call) -> services.tracking().run(run));

    public static final Operation<MetricRef, List<Metric>> METRIC_HISTORY = Operation
            .<MetricRef, List<Metric>>get("runs.metric-history", "/api/v1/runs/{run}/metrics/{key}")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(m -> Json.object().put("run", m.run()).put("key", m.key()),
                    node -> new MetricRef(Fields.text(node, "run"), Fields.text(node, "key"))))
            .response(Codec.of(list -> RegistryJson.list(list, RegistryJson::metric),
                    node -> RegistryJson.list(node, RegistryJson::metric)))
            .handler((services, m, call) -> services.tracking().metricHistory(m.run(), m.key()));

    static final List<Operation<?, ?>> ALL = List.of(EXPERIMENTS, EXPERIMENT, CREATE_EXPERIMENT, RUN, METRIC_HISTORY);

    private TrackingOperations() {}

    /** Digits name an experiment by id, anything else by name. */
    static Experiment experiment(SeerServices services, String ref) {
        if (ref.chars().allMatch(Character::isDigit)) {
            return services.tracking().experiment(ref);
        }
        return services.tracking().experimentByName(ref).orElseThrow(() -> new dev.seer.core.SeerException(
                dev.seer.registry.RegistryErrorCode.NOT_FOUND, "Experiment [" + ref + "] does not exist",
                Map.of("experiment", ref)));
    }

    private static ObjectNode newExperiment(NewExperiment e) {
        ObjectNode node = Json.object().put("name", e.name());
        node.set("tags", RegistryJson.texts(e.tags()));
        return node;
    }

    private static NewExperiment newExperiment(JsonNode node) {
        return new NewExperiment(Fields.text(node, "name"), node.path("tags").isObject()
                ? RegistryJson.texts(node.get("tags")) : Map.of());
    }
}
