package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.registry.tracking.Experiment;
import dev.seer.registry.tracking.Lifecycle;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.search.RunSearch;
import dev.seer.registry.search.ViewType;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.TrackingStore;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

    /**
     * A search of runs: in these experiments (ids or names; none: every active one), matching an
     * MLflow filter ({@code metrics.auc > 0.8 and params.max_depth = '6'}), ordered, paged.
     */
    public record Search(List<String> experiments, String filter, List<String> orderBy, ViewType view, int maxResults,
            Optional<String> pageToken) {}

    public static final Operation<Boolean, List<Experiment>> EXPERIMENTS = Operation
            .<Boolean, List<Experiment>>get("experiments.list", "/api/v1/experiments").roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of((Boolean deleted) -> Json.object().put("deleted", deleted.toString()),
                    node -> Boolean.parseBoolean(Fields.optional(node, "deleted").orElse("false"))))
            .response(Codec.of(list -> ApiJson.list(list, RegistryJson::experiment),
                    node -> ApiJson.list(node, RegistryJson::experiment)))
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

    /** Deletes a run: it is kept, leaves the active view and takes no logging until restored. */
    public static final Operation<String, Run> DELETE_RUN = lifecycle("runs.delete", "/api/v1/runs/{run}/delete",
            Lifecycle.DELETED);

    public static final Operation<String, Run> RESTORE_RUN = lifecycle("runs.restore", "/api/v1/runs/{run}/restore",
            Lifecycle.ACTIVE);

    public static final Operation<MetricRef, List<Metric>> METRIC_HISTORY = Operation
            .<MetricRef, List<Metric>>get("runs.metric-history", "/api/v1/runs/{run}/metrics/{key}")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(m -> Json.object().put("run", m.run()).put("key", m.key()),
                    node -> new MetricRef(Fields.text(node, "run"), Fields.text(node, "key"))))
            .response(Codec.of(list -> ApiJson.list(list, RegistryJson::metric),
                    node -> ApiJson.list(node, RegistryJson::metric)))
            .handler((services, m, call) -> services.tracking().metricHistory(m.run(), m.key()));

    public static final Operation<Search, TrackingStore.RunPage> SEARCH = Operation
            .<Search, TrackingStore.RunPage>post("runs.search", "/api/v1/runs/search").roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(TrackingOperations::search, TrackingOperations::search))
            .response(Codec.of(TrackingOperations::page, TrackingOperations::page))
            .handler((services, search, call) -> services.tracking().search(RunSearch.of(experimentIds(services,
                    search.experiments()), search.filter(), search.orderBy(), search.view(), search.pageToken().orElse(null),
                    search.maxResults())));

    static final List<Operation<?, ?>> ALL = List.of(EXPERIMENTS, EXPERIMENT, CREATE_EXPERIMENT, RUN, DELETE_RUN,
            RESTORE_RUN, METRIC_HISTORY, SEARCH);

    private TrackingOperations() {}

    private static Operation<String, Run> lifecycle(String name, String path, Lifecycle lifecycle) {
        return Operation.<String, Run>post(name, path).roles(ADMIN, SCIENTIST)
                .request(Codec.of(run -> Json.object().put("run", run), node -> Fields.text(node, "run")))
                .response(Codec.of(RegistryJson::run, RegistryJson::run))
                .handler((services, run, call) -> {
                    services.tracking().setLifecycle(run, lifecycle, call.actor());
                    return services.tracking().run(run);
                });
    }

    /** Digits name an experiment by id, anything else by name. */
    static Experiment experiment(SeerServices services, String ref) {
        if (ref.chars().allMatch(Character::isDigit)) {
            return services.tracking().experiment(ref);
        }
        return services.tracking().experimentByName(ref).orElseThrow(() -> new dev.seer.core.SeerException(
                dev.seer.registry.RegistryErrorCode.NOT_FOUND, "Experiment [" + ref + "] does not exist",
                Map.of("experiment", ref)));
    }

    private static List<Long> experimentIds(SeerServices services, List<String> refs) {
        List<Experiment> experiments = refs.isEmpty() ? services.tracking().experiments(false)
                : refs.stream().map(ref -> experiment(services, ref)).toList();
        return experiments.stream().map(e -> Long.parseLong(e.id())).toList();
    }

    private static ObjectNode search(Search s) {
        ObjectNode node = Json.object().put("filter", s.filter()).put("view", s.view().name().toLowerCase(Locale.ROOT))
                .put("max_results", s.maxResults());
        s.experiments().forEach(node.putArray("experiments")::add);
        s.orderBy().forEach(node.putArray("order_by")::add);
        s.pageToken().ifPresent(t -> node.put("page_token", t));
        return node;
    }

    private static Search search(JsonNode node) {
        String view = Fields.optional(node, "view").orElse("active_only").toUpperCase(Locale.ROOT);
        if (Arrays.stream(ViewType.values()).noneMatch(v -> v.name().equals(view))) {
            throw new dev.seer.core.SeerException(dev.seer.core.CoreErrorCode.INVALID_ARGUMENT, "Field [view] must be"
                    + " active_only, deleted_only or all", Map.of("field", "view"));
        }
        JsonNode max = node.get("max_results");
        if (max != null && !max.isNull() && (!max.canConvertToInt() || max.asInt() < 1)) {
            throw new dev.seer.core.SeerException(dev.seer.core.CoreErrorCode.INVALID_ARGUMENT, "Field [max_results] must"
                    + " be a positive whole number", Map.of("field", "max_results"));
        }
        return new Search(Fields.texts(node, "experiments"), Fields.optional(node, "filter").orElse(""),
                Fields.texts(node, "order_by"), ViewType.valueOf(view), max == null || max.isNull() ? 100 : max.asInt(),
                Fields.optional(node, "page_token"));
    }

    private static ObjectNode page(TrackingStore.RunPage page) {
        ObjectNode node = Json.object();
        node.set("runs", ApiJson.list(page.runs(), RegistryJson::run));
        page.nextPageToken().ifPresent(t -> node.put("next_page_token", t));
        return node;
    }

    private static TrackingStore.RunPage page(JsonNode node) {
        return new TrackingStore.RunPage(ApiJson.list(node.get("runs"), RegistryJson::run),
                Fields.optional(node, "next_page_token"));
    }

    private static ObjectNode newExperiment(NewExperiment e) {
        ObjectNode node = Json.object().put("name", e.name());
        node.set("tags", ApiJson.texts(e.tags()));
        return node;
    }

    private static NewExperiment newExperiment(JsonNode node) {
        return new NewExperiment(Fields.text(node, "name"), node.path("tags").isObject()
                ? ApiJson.texts(node.get("tags")) : Map.of());
    }
}
