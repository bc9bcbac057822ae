package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.DeploymentStore;
import dev.seer.serving.deploy.MissingPolicy;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.StreamBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deployments: create or change one as a whole ({@code seer deploy}), list, show with its
 * revisions, remove. Changing is for admins and operators; reading for every role but an
 * auditor's is enough to see what was deployed. A change is checked (every model loads and fits
 * the deployment) before it is stored, and takes effect for requests at once, atomically.
 */
public final class DeploymentOperations {
    /**
     * A deployment as asked: the champion by {@code model} and a version or an alias (the
     * registry's {@code champion} when neither is given), optionally a challenger with its split
     * ({@code 90/10}: champion/challenger percent) or a shadow, both {@code NAME:VERSION}.
     */
    public record Deploy(String name, String model, Optional<Integer> version, Optional<String> alias,
            Optional<String> challenger, Optional<String> split, Optional<String> shadow, Optional<String> missing,
            Optional<String> whenStoreDown, Optional<Long> expectedRevision, Optional<String> inputTopic,
            Optional<String> outputTopic) {
        /** A deployment that scores no stream. */
        public Deploy(String name, String model, Optional<Integer> version, Optional<String> alias,
                Optional<String> challenger, Optional<String> split, Optional<String> shadow, Optional<String> missing,
                Optional<String> whenStoreDown, Optional<Long> expectedRevision) {
            this(name, model, version, alias, challenger, split, shadow, missing, whenStoreDown, expectedRevision,
                    Optional.empty(), Optional.empty());
        }
    }

    /**
     * A deployment with every revision it has had, oldest first (a removal is null), and where its
     * stream scoring stands if it has a binding.
     */
    public record Shown(Deployment deployment, List<Optional<Deployment>> history, Optional<StreamStatus> stream) {
        public Shown(Deployment deployment, List<Optional<Deployment>> history) {
            this(deployment, history, Optional.empty());
        }
    }

    /**
     * Where a bound deployment's scoring consumer is. NOT_RUNNING: no server runs consumers here
     * (a CLI in local mode); STARTING: it is being started; WAITING: it cannot start yet (see the
     * error: a missing input topic, an unreachable broker); RUNNING; RETRYING: a poll is being read
     * again after the error (an unavailable store or log, an aborted transaction); FAILED: it
     * stopped on the error and is started again within seconds.
     */
    public enum StreamState { NOT_RUNNING, STARTING, WAITING, RUNNING, RETRYING, FAILED }

    /**
     * A deployment's stream scoring as this server sees it: its topics, state and last error, the
     * input partitions its consumer owns with the records behind on each ({@code lag}), and the
     * records it scored and dead-lettered since it started.
     */
    public record StreamStatus(String inputTopic, String outputTopic, StreamState state, String error,
            java.util.Set<Integer> assigned, java.util.Map<Integer, Long> lag, long scored, long deadLettered) {
        public StreamStatus {
            assigned = java.util.Set.copyOf(assigned);
            lag = java.util.Map.copyOf(lag);
        }
    }

    private static final ApiRole[] READERS = {ADMIN, SCIENTIST, OPERATOR, AUDITOR};

    public static final Operation<Deploy, Deployment> DEPLOY = Operation
            .<Deploy, Deployment>post("deployments.deploy", "/api/v1/deployments/{name}").roles(ADMIN, OPERATOR)
            .request(Codec.of(DeploymentOperations::deploy, DeploymentOperations::deploy))
            .response(Codec.of(Deployment.CODEC::encode, Deployment.CODEC::decode))
            .handler((services, deploy, call) -> services.serving().deploy(deploy, call.actor()));

    public static final Operation<Codec.Empty, List<Deployment>> LIST = Operation
            .<Codec.Empty, List<Deployment>>get("deployments.list", "/api/v1/deployments").roles(READERS)
            .request(Codec.EMPTY)
            .response(Codec.of(list -> ApiJson.list(list, Deployment.CODEC::encode),
                    node -> ApiJson.list(node, Deployment.CODEC::decode)))
            .handler((services, request, call) -> services.serving().deployments().list());

    public static final Operation<String, Shown> SHOW = Operation
            .<String, Shown>get("deployments.show", "/api/v1/deployments/{name}").roles(READERS)
            .request(Codec.of(name -> Json.object().put("name", name), node -> Fields.text(node, "name")))
            .response(Codec.of(DeploymentOperations::shown, DeploymentOperations::shown))
            .handler((services, name, call) -> {
                Deployment d = services.serving().deployments().get(name);
                return new Shown(d, services.serving().deployments().history(name), services.serving().streamStatus(d));
            });

    public static final Operation<String, String> REMOVE = Operation
            .<String, String>delete("deployments.remove", "/api/v1/deployments/{name}").roles(ADMIN, OPERATOR)
            .request(Codec.of(name -> Json.object().put("name", name), node -> Fields.text(node, "name")))
            .response(Codec.of(name -> Json.object().put("removed", name), node -> Fields.text(node, "removed")))
            .handler((services, name, call) -> {
                services.serving().remove(name, call.actor());
                return name;
            });

    /** The experiment of a deployment with a challenger, judged by these settings. */
    public record Experiment(String name, double alpha, double effect, int minSamples, double maxErrorRate,
            double maxLatencyMillis, long minRequests) {
        Experiments.Settings settings() {
            return new Experiments.Settings(alpha, effect, minSamples, new dev.seer.serving.experiment.Guardrails(maxErrorRate,
                    maxLatencyMillis, minRequests));
        }
    }

    /** The verdict on an experiment and what it rests on; {@code deployment} is the deployment after the verdict. */
    public record Verdict(Deployment deployment, String verdict, String reason, long outcomes, long championCount,
            long challengerCount, double championMean, double challengerMean, double pValue, double lower, double upper,
            long challengerRequests, double challengerLatencyP99Millis) {
        static Verdict of(Experiments.Judged j) {
            var t = j.decision().test();
            return new Verdict(j.deployment(), j.decision().verdict().name().toLowerCase(java.util.Locale.ROOT),
                    j.decision().reason(), j.outcomes(), t.championCount(), t.challengerCount(), t.championMean(),
                    t.challengerMean(), t.pValue(), t.lower(), t.upper(), j.challenger().requests(),
                    j.challenger().latencyP99Millis());
        }
    }

    public static final Operation<Experiment, Verdict> EXPERIMENT = Operation
            .<Experiment, Verdict>get("deployments.experiment", "/api/v1/deployments/{name}/experiment").roles(READERS)
            .request(Codec.of(DeploymentOperations::experiment, DeploymentOperations::experiment))
            .response(Codec.of(DeploymentOperations::verdict, DeploymentOperations::verdict))
            .handler((services, e, call) -> Verdict.of(services.serving().experiment(e.name(), e.settings())));

    public static final Operation<Experiment, Verdict> DECIDE = Operation
            .<Experiment, Verdict>post("deployments.decide", "/api/v1/deployments/{name}/experiment/decide")
            .roles(ADMIN, OPERATOR)
            .request(Codec.of(DeploymentOperations::experiment, DeploymentOperations::experiment))
            .response(Codec.of(DeploymentOperations::verdict, DeploymentOperations::verdict))
            .handler((services, e, call) -> Verdict.of(services.serving().decide(e.name(), e.settings(), call.actor())));

    static final List<Operation<?, ?>> ALL = List.of(DEPLOY, LIST, SHOW, REMOVE, EXPERIMENT, DECIDE);

    private DeploymentOperations() {}

    /** Reads {@code 90/10} as the challenger's percent (10); the two must add up to 100. */
    static int challengerPercent(String split) {
        String[] parts = split.split("/", -1);
        if (parts.length != 2 || !parts[0].matches("\\d{1,3}") || !parts[1].matches("\\d{1,3}")
                || Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]) != 100) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "[split] must be CHAMPION/CHALLENGER percents adding up"
                    + " to 100, such as 90/10, not [" + split + "]", Map.of("field", "split"));
        }
        return Integer.parseInt(parts[1]);
    }

    /** The change a request asks for, with the champion's version already resolved. */
    static DeploymentStore.Change change(Deploy d, int championVersion) {
        Optional<ModelRef> challenger = d.challenger().map(c -> ModelRef.parse(c, "challenger"));
        if (challenger.isPresent() && d.split().isEmpty()) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "A challenger needs a [split], such as 90/10",
                    Map.of("field", "split"));
        }
        if (challenger.isEmpty() && d.split().isPresent()) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "A [split] needs a [challenger]",
                    Map.of("field", "challenger"));
        }
        return new DeploymentStore.Change(d.name(), new ModelRef(d.model(), championVersion), challenger,
                d.split().map(DeploymentOperations::challengerPercent).orElse(0),
                d.shadow().map(s -> ModelRef.parse(s, "shadow")),
                MissingPolicy.of(d.missing().orElse("refuse"), "missing"),
                MissingPolicy.of(d.whenStoreDown().orElse("refuse"), "when_store_down"), binding(d));
    }

    /** Both topics or neither: a deployment reads a stream only to write its predictions somewhere. */
    private static Optional<StreamBinding> binding(Deploy d) {
        if (d.inputTopic().isPresent() != d.outputTopic().isPresent()) {
            String missing = d.inputTopic().isPresent() ? "output_topic" : "input_topic";
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "Stream scoring needs both [input_topic] and"
                    + " [output_topic]; [" + missing + "] is missing", Map.of("field", missing));
        }
        return d.inputTopic().map(in -> new StreamBinding(in, d.outputTopic().get()));
    }

    private static ObjectNode deploy(Deploy d) {
        ObjectNode json = Json.object().put("name", d.name()).put("model", d.model());
        d.version().ifPresent(v -> json.put("version", v));
        d.alias().ifPresent(a -> json.put("alias", a));
        d.challenger().ifPresent(c -> json.put("challenger", c));
        d.split().ifPresent(s -> json.put("split", s));
        d.shadow().ifPresent(s -> json.put("shadow", s));
        d.missing().ifPresent(m -> json.put("missing", m));
        d.whenStoreDown().ifPresent(w -> json.put("when_store_down", w));
        d.expectedRevision().ifPresent(r -> json.put("expected_revision", r));
        d.inputTopic().ifPresent(t -> json.put("input_topic", t));
        d.outputTopic().ifPresent(t -> json.put("output_topic", t));
        return json;
    }

    private static Deploy deploy(JsonNode body) {
        Optional<Integer> version = body.hasNonNull("version")
                ? Optional.of(version(Fields.wholeNumber(body, "version", 0))) : Optional.empty();
        Optional<Long> expected = body.hasNonNull("expected_revision")
                ? Optional.of(Fields.wholeNumber(body, "expected_revision", 0)) : Optional.empty();
        if (version.isPresent() && body.hasNonNull("alias")) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "Give [version] or [alias], not both",
                    Map.of("field", "alias"));
        }
        return new Deploy(Deployment.checkName(Fields.text(body, "name")), Http.requiredText(body, "model"), version,
                Fields.optional(body, "alias"), Fields.optional(body, "challenger"), Fields.optional(body, "split"),
                Fields.optional(body, "shadow"), Fields.optional(body, "missing"), Fields.optional(body, "when_store_down"),
                expected, Fields.optional(body, "input_topic").map(t -> StreamBinding.checkTopic(t, "input_topic")),
                Fields.optional(body, "output_topic").map(t -> StreamBinding.checkTopic(t, "output_topic")));
    }

    private static ObjectNode experiment(Experiment e) {
        return Json.object().put("name", e.name()).put("alpha", Double.toString(e.alpha())).put("effect",
                Double.toString(e.effect())).put("min_samples", Integer.toString(e.minSamples()))
                .put("max_error_rate", Double.toString(e.maxErrorRate())).put("max_latency_ms",
                        Double.toString(e.maxLatencyMillis())).put("min_requests", Long.toString(e.minRequests()));
    }

    /** Query (or body) fields, each optional: alpha 0.05, effect 0.1, min_samples 100, max_error_rate 0.05, max_latency_ms 100, min_requests 100. */
    private static Experiment experiment(JsonNode q) {
        return new Experiment(Deployment.checkName(Fields.text(q, "name")), decimal(q, "alpha", 0.05), decimal(q, "effect", 0.1),
                (int) whole(q, "min_samples", 100), decimal(q, "max_error_rate", 0.05), decimal(q, "max_latency_ms", 100),
                whole(q, "min_requests", 100));
    }

    private static double decimal(JsonNode q, String field, double fallback) {
        if (!q.hasNonNull(field)) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(q.get(field).asText());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new SeerException(ServingErrorCode.INVALID_ARGUMENT, "[" + field + "] must be a number, not ["
                + q.get(field).asText() + "]", Map.of("field", field));
    }

    private static long whole(JsonNode q, String field, long fallback) {
        if (!q.hasNonNull(field)) {
            return fallback;
        }
        String text = q.get(field).asText();
        if (!text.matches("\\d{1,9}")) {
            throw new SeerException(ServingErrorCode.INVALID_ARGUMENT, "[" + field + "] must be a whole number, not [" + text
                    + "]", Map.of("field", field));
        }
        return Long.parseLong(text);
    }

    private static ObjectNode verdict(Verdict v) {
        ObjectNode json = Json.object();
        json.set("deployment", Deployment.CODEC.encode(v.deployment()));
        json.put("verdict", v.verdict()).put("reason", v.reason()).put("outcomes", v.outcomes());
        ObjectNode test = json.putObject("test").put("champion_count", v.championCount())
                .put("challenger_count", v.challengerCount());
        number(test, "champion_mean", v.championMean());
        number(test, "challenger_mean", v.challengerMean());
        number(test, "p_value", v.pValue());
        number(test, "lower", v.lower());
        number(test, "upper", v.upper());
        ObjectNode health = json.putObject("challenger_health").put("requests", v.challengerRequests());
        number(health, "latency_p99_ms", v.challengerLatencyP99Millis());
        return json;
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static Verdict verdict(JsonNode json) {
        JsonNode t = json.path("test");
        JsonNode h = json.path("challenger_health");
        return new Verdict(Deployment.CODEC.decode(json.path("deployment")), json.path("verdict").asText(),
                json.path("reason").asText(), json.path("outcomes").asLong(), t.path("champion_count").asLong(),
                t.path("challenger_count").asLong(), orNaN(t, "champion_mean"), orNaN(t, "challenger_mean"),
                orNaN(t, "p_value"), orNaN(t, "lower"), orNaN(t, "upper"), h.path("requests").asLong(),
                orNaN(h, "latency_p99_ms"));
    }

    private static double orNaN(JsonNode node, String field) {
        return node.path(field).isNumber() ? node.path(field).asDouble() : Double.NaN;
    }

    private static int version(long version) {
        if (version < 1 || version > Integer.MAX_VALUE) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "[version] must be a version number, not " + version,
                    Map.of("field", "version"));
        }
        return (int) version;
    }

    private static ObjectNode shown(Shown s) {
        ObjectNode json = Json.object();
        json.set("deployment", Deployment.CODEC.encode(s.deployment()));
        var history = json.putArray("history");
        s.history().forEach(h -> history.add(h.map(d -> (JsonNode) Deployment.CODEC.encode(d)).orElse(Json.mapper()
                .nullNode())));
        s.stream().ifPresent(st -> {
            ObjectNode stream = json.putObject("stream").put("input_topic", st.inputTopic())
                    .put("output_topic", st.outputTopic()).put("state", st.state().name().toLowerCase(java.util.Locale.ROOT))
                    .put("error", st.error()).put("scored", st.scored()).put("dead_lettered", st.deadLettered());
            new java.util.TreeSet<>(st.assigned()).forEach(stream.putArray("assigned")::add);
            ObjectNode lag = stream.putObject("lag");
            new java.util.TreeMap<>(st.lag()).forEach((p, l) -> lag.put(Integer.toString(p), l));
        });
        return json;
    }

    private static Shown shown(JsonNode json) {
        List<Optional<Deployment>> history = new ArrayList<>();
        json.path("history").forEach(h -> history.add(h.isNull() ? Optional.empty() : Optional.of(Deployment.CODEC.decode(h))));
        Optional<StreamStatus> stream = Optional.empty();
        JsonNode st = json.path("stream");
        if (st.isObject()) {
            java.util.Set<Integer> assigned = new java.util.TreeSet<>();
            st.path("assigned").forEach(p -> assigned.add(p.asInt()));
            java.util.Map<Integer, Long> lag = new java.util.TreeMap<>();
            st.path("lag").fields().forEachRemaining(e -> lag.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            stream = Optional.of(new StreamStatus(st.path("input_topic").asText(), st.path("output_topic").asText(),
                    StreamState.valueOf(st.path("state").asText().toUpperCase(java.util.Locale.ROOT)), st.path("error").asText(),
                    assigned, lag, st.path("scored").asLong(), st.path("dead_lettered").asLong()));
        }
        return new Shown(Deployment.CODEC.decode(json.path("deployment")), history, stream);
    }
}
