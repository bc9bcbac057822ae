package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.online.FtrlSettings;
import dev.seer.serving.online.OnlineModels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Online models ({@code online_logistic}, FTRL-Proximal): create one (a registered model whose
 * version 1 is the untrained learner), see what it has learnt, and snapshot it to the registry now
 * (the server also does on a schedule). Creating is for those who register models; snapshotting
 * moves deployments, so it is for those who deploy.
 */
public final class OnlineModelOperations {
    /**
     * A new online model of a feature service's features (fetched online by the entity) and/or
     * {@code features} given in each request (numbers, in this order), with FTRL-Proximal's settings.
     */
    public record Create(String model, Optional<String> featureService, List<String> features, FtrlSettings settings,
            String description) {
        public Create {
            features = List.copyOf(features);
        }
    }

    /** An online model as it stands: its inputs and settings, what it learnt, and its last registered version. */
    public record Shown(String model, List<String> features, FtrlSettings settings, long updates, int version,
            long pending, Optional<Instant> lastLearntAt, Instant createdAt) {
        public Shown {
            features = List.copyOf(features);
        }

        static Shown of(OnlineModels.State s) {
            return new Shown(s.model(), s.learner().features(), s.learner().settings(), s.updates(), s.snapshotVersion(),
                    s.pending(), s.lastLearntAt(), s.createdAt());
        }
    }

    /** What a snapshot did: the version registered (none if nothing was learnt since {@code version}), the deployments moved. */
    public record Snapshot(String model, Optional<Integer> registered, int version, long updates, List<String> deployments) {
        public Snapshot {
            deployments = List.copyOf(deployments);
        }

        static Snapshot of(OnlineLearning.Snapshot s) {
            return new Snapshot(s.model(), s.registered(), s.current(), s.updates(), s.deployments());
        }
    }

    static final int MAX_FEATURES = 10_000;
    private static final Pattern FEATURE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public static final Operation<Create, ModelVersion> CREATE = Operation
            .<Create, ModelVersion>post("models.create_online", "/api/v1/models/{model}/online").roles(ADMIN, SCIENTIST)
            .status(201).request(Codec.of(OnlineModelOperations::create, OnlineModelOperations::create))
            .response(Codec.of(RegistryJson::version, RegistryJson::version))
            .handler((services, c, call) -> services.onlineLearning().create(new OnlineLearning.Create(c.model(),
                    c.featureService(), c.features(), c.settings(), c.description()), call.actor()));

    public static final Operation<String, Shown> SHOW = Operation
            .<String, Shown>get("models.online", "/api/v1/models/{model}/online").roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(model -> Json.object().put("model", model), node -> Fields.text(node, "model")))
            .response(Codec.of(OnlineModelOperations::shown, OnlineModelOperations::shown))
            .handler((services, model, call) -> Shown.of(services.onlineLearning().state(model)));

    public static final Operation<String, Snapshot> SNAPSHOT = Operation
            .<String, Snapshot>post("models.snapshot", "/api/v1/models/{model}/online/snapshot").roles(ADMIN, OPERATOR)
            .request(Codec.of(model -> Json.object().put("model", model), node -> Fields.text(node, "model")))
            .response(Codec.of(OnlineModelOperations::snapshot, OnlineModelOperations::snapshot))
            .handler((services, model, call) -> Snapshot.of(services.onlineLearning().snapshot(model, call.actor())));

    static final List<Operation<?, ?>> ALL = List.of(CREATE, SHOW, SNAPSHOT);

    private OnlineModelOperations() {}

    private static ObjectNode create(Create c) {
        ObjectNode json = Json.object().put("model", c.model());
        c.featureService().ifPresent(f -> json.put("feature_service", f));
        c.features().forEach(json.putArray("features")::add);
        settings(json, c.settings());
        return json.put("description", c.description());
    }

    /**
     * {@code feature_service} (a name: its latest version) and/or {@code features} (a list of names,
     * or one text of names separated by commas); alpha, beta, l1, l2 default to FTRL's.
     */
    private static Create create(JsonNode body) {
        JsonNode given = body.path("features");
        List<String> features = new ArrayList<>();
        if (given.isTextual() && !given.asText().isBlank()) {
            for (String name : given.asText().split(",", -1)) {
                features.add(name.trim());
            }
        } else {
            given.forEach(f -> features.add(f.asText()));
        }
        Optional<String> service = Fields.optional(body, "feature_service");
        if ((features.isEmpty() && service.isEmpty()) || features.size() > MAX_FEATURES) {
            throw invalid("[features] must name 1 to " + MAX_FEATURES + " inputs of the online model, unless a"
                    + " [feature_service] gives them", "features");
        }
        for (String feature : features) {
            if (!FEATURE.matcher(feature).matches()) {
                throw invalid("Feature name [" + feature + "] must start with a letter or '_' and hold only letters, digits"
                        + " or '_' (at most 128)", "features");
            }
        }
        FtrlSettings defaults = FtrlSettings.defaults();
        FtrlSettings settings = new FtrlSettings(number(body, "alpha", defaults.alpha()), number(body, "beta",
                defaults.beta()), number(body, "l1", defaults.l1()), number(body, "l2", defaults.l2()));
        return new Create(Fields.text(body, "model"), service, features, settings,
                Fields.optional(body, "description").orElse(""));
    }

    private static ObjectNode settings(ObjectNode json, FtrlSettings s) {
        return json.put("alpha", s.alpha()).put("beta", s.beta()).put("l1", s.l1()).put("l2", s.l2());
    }

    private static double number(JsonNode body, String field, double fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw invalid("[" + field + "] must be a number, not [" + value.asText() + "]", field);
        }
        return value.doubleValue();
    }

    private static ObjectNode shown(Shown s) {
        ObjectNode json = Json.object().put("model", s.model()).put("kind", OnlineModels.KIND);
        s.features().forEach(json.putArray("features")::add);
        settings(json.putObject("settings"), s.settings());
        json.put("updates", s.updates()).put("version", s.version()).put("pending", s.pending());
        s.lastLearntAt().ifPresent(t -> json.put("last_learnt_at", t.toString()));
        return json.put("created_at", s.createdAt().toString());
    }

    private static Shown shown(JsonNode json) {
        JsonNode s = json.path("settings");
        return new Shown(json.path("model").asText(), Fields.texts(json, "features"), new FtrlSettings(
                s.path("alpha").asDouble(), s.path("beta").asDouble(), s.path("l1").asDouble(), s.path("l2").asDouble()),
                json.path("updates").asLong(), json.path("version").asInt(), json.path("pending").asLong(),
                json.hasNonNull("last_learnt_at") ? Optional.of(Instant.parse(json.get("last_learnt_at").asText()))
                        : Optional.empty(), Instant.parse(json.path("created_at").asText()));
    }

    private static ObjectNode snapshot(Snapshot s) {
        ObjectNode json = Json.object().put("model", s.model());
        s.registered().ifPresent(v -> json.put("registered", v));
        json.put("version", s.version()).put("updates", s.updates());
        ArrayNode moved = json.putArray("deployments");
        s.deployments().forEach(moved::add);
        return json;
    }

    private static Snapshot snapshot(JsonNode json) {
        return new Snapshot(json.path("model").asText(), json.hasNonNull("registered")
                ? Optional.of(json.get("registered").asInt()) : Optional.empty(), json.path("version").asInt(),
                json.path("updates").asLong(), Fields.texts(json, "deployments"));
    }

    private static SeerException invalid(String message, String field) {
        return new SeerException(ServingErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }
}
