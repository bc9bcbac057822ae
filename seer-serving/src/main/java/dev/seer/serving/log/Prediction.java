package dev.seer.serving.log;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.serving.ServingErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One logged prediction: which deployment, arm and model version answered (or, for a shadow, would
 * have), for which entity, from which feature values, with what output and in how long. Times are
 * kept to the microsecond (Seer's stored unit), so a prediction reads back equal to what was
 * logged.
 *
 * @param id          from {@link PredictionIds}: sortable by time, unique across restarts
 * @param arm         the deployment's arm, e.g. {@code champion}, {@code challenger}, {@code shadow}
 * @param entity      the entity keys the features were looked up by; empty when the request gave values only
 * @param features    every input the model saw, in the model's order
 * @param shadow      logged, never returned to the caller
 * @param degraded    the degraded mode the prediction was made in (the online store down or emptied), or empty
 * @param shadowOf    for a shadow, the answered prediction it was scored beside (logged in the same append)
 */
public record Prediction(String id, Instant time, String deployment, String arm, String model, int modelVersion,
        Map<String, String> entity, List<Feature> features, double[] output, long latencyMicros, boolean shadow,
        String degraded, Optional<String> shadowOf) {

    /**
     * One input value.
     *
     * @param value     NaN when the model saw no value (always so for {@link FeatureStatus#MISSING})
     * @param eventTime when the value was true in the world, when known
     */
    public record Feature(String name, double value, Optional<Instant> eventTime, FeatureStatus status) {
        public Feature {
            requireText(name, "features.name");
            requireNonNull(eventTime, "eventTime is null");
            requireNonNull(status, "status is null");
            if (status == FeatureStatus.MISSING && !Double.isNaN(value)) {
                throw invalid("Missing feature [" + name + "] must have no value (NaN), not " + value, "features.value");
            }
            eventTime = eventTime.map(Prediction::micros);
        }

        public static Feature present(String name, double value, Instant eventTime) {
            return new Feature(name, value, Optional.of(eventTime), FeatureStatus.PRESENT);
        }

        public static Feature given(String name, double value) {
            return new Feature(name, value, Optional.empty(), FeatureStatus.GIVEN);
        }

        public static Feature missing(String name) {
            return new Feature(name, Double.NaN, Optional.empty(), FeatureStatus.MISSING);
        }
    }

    public Prediction {
        PredictionIds.parse(id);
        time = micros(requireNonNull(time, "time is null"));
        requireText(deployment, "deployment");
        requireText(arm, "arm");
        requireText(model, "model");
        if (modelVersion < 1) {
            throw invalid("Model version of [" + model + "] must be at least 1, not " + modelVersion, "model_version");
        }
        requireNonNull(entity, "entity is null");
        entity.forEach((k, v) -> {
            requireText(k, "entity");
            requireNonNull(v, "entity value of [" + k + "] is null");
        });
        entity = Collections.unmodifiableMap(new TreeMap<>(entity));
        features = List.copyOf(features);
        output = requireNonNull(output, "output is null").clone();
        if (latencyMicros < 0) {
            throw invalid("Latency of prediction [" + id + "] must not be negative, not " + latencyMicros, "latency_micros");
        }
        requireNonNull(degraded, "degraded is null");
        requireNonNull(shadowOf, "shadowOf is null");
        shadowOf.ifPresent(PredictionIds::parse);
        if (shadowOf.isPresent() && !shadow) {
            throw invalid("Prediction [" + id + "] names the prediction it shadows but is not a shadow", "shadow_of");
        }
    }

    /** A prediction that shadows none (an answered one, or a shadow logged on its own). */
    public Prediction(String id, Instant time, String deployment, String arm, String model, int modelVersion,
            Map<String, String> entity, List<Feature> features, double[] output, long latencyMicros, boolean shadow,
            String degraded) {
        this(id, time, deployment, arm, model, modelVersion, entity, features, output, latencyMicros, shadow, degraded,
                Optional.empty());
    }

    /** A copy: the record holds its own. */
    @Override
    public double[] output() {
        return output.clone();
    }

    /** The model version as the registry names it, {@code name:version}. */
    public String modelRef() {
        return model + ":" + modelVersion;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && id.equals(p.id) && time.equals(p.time) && deployment.equals(p.deployment)
                && arm.equals(p.arm) && model.equals(p.model) && modelVersion == p.modelVersion
                && entity.equals(p.entity) && features.equals(p.features) && Arrays.equals(output, p.output)
                && latencyMicros == p.latencyMicros && shadow == p.shadow && degraded.equals(p.degraded)
                && shadowOf.equals(p.shadowOf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, time, deployment, arm, model, modelVersion, entity, features, Arrays.hashCode(output),
                latencyMicros, shadow, degraded, shadowOf);
    }

    @Override
    public String toString() {
        return "Prediction[" + id + " " + time + " " + deployment + "/" + arm + " " + modelRef() + " entity=" + entity
                + " output=" + Arrays.toString(output) + "]";
    }

    /**
     * The prediction as JSON (snake_case, times ISO-8601, a value the model did not see as
     * {@code null}), for the API and the JSON-lines export.
     */
    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id).put("time", time.toString()).put("deployment", deployment).put("arm", arm)
                .put("model", model).put("model_version", modelVersion);
        ObjectNode keys = node.putObject("entity");
        entity.forEach(keys::put);
        ArrayNode values = node.putArray("features");
        for (Feature f : features) {
            ObjectNode v = values.addObject().put("name", f.name());
            if (Double.isFinite(f.value())) {
                v.put("value", f.value());
            } else {
                v.putNull("value");
            }
            f.eventTime().ifPresent(t -> v.put("event_time", t.toString()));
            v.put("status", f.status().id());
        }
        ArrayNode out = node.putArray("output");
        for (double d : output) {
            if (Double.isFinite(d)) {
                out.add(d);
            } else {
                out.addNull();
            }
        }
        node.put("latency_micros", latencyMicros).put("shadow", shadow).put("degraded", degraded);
        shadowOf.ifPresent(s -> node.put("shadow_of", s));
        return node;
    }

    /** Reads {@link #toJson()}'s form back. */
    public static Prediction fromJson(JsonNode node) {
        Map<String, String> entity = new TreeMap<>();
        node.path("entity").properties().forEach(e -> entity.put(e.getKey(), e.getValue().asText()));
        List<Feature> features = new ArrayList<>();
        for (JsonNode f : node.path("features")) {
            JsonNode value = f.path("value");
            features.add(new Feature(f.path("name").asText(), value.isNumber() ? value.asDouble() : Double.NaN,
                    f.hasNonNull("event_time") ? Optional.of(Instant.parse(f.get("event_time").asText())) : Optional.empty(),
                    FeatureStatus.of(f.path("status").asText())));
        }
        JsonNode out = node.path("output");
        double[] output = new double[out.size()];
        for (int i = 0; i < output.length; i++) {
            output[i] = out.get(i).isNumber() ? out.get(i).asDouble() : Double.NaN;
        }
        return new Prediction(node.path("id").asText(), Instant.parse(node.path("time").asText()),
                node.path("deployment").asText(), node.path("arm").asText(), node.path("model").asText(),
                node.path("model_version").asInt(), entity, features, output, node.path("latency_micros").asLong(),
                node.path("shadow").asBoolean(), node.path("degraded").asText(""),
                node.hasNonNull("shadow_of") ? Optional.of(node.get("shadow_of").asText()) : Optional.empty());
    }

    private static Instant micros(Instant t) {
        return Times.ofMicros(Times.toMicros(t));
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw invalid("Prediction field [" + field + "] must not be empty", field);
        }
    }

    private static SeerException invalid(String message, String field) {
        return new SeerException(ServingErrorCode.INVALID_INPUT, message, Map.of("field", field));
    }
}
