package dev.seer.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.FeatureLookup;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import dev.seer.features.online.Materializer;
import dev.seer.metadata.ApiToken;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.IssuedToken;
import dev.seer.metadata.TreeHead;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JSON shapes of the API, both ways: the server writes them and the CLI, talking to a
 * running server, reads them back into the same domain values the local path returns.
 */
public final class ApiJson {
    private ApiJson() {}

    public static ObjectNode page(AuditPage page) {
        ObjectNode node = Json.object();
        ArrayNode entries = node.putArray("entries");
        page.entries().forEach(entry -> entries.add(entry(entry)));
        if (page.nextAfter().isPresent()) {
            node.put("next_after", page.nextAfter().getAsLong());
        } else {
            node.putNull("next_after");
        }
        return node;
    }

    public static AuditPage page(JsonNode node) {
        List<AuditEntry> entries = new java.util.ArrayList<>();
        node.path("entries").forEach(entry -> entries.add(entry(entry)));
        JsonNode next = node.path("next_after");
        return new AuditPage(entries, next.isNumber() ? OptionalLong.of(next.asLong()) : OptionalLong.empty());
    }

    /** An entry with its payload as a JSON object rather than the stored canonical text. */
    public static ObjectNode entry(AuditEntry entry) {
        ObjectNode node = Json.mapper().valueToTree(entry);
        node.set("payload", Json.parse(entry.payload()));
        return node;
    }

    public static AuditEntry entry(JsonNode node) {
        ObjectNode copy = node.deepCopy();
        copy.put("payload", Json.canonical(node.path("payload")));
        return read(copy, AuditEntry.class);
    }

    public static ObjectNode verification(AuditVerification verification) {
        ObjectNode node = Json.object();
        node.put("ok", verification.ok());
        node.put("entries_checked", verification.entriesChecked());
        node.set("tree_head", Json.parse(verification.head().toJson()));
        verification.problem().ifPresentOrElse(problem -> {
            ObjectNode p = node.putObject("problem");
            p.put("kind", problem.kind().name());
            p.put("seq", problem.seq());
            p.put("message", problem.message());
        }, () -> node.putNull("problem"));
        return node;
    }

    public static AuditVerification verification(JsonNode node) {
        JsonNode p = node.path("problem");
        Optional<AuditVerification.Problem> problem = p.isObject()
                ? Optional.of(new AuditVerification.Problem(AuditVerification.Kind.valueOf(p.path("kind").asText()),
                        p.path("seq").asLong(), p.path("message").asText()))
                : Optional.empty();
        return new AuditVerification(node.path("entries_checked").asLong(), treeHead(node.path("tree_head")), problem);
    }

    public static JsonNode treeHead(TreeHead head) {
        return Json.parse(head.toJson());
    }

    public static TreeHead treeHead(JsonNode node) {
        return TreeHead.fromJson(Json.write(node));
    }

    public static JsonNode token(ApiToken token) {
        ObjectNode node = Json.object();
        node.put("id", token.id());
        node.put("name", token.name());
        node.put("role", token.role().id());
        node.put("created", token.created().toString());
        node.put("created_by", token.createdBy());
        node.put("active", token.active());
        token.revoked().ifPresentOrElse(r -> node.put("revoked", r.toString()), () -> node.putNull("revoked"));
        return node;
    }

    public static ApiToken token(JsonNode node) {
        JsonNode revoked = node.path("revoked");
        return new ApiToken(node.path("id").asText(), node.path("name").asText(),
                dev.seer.core.Role.parse(node.path("role").asText()), java.time.Instant.parse(node.path("created").asText()),
                node.path("created_by").asText(),
                revoked.isTextual() ? Optional.of(java.time.Instant.parse(revoked.asText())) : Optional.empty());
    }

    public static ArrayNode tokens(List<ApiToken> tokens) {
        ArrayNode array = Json.mapper().createArrayNode();
        tokens.forEach(t -> array.add(token(t)));
        return array;
    }

    public static List<ApiToken> tokens(JsonNode node) {
        List<ApiToken> tokens = new java.util.ArrayList<>();
        node.forEach(t -> tokens.add(token(t)));
        return tokens;
    }

    public static ObjectNode issued(IssuedToken issued) {
        ObjectNode node = Json.object();
        node.set("token", token(issued.token()));
        node.put("secret", issued.secret());
        return node;
    }

    public static IssuedToken issued(JsonNode node) {
        return new IssuedToken(token(node.path("token")), node.path("secret").asText());
    }

    public static ArrayNode changes(List<FeatureRegistry.Change> changes) {
        ArrayNode array = Json.mapper().createArrayNode();
        changes.forEach(c -> array.addObject().put("kind", c.kind()).put("name", c.name())
                .put("action", c.action().name()).put("version", c.version()));
        return array;
    }

    public static List<FeatureRegistry.Change> changes(JsonNode node) {
        List<FeatureRegistry.Change> changes = new java.util.ArrayList<>();
        node.forEach(c -> changes.add(new FeatureRegistry.Change(c.path("kind").asText(), c.path("name").asText(),
                FeatureRegistry.Action.valueOf(c.path("action").asText()), c.path("version").asInt())));
        return changes;
    }

    public static ObjectNode catalogEntry(CatalogEntry entry) {
        ObjectNode node = Json.object();
        node.put("kind", entry.kind());
        node.put("name", entry.name());
        node.put("version", entry.version());
        node.set("body", entry.body());
        node.put("body_hash", entry.bodyHash());
        node.put("created", entry.created().toString());
        node.put("created_by", entry.createdBy());
        return node;
    }

    public static CatalogEntry catalogEntry(JsonNode node) {
        return new CatalogEntry(node.path("kind").asText(), node.path("name").asText(), node.path("version").asInt(),
                node.path("body"), node.path("body_hash").asText(), java.time.Instant.parse(node.path("created").asText()),
                node.path("created_by").asText());
    }

    public static ArrayNode catalogEntries(List<CatalogEntry> entries) {
        ArrayNode array = Json.mapper().createArrayNode();
        entries.forEach(e -> array.add(catalogEntry(e)));
        return array;
    }

    public static List<CatalogEntry> catalogEntries(JsonNode node) {
        List<CatalogEntry> entries = new java.util.ArrayList<>();
        node.forEach(e -> entries.add(catalogEntry(e)));
        return entries;
    }

    public static ObjectNode ingestReport(IngestReport report) {
        ObjectNode node = Json.object();
        node.put("batch_id", report.batchId()).put("source", report.source()).put("content_hash", report.contentHash())
                .put("rows_read", report.rowsRead()).put("rows_written", report.rowsWritten())
                .put("rows_quarantined", report.rowsQuarantined()).put("millis", report.took().toMillis())
                .put("already_ingested", report.alreadyIngested());
        ArrayNode views = node.putArray("views");
        report.views().forEach(views::add);
        return node;
    }

    public static IngestReport ingestReport(JsonNode node) {
        List<String> views = new java.util.ArrayList<>();
        node.path("views").forEach(v -> views.add(v.asText()));
        return new IngestReport(node.path("batch_id").asText(), node.path("source").asText(),
                node.path("content_hash").asText(), node.path("rows_read").asLong(), node.path("rows_written").asLong(),
                node.path("rows_quarantined").asLong(), views, java.time.Duration.ofMillis(node.path("millis").asLong()),
                node.path("already_ingested").asBoolean());
    }

    public static ObjectNode historical(PointInTimeRetrieval.Result report) {
        ObjectNode node = Json.object();
        node.put("rows", report.rows()).put("matched", report.matched()).put("out", report.out().toString())
                .put("join_millis", report.joinMillis()).put("passes", report.passes());
        ArrayNode columns = node.putArray("columns");
        report.columns().forEach(columns::add);
        return node;
    }

    public static PointInTimeRetrieval.Result historical(JsonNode node) {
        List<String> columns = new java.util.ArrayList<>();
        node.path("columns").forEach(c -> columns.add(c.asText()));
        return new PointInTimeRetrieval.Result(node.path("rows").asLong(), node.path("matched").asLong(), columns,
                java.nio.file.Path.of(node.path("out").asText()), node.path("join_millis").asLong(), node.path("passes").asInt(),
                List.of(), java.util.Optional.empty()); // the wire form carries no inputs: the dataset's lineage does
    }

    public static ObjectNode materialized(Materializer.Report report) {
        ObjectNode node = Json.object();
        node.put("end", report.end().toString());
        ObjectNode written = node.putObject("written");
        report.written().forEach(written::put);
        return node;
    }

    public static Materializer.Report materialized(JsonNode node) {
        java.util.Map<String, Long> written = new java.util.LinkedHashMap<>();
        node.path("written").fields().forEachRemaining(e -> written.put(e.getKey(), e.getValue().asLong()));
        return new Materializer.Report(written, java.time.Instant.parse(node.path("end").asText()));
    }

    /** The online response as a tree (CLI output); the same JSON as {@link #onlineBytes}, which writes it. */
    public static ObjectNode online(List<FeatureLookup.EntityValues> results) {
        return (ObjectNode) Json.parse(new String(onlineBytes(results), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The online response as bytes; see {@link #writeOnline}. */
    public static byte[] onlineBytes(List<FeatureLookup.EntityValues> results) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256 + results.size() * 2048);
        try {
            writeOnline(results, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // writing to memory
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the online response without building a tree (on the online route a tree cost as
     * much as the lookup) and without an intermediate array: the route streams it into the
     * response, so a lookup allocates no copies of its answer.
     */
    public static void writeOnline(List<FeatureLookup.EntityValues> results, java.io.OutputStream target) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonGenerator out = Json.mapper().getFactory().createGenerator(target)) {
            out.writeStartObject();
            out.writeArrayFieldStart("results");
            for (FeatureLookup.EntityValues result : results) {
                writeEntity(out, result);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
    }

    private static void writeEntity(com.fasterxml.jackson.core.JsonGenerator out, FeatureLookup.EntityValues result)
            throws java.io.IOException {
        out.writeStartObject();
        out.writeObjectFieldStart("entity");
        for (java.util.Map.Entry<String, String> key : result.entity().entrySet()) {
            out.writeStringField(key.getKey(), key.getValue());
        }
        out.writeEndObject();
        out.writeObjectFieldStart("features");
        java.time.Instant lastTime = null;
        SerializedString lastText = null;
        for (FeatureLookup.Value value : result.values()) {
            out.writeFieldName(OnlineNames.of(value.feature()));
            out.writeStartObject();
            out.writeFieldName(VALUE);
            writeValue(out, value.value());
            out.writeFieldName(STATUS_FIELD);
            out.writeString(STATUS[value.status().ordinal()]);
            out.writeFieldName(EVENT_TIME);
            if (value.eventTime().isEmpty()) {
                out.writeNull();
            } else {
                if (!value.eventTime().get().equals(lastTime)) { // the features of a view share one time
                    lastTime = value.eventTime().get();
                    lastText = new SerializedString(lastTime.toString());
                }
                out.writeString(lastText);
            }
            out.writeEndObject();
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    /*
     * Names written on every lookup, encoded once: the generator then copies their UTF-8 bytes
     * instead of checking and encoding each character (a tenth of the online route's CPU).
     */
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString STATUS_FIELD = new SerializedString("status");
    private static final SerializedString EVENT_TIME = new SerializedString("event_time");

    /** Encoded feature names; bounded, since names come from definitions, which a long-lived server may see change. */
    private static final class OnlineNames {
        private static final int MAX = 100_000;
        private static final java.util.concurrent.ConcurrentHashMap<String, SerializedString> NAMES =
                new java.util.concurrent.ConcurrentHashMap<>();

        static SerializedString of(String name) {
            SerializedString known = NAMES.get(name);
            if (known != null) {
                return known;
            }
            SerializedString made = new SerializedString(name);
            if (NAMES.size() < MAX) {
                NAMES.putIfAbsent(name, made);
            }
            return made;
        }
    }

    /**
     * A feature value. Scalars are written directly: {@code writeTree} makes a serializer
     * provider per call, which for 50 features was a tenth of what a lookup allocated.
     */
    private static void writeValue(com.fasterxml.jackson.core.JsonGenerator out, JsonNode value) throws java.io.IOException {
        switch (value.getNodeType()) {
            case NULL, MISSING -> out.writeNull();
            case BOOLEAN -> out.writeBoolean(value.booleanValue());
            case STRING -> out.writeString(value.textValue());
            case NUMBER -> writeNumber(out, value);
            default -> out.writeTree(value);
        }
    }

    private static void writeNumber(com.fasterxml.jackson.core.JsonGenerator out, JsonNode value) throws java.io.IOException {
        switch (value.numberType()) {
            case INT -> out.writeNumber(value.intValue());
            case LONG -> out.writeNumber(value.longValue());
            case DOUBLE -> out.writeNumber(value.doubleValue());
            default -> out.writeTree(value); // float, big integer, big decimal: as Jackson writes them
        }
    }

    private static final SerializedString[] STATUS = java.util.Arrays.stream(FeatureLookup.Status.values())
            .map(s -> new SerializedString(s.name().toLowerCase(java.util.Locale.ROOT))).toArray(SerializedString[]::new);

    public static List<FeatureLookup.EntityValues> online(JsonNode node) {
        List<FeatureLookup.EntityValues> results = new java.util.ArrayList<>();
        for (JsonNode item : node.path("results")) {
            java.util.Map<String, String> entity = new java.util.LinkedHashMap<>();
            item.path("entity").fields().forEachRemaining(e -> entity.put(e.getKey(), e.getValue().asText()));
            List<FeatureLookup.Value> values = new java.util.ArrayList<>();
            item.path("features").fields().forEachRemaining(e -> values.add(new FeatureLookup.Value(e.getKey(),
                    e.getValue().path("value"), FeatureLookup.Status.valueOf(e.getValue().path("status").asText()
                            .toUpperCase(java.util.Locale.ROOT)),
                    e.getValue().path("event_time").isTextual()
                            ? java.util.Optional.of(java.time.Instant.parse(e.getValue().path("event_time").asText()))
                            : java.util.Optional.empty())));
            results.add(new FeatureLookup.EntityValues(entity, values));
        }
        return results;
    }

    /** A consistency check: what was compared, what was skipped and why, and every difference. */
    public static ObjectNode consistency(dev.seer.features.online.ConsistencyCheck.Report report) {
        ObjectNode node = Json.object();
        node.put("view", report.view());
        node.put("at", report.at().toString());
        node.put("sampled", report.sampled());
        node.put("compared", report.compared());
        node.put("values", report.values());
        node.put("missing_online", report.missingOnline());
        node.put("consistent", report.consistent());
        var skipped = node.putArray("skipped");
        for (var s : report.skipped()) {
            skipped.addObject().put("entity", s.entity()).put("reason", s.reason());
        }
        var differences = node.putArray("differences");
        for (var d : report.differences()) {
            ObjectNode item = differences.addObject();
            item.put("entity", d.entity());
            item.put("feature", d.feature());
            item.put("online", d.online());
            item.put("batch", d.batch());
        }
        return node;
    }

    public static dev.seer.features.online.ConsistencyCheck.Report consistency(JsonNode node) {
        List<dev.seer.features.online.ConsistencyCheck.Skipped> skipped = new java.util.ArrayList<>();
        node.path("skipped").forEach(s -> skipped.add(new dev.seer.features.online.ConsistencyCheck.Skipped(
                s.path("entity").asText(), s.path("reason").asText())));
        List<dev.seer.features.online.ConsistencyCheck.Difference> differences = new java.util.ArrayList<>();
        node.path("differences").forEach(d -> differences.add(new dev.seer.features.online.ConsistencyCheck.Difference(
                d.path("entity").asText(), d.path("feature").asText(), number(d.path("online")), number(d.path("batch")))));
        return new dev.seer.features.online.ConsistencyCheck.Report(node.path("view").asText(),
                java.time.Instant.parse(node.path("at").asText()), node.path("sampled").asInt(), node.path("compared").asInt(),
                node.path("values").asInt(), node.path("missing_online").asInt(), skipped, differences);
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }

    public static ObjectNode streamingStatus(StreamOperations.Report report) {
        ObjectNode node = Json.object().put("state", report.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("error", report.error());
        ArrayNode array = node.putArray("sources");
        for (var source : report.sources()) {
            ObjectNode s = array.addObject().put("source", source.source()).put("topic", source.topic())
                    .put("ingested", source.ingested()).put("dead_lettered", source.deadLettered());
            ObjectNode lag = s.putObject("lag");
            source.lag().forEach((partition, records) -> lag.put(Integer.toString(partition), records));
            ArrayNode assigned = s.putArray("assigned");
            source.assigned().forEach(assigned::add);
            if (!Double.isNaN(source.freshnessP50())) {
                s.put("freshness_p50_seconds", source.freshnessP50()).put("freshness_p99_seconds", source.freshnessP99());
            }
            if (!source.windows().isEmpty()) {
                ObjectNode windows = s.putObject("windows").put("state", source.windows()).put("events", source.windowEvents())
                        .put("writes", source.windowWrites());
                if (!Double.isNaN(source.windowFreshnessP50())) {
                    windows.put("freshness_p50_seconds", source.windowFreshnessP50())
                            .put("freshness_p99_seconds", source.windowFreshnessP99());
                }
            }
        }
        return node;
    }

    /** Read back: a freshness the answer leaves out (nothing measured yet) is NaN, as the server had it. */
    public static StreamOperations.Report streamingStatus(JsonNode node) {
        dev.seer.core.provenance.Fields f = new dev.seer.core.provenance.Fields(node, "streaming status");
        String state = f.text("state").toUpperCase(java.util.Locale.ROOT);
        if (java.util.Arrays.stream(dev.seer.features.stream.Streaming.State.values()).noneMatch(s -> s.name().equals(state))) {
            throw new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, "Unknown streaming state [" + f.text("state") + "]",
                    Map.of("field", "state"));
        }
        List<dev.seer.features.stream.Streaming.SourceStatus> sources = new java.util.ArrayList<>();
        for (JsonNode source : f.array("sources")) {
            dev.seer.core.provenance.Fields s = new dev.seer.core.provenance.Fields(source, "streaming source status");
            Map<Integer, Long> lag = new java.util.LinkedHashMap<>();
            s.object("lag").fields().forEachRemaining(e -> lag.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
            java.util.Set<Integer> assigned = new java.util.LinkedHashSet<>();
            s.array("assigned").forEach(p -> assigned.add(p.asInt()));
            dev.seer.core.provenance.Fields w = new dev.seer.core.provenance.Fields(s.present("windows")
                    ? s.object("windows") : Json.object(), "window aggregation status");
            sources.add(new dev.seer.features.stream.Streaming.SourceStatus(s.text("source"), s.text("topic"), lag, assigned,
                    s.number("ingested"), s.number("dead_lettered"), seconds(source, "freshness_p50_seconds"),
                    seconds(source, "freshness_p99_seconds"), w.textOr("state", ""), w.numberOr("events", 0),
                    w.numberOr("writes", 0), seconds(source.path("windows"), "freshness_p50_seconds"),
                    seconds(source.path("windows"), "freshness_p99_seconds")));
        }
        return new StreamOperations.Report(dev.seer.features.stream.Streaming.State.valueOf(state), f.textOr("error", ""),
                sources);
    }

    private static double seconds(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? Double.NaN : value.asDouble();
    }

    public static ArrayNode deadLetters(List<dev.seer.features.stream.DeadLetter> letters) {
        ArrayNode array = Json.mapper().createArrayNode();
        letters.forEach(l -> array.addObject().put("source", l.source()).put("topic", l.topic()).put("partition", l.partition())
                .put("offset", l.offset()).put("error", l.error()).put("value", l.value())
                .put("dead_letter_partition", l.deadLetterPartition()).put("dead_letter_offset", l.deadLetterOffset()));
        return array;
    }

    public static List<dev.seer.features.stream.DeadLetter> deadLetters(JsonNode node) {
        List<dev.seer.features.stream.DeadLetter> letters = new java.util.ArrayList<>();
        node.forEach(l -> letters.add(new dev.seer.features.stream.DeadLetter(l.path("source").asText(), l.path("topic").asText(),
                l.path("partition").asInt(), l.path("offset").asLong(), l.path("error").asText(), l.path("value").asText(),
                l.path("dead_letter_partition").asInt(), l.path("dead_letter_offset").asLong())));
        return letters;
    }

    public static ArrayNode quarantine(List<QuarantineRecord> records) {
        ArrayNode array = Json.mapper().createArrayNode();
        records.forEach(r -> array.addObject().put("batch_id", r.batchId()).put("row", r.row()).put("view", r.view())
                .put("column", r.column()).put("reason", r.reason()).put("record", r.record()));
        return array;
    }

    public static List<QuarantineRecord> quarantine(JsonNode node) {
        List<QuarantineRecord> records = new java.util.ArrayList<>();
        node.forEach(r -> records.add(new QuarantineRecord(r.path("batch_id").asText(), r.path("row").asLong(),
                r.path("view").asText(), r.path("column").asText(), r.path("reason").asText(), r.path("record").asText())));
        return records;
    }

    public static JsonNode proof(InclusionProof proof) {
        return Json.mapper().valueToTree(proof);
    }

    public static InclusionProof proof(JsonNode node) {
        return read(node, InclusionProof.class);
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Server answered with an unexpected shape for " + type.getSimpleName(), e);
        }
    }

    /** A list of values as an array, each by {@code encode}. */
    static <T> ArrayNode list(List<T> values, java.util.function.Function<T, ObjectNode> encode) {
        ArrayNode array = Json.mapper().createArrayNode();
        values.forEach(v -> array.add(encode.apply(v)));
        return array;
    }

    /** An array read back by {@code decode}; absent or not an array: none. */
    static <T> List<T> list(JsonNode node, java.util.function.Function<JsonNode, T> decode) {
        List<T> values = new java.util.ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> values.add(decode.apply(n)));
        }
        return values;
    }

    /** A map of texts as an object, keys sorted. */
    static ObjectNode texts(Map<String, String> map) {
        ObjectNode node = Json.object();
        new java.util.TreeMap<>(map).forEach(node::put);
        return node;
    }

    /** An object of texts read back, in its order. */
    static Map<String, String> texts(JsonNode node) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
