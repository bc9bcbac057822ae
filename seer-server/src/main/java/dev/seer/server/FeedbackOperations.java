package dev.seer.server;

import static java.util.Objects.requireNonNull;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.models.OutputKind;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.feedback.Feedback;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.feedback.LiveMetrics;
import dev.seer.training.metrics.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Feedback (observed outcomes joined to their predictions) and the live metrics of a deployment's
 * arms computed from it. One outcome per call, or {@code rows} of up to 10,000 (a file's worth,
 * as {@code seer feedback --file} sends them).
 */
public final class FeedbackOperations {
    /** Outcomes to record; {@code single} when the body held one (its errors are the call's). */
    public record Record(List<Outcome> rows, boolean single) {
        /** The outcomes as feedback, those without an observed time observed {@code now}. */
        List<Feedback> feedback(Instant now) {
            return rows.stream().map(o -> new Feedback(o.target(), o.outcome(), o.observedAt().orElse(now), o.source()))
                    .toList();
        }
    }

    /** One outcome as sent: its time may be left to the server's clock. */
    public record Outcome(Feedback.Target target, double outcome, Optional<Instant> observedAt, String source) {
        public static Outcome of(Feedback f) {
            return new Outcome(f.target(), f.outcome(), Optional.of(f.observedAt()), f.source());
        }
    }

    /** The live metrics of a deployment over [from, to) (default: the day to now), in buckets of {@code bucket} (or one window). */
    public record Metrics(String deployment, Optional<Instant> from, Optional<Instant> to, Optional<Duration> bucket) {}

    static final int MAX_ROWS = 10_000;

    public static final Operation<Record, FeedbackStore.BatchResult> FEEDBACK = Operation
            .<Record, FeedbackStore.BatchResult>post("feedback", "/api/v1/feedback").roles(ADMIN, SCIENTIST, OPERATOR)
            .request(Codec.of(FeedbackOperations::record, FeedbackOperations::record))
            .response(Codec.of(FeedbackOperations::result, FeedbackOperations::result))
            .handler((services, r, call) -> services.serving().feedback(r.feedback(services.clock().instant()), r.single(),
                    call.actor()));

    public static final Operation<Metrics, List<LiveMetrics.Window>> METRICS = Operation
            .<Metrics, List<LiveMetrics.Window>>get("deployments.metrics", "/api/v1/deployments/{name}/metrics")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(FeedbackOperations::metrics, FeedbackOperations::metrics))
            .response(Codec.of(FeedbackOperations::windows, FeedbackOperations::windows))
            .handler((services, m, call) -> {
                Instant to = m.to().orElse(services.clock().instant());
                return services.serving().metrics(m.deployment(), m.from().orElse(to.minus(Duration.ofDays(1))), to,
                        m.bucket());
            });

    /**
     * Where the consumer of {@code feedback.topic} stands: its topic, whether it runs, its last error, and the outcomes it
     * recorded, found duplicate and dead-lettered since the server started; {@code topic} empty when none is set.
     */
    public record StreamState(Optional<String> topic, boolean failed, String error, long recorded, long duplicates,
            long deadLettered) {
        public StreamState {
            requireNonNull(topic, "topic is null");
            requireNonNull(error, "error is null");
        }
    }

    public static final Operation<Codec.Empty, StreamState> STREAM = Operation
            .<Codec.Empty, StreamState>get("feedback.stream", "/api/v1/feedback/stream").roles(ADMIN, SCIENTIST, OPERATOR,
                    AUDITOR)
            .request(Codec.EMPTY).response(Codec.of(FeedbackOperations::stream, FeedbackOperations::stream))
            .handler((services, request, call) -> services.serving().feedbackStreamStatus()
                    .map(s -> new StreamState(Optional.of(s.topic()), s.failed(), s.error(), s.recorded(), s.duplicates(),
                            s.deadLettered()))
                    .orElse(new StreamState(Optional.empty(), false, "", 0, 0, 0)));

    static final List<Operation<?, ?>> ALL = List.of(FEEDBACK, METRICS, STREAM);

    private FeedbackOperations() {}

    private static ObjectNode record(Record r) {
        ObjectNode json = Json.object();
        ArrayNode rows = json.putArray("rows");
        for (Outcome f : r.rows()) {
            ObjectNode o = rows.addObject().put("outcome", f.outcome()).put("source", f.source());
            f.observedAt().ifPresent(t -> o.put("observed_at", t.toString()));
            if (f.target() instanceof Feedback.ById id) {
                o.put("prediction_id", id.predictionId());
            } else if (f.target() instanceof Feedback.ByEntity e) {
                ObjectNode entity = o.putObject("entity");
                e.entity().forEach(entity::put);
                o.put("deployment", e.deployment()).put("at", e.at().toString());
            }
        }
        return json;
    }

    /** One outcome at the top of the body, or {@code rows} of them. */
    private static Record record(JsonNode body) {
        if (!body.has("rows")) {
            return new Record(List.of(feedback(body, "")), true);
        }
        JsonNode rows = body.get("rows");
        if (!rows.isArray() || rows.isEmpty() || rows.size() > MAX_ROWS) {
            throw invalid("[rows] must hold 1 to " + MAX_ROWS + " outcomes", "rows");
        }
        List<Outcome> all = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            all.add(feedback(rows.get(i), "rows[" + i + "]."));
        }
        return new Record(all, false);
    }

    /** One outcome as the route takes it ({@code at}: its place in the body, for messages); also a feedback record's form. */
    static Outcome feedback(JsonNode o, String at) {
        JsonNode outcome = o.path("outcome");
        if (!outcome.isNumber() || !Double.isFinite(outcome.doubleValue())) {
            throw invalid("[" + at + "outcome] must be a finite number (a label 0 or 1, a class index or a value)",
                    at + "outcome");
        }
        Optional<Instant> observed = o.hasNonNull("observed_at") ? Optional.of(Fields.instant(o, "observed_at"))
                : Optional.empty();
        String source = o.hasNonNull("source") ? o.get("source").asText() : "api";
        if (o.hasNonNull("prediction_id")) {
            return new Outcome(new Feedback.ById(o.get("prediction_id").asText()), outcome.doubleValue(), observed, source);
        }
        JsonNode entity = o.path("entity");
        if (!entity.isObject() || entity.isEmpty() || !o.hasNonNull("deployment")) {
            throw invalid("[" + at + "prediction_id], or [" + at + "entity] with [" + at + "deployment], must name the"
                    + " prediction", at + "prediction_id");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entity.fields(); it.hasNext(); ) {
            var e = it.next();
            keys.put(e.getKey(), e.getValue().asText());
        }
        if (!o.hasNonNull("at")) {
            throw invalid("[" + at + "at] must say when the prediction was made for the entity (ISO-8601)", at + "at");
        }
        return new Outcome(new Feedback.ByEntity(keys, Deployment.checkName(o.get("deployment").asText()),
                Fields.instant(o, "at")), outcome.doubleValue(), observed, source);
    }

    private static ObjectNode result(FeedbackStore.BatchResult batch) {
        ObjectNode json = Json.object().put("recorded", batch.count(FeedbackStore.Status.RECORDED))
                .put("duplicate", batch.count(FeedbackStore.Status.DUPLICATE))
                .put("refused", batch.count(FeedbackStore.Status.REFUSED));
        ArrayNode rows = json.putArray("rows");
        for (FeedbackStore.RowResult r : batch.rows()) {
            ObjectNode o = rows.addObject().put("row", r.row()).put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
            r.predictionId().ifPresent(id -> o.put("prediction_id", id));
            r.error().ifPresent(e -> o.put("error", e.code()));
            if (!r.shadows().isEmpty()) {
                r.shadows().forEach(o.putArray("shadows")::add);
            }
            if (!r.message().isEmpty()) {
                o.put("message", r.message());
            }
        }
        return json;
    }

    private static FeedbackStore.BatchResult result(JsonNode json) {
        List<FeedbackStore.RowResult> rows = new ArrayList<>();
        for (JsonNode o : json.path("rows")) {
            rows.add(new FeedbackStore.RowResult(o.path("row").asInt(), o.hasNonNull("prediction_id")
                    ? Optional.of(o.get("prediction_id").asText()) : Optional.empty(),
                    FeedbackStore.Status.valueOf(o.path("status").asText().toUpperCase(java.util.Locale.ROOT)),
                    o.hasNonNull("error") ? Optional.of(ServingErrorCode.valueOf(o.get("error").asText())) : Optional.empty(),
                    o.path("message").asText(""), shadows(o)));
        }
        return new FeedbackStore.BatchResult(rows);
    }

    private static List<String> shadows(JsonNode row) {
        List<String> shadows = new ArrayList<>();
        row.path("shadows").forEach(s -> shadows.add(s.asText()));
        return shadows;
    }

    private static ObjectNode metrics(Metrics m) {
        ObjectNode json = Json.object().put("name", m.deployment());
        m.from().ifPresent(f -> json.put("from", f.toString()));
        m.to().ifPresent(t -> json.put("to", t.toString()));
        m.bucket().ifPresent(b -> json.put("bucket", b.toString()));
        return json;
    }

    /** Query: {@code from} and {@code to} (ISO-8601; default the last 24 hours), {@code bucket} (ISO-8601 duration, e.g. PT1H). */
    private static Metrics metrics(JsonNode query) {
        Optional<Instant> to = Fields.queryInstant(query, "to");
        Optional<Instant> from = Fields.queryInstant(query, "from");
        Optional<Duration> bucket = Optional.empty();
        if (query.hasNonNull("bucket")) {
            try {
                bucket = Optional.of(Duration.parse(query.get("bucket").asText()));
            } catch (java.time.format.DateTimeParseException e) {
                throw invalid("[bucket] must be an ISO-8601 duration such as PT1H, not [" + query.get("bucket").asText() + "]",
                        "bucket");
            }
        }
        return new Metrics(Deployment.checkName(Fields.text(query, "name")), from, to, bucket);
    }

    private static ObjectNode windows(List<LiveMetrics.Window> windows) {
        ObjectNode json = Json.object();
        ArrayNode all = json.putArray("windows");
        for (LiveMetrics.Window w : windows) {
            ObjectNode o = all.addObject().put("from", w.from().toString()).put("to", w.to().toString());
            ArrayNode arms = o.putArray("arms");
            for (LiveMetrics.ArmMetrics a : w.arms()) {
                ObjectNode arm = arms.addObject().put("arm", a.arm()).put("kind", a.kind().id()).put("count", a.count());
                a.models().forEach(arm.putArray("models")::add);
                ObjectNode metrics = arm.putObject("metrics");
                a.metrics().forEach((metric, e) -> metrics.putObject(metric.id()).put("value", e.value()).put("low", e.low())
                        .put("high", e.high()));
            }
        }
        return json;
    }

    private static List<LiveMetrics.Window> windows(JsonNode json) {
        List<LiveMetrics.Window> windows = new ArrayList<>();
        for (JsonNode w : json.path("windows")) {
            List<LiveMetrics.ArmMetrics> arms = new ArrayList<>();
            for (JsonNode a : w.path("arms")) {
                Map<Metric, LiveMetrics.Estimate> metrics = new LinkedHashMap<>();
                a.path("metrics").fields().forEachRemaining(e -> metrics.put(Metric.parse(e.getKey()), new LiveMetrics.Estimate(
                        e.getValue().path("value").asDouble(), e.getValue().path("low").asDouble(),
                        e.getValue().path("high").asDouble())));
                List<String> models = new ArrayList<>();
                a.path("models").forEach(m -> models.add(m.asText()));
                arms.add(new LiveMetrics.ArmMetrics(a.path("arm").asText(), OutputKind.of(a.path("kind").asText()),
                        a.path("count").asInt(), models, metrics));
            }
            windows.add(new LiveMetrics.Window(Instant.parse(w.path("from").asText()), Instant.parse(w.path("to").asText()),
                    arms));
        }
        return windows;
    }

    private static ObjectNode stream(StreamState s) {
        ObjectNode json = Json.object();
        s.topic().ifPresent(t -> json.put("topic", t));
        return json.put("failed", s.failed()).put("error", s.error()).put("recorded", s.recorded())
                .put("duplicates", s.duplicates()).put("dead_lettered", s.deadLettered());
    }

    private static StreamState stream(JsonNode json) {
        return new StreamState(json.hasNonNull("topic") ? Optional.of(json.path("topic").asText()) : Optional.empty(),
                json.path("failed").asBoolean(), json.path("error").asText(""), json.path("recorded").asLong(),
                json.path("duplicates").asLong(), json.path("dead_lettered").asLong());
    }

    private static SeerException invalid(String message, String field) {
        return new SeerException(ServingErrorCode.INVALID_INPUT, message, Map.of("field", field));
    }
}
