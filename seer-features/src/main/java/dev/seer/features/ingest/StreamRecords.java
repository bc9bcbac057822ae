package dev.seer.features.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.IsoTimes;
import dev.seer.features.definition.Definitions;
import dev.seer.features.definition.Definitions.Feature;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.Definitions.Source;
import dev.seer.features.definition.FeatureRefs;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.FeatureType;
import dev.seer.features.definition.Stored;
import dev.seer.features.online.OnlineRows;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules one record of a push or kafka source must pass, checked in Java one record at a
 * time (a push is refused, a streamed record goes to the dead-letter topic): a JSON object; the
 * timestamp field an ISO-8601 time of {@link IsoTimes#FORM} (no offset means UTC); the join keys
 * of every view on the source present; every declared field of its declared JSON type; and the
 * views' checks (not_null, min, max, allowed). These are the rules batch ingestion applies in
 * DuckDB to the source's JSONL, with the same reasons, so a record that passes here is never
 * quarantined there ({@code RecordRulesTest} pins the two). Fields outside the schema are dropped.
 *
 * <p>Internal to seer-features: public only so that definition and stream can reach it; no other
 * module uses it (ArchitectureTest keeps it so).
 */
public final class StreamRecords {
    /** Why a record was refused: the field (empty for the record as a whole) and the reason. */
    public record Problem(String field, String reason) {
        public String describe() {
            return field.isEmpty() ? reason : "[" + field + "] " + reason;
        }
    }

    /** A view of this source with window aggregations, and its join keys. */
    public record WindowedView(FeatureView view, List<String> joinKeys) {
        /** The record's entity key for this view, as the online store keys it. */
        public String entityKey(JsonNode record) {
            return StreamRecords.entityKey(joinKeys, record);
        }
    }

    private final Source source;
    private final List<String> keyFields;
    private final List<Feature> checked;
    private final List<WindowedView> windowedViews;
    private final List<OnlineRows> onlineRows;

    private StreamRecords(Source source, List<String> keyFields, List<Feature> checked, List<WindowedView> windowedViews,
            List<OnlineRows> onlineRows) {
        this.source = source;
        this.keyFields = List.copyOf(keyFields);
        this.checked = List.copyOf(checked);
        this.windowedViews = List.copyOf(windowedViews);
        this.onlineRows = List.copyOf(onlineRows);
    }

    /** The rules of a streaming source as currently applied; fails if the source is unknown or reads files. */
    public static StreamRecords of(Catalog catalog, String sourceName) {
        Source source = catalog.latest(FeatureRegistry.SOURCE, sourceName).map(e -> Stored.source(e.body()))
                .orElseThrow(() -> new SeerException(FeatureErrorCode.VIEW_NOT_FOUND, "Source [" + sourceName
                        + "] is not defined; run `seer apply` first", Map.of("source", sourceName)));
        if (!source.streaming()) {
            throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, "Source [" + sourceName + "] is a file source;"
                    + " only push and kafka sources take records (ingest files with `seer ingest`)", Map.of("source", sourceName));
        }
        Set<String> keys = new LinkedHashSet<>();
        List<Feature> checked = new ArrayList<>();
        List<WindowedView> windowed = new ArrayList<>();
        List<OnlineRows> rows = new ArrayList<>();
        for (var entry : catalog.latestOfKind(FeatureRegistry.VIEW)) {
            FeatureView view = Stored.view(entry.body());
            if (view.source().equals(sourceName)) {
                List<String> joinKeys = FeatureRefs.joinKeys(catalog, view);
                keys.addAll(joinKeys);
                view.features().stream().filter(f -> f.expression().isEmpty()).forEach(checked::add);
                if (!view.aggregations().isEmpty()) {
                    windowed.add(new WindowedView(view, joinKeys));
                }
                OnlineRows.of(source, view, joinKeys).ifPresent(rows::add);
            }
        }
        return new StreamRecords(source, new ArrayList<>(keys), checked, windowed, rows);
    }

    /** The push and kafka sources currently defined. */
    public static List<Source> streamingSources(Catalog catalog) {
        return catalog.latestOfKind(FeatureRegistry.SOURCE).stream().map(e -> Stored.source(e.body()))
                .filter(Source::streaming).toList();
    }

    public Source source() {
        return source;
    }

    /**
     * Whether every record of an entity of the windowed views is in one partition, so that
     * window aggregation needs no repartition: the windowed views all have one join key, and the
     * source is a kafka source whose {@code key_field} is that key (ingestion dead-letters a
     * record keyed otherwise, so both paths leave out the same records). A push source is not:
     * its records are keyed by the join keys in force when they were pushed, which a later
     * apply can change for the records already in the topic.
     */
    public boolean keyedByEntity() {
        if (windowedViews.isEmpty() || windowedViews.stream().map(WindowedView::joinKeys).distinct().count() != 1) {
            return false;
        }
        List<String> joinKeys = windowedViews.get(0).joinKeys();
        return source.keyField().map(k -> joinKeys.equals(List.of(k))).orElse(false);
    }

    /**
     * For a kafka source with {@code key_field}: the record's Kafka key must be that field's
     * value, or the record would sit in another entity's partition.
     */
    public Optional<Problem> checkKey(String kafkaKey, JsonNode record) {
        if (source.keyField().isEmpty()) {
            return Optional.empty();
        }
        String field = source.keyField().get();
        String value = record.path(field).asText();
        return value.equals(kafkaKey) ? Optional.empty() : Optional.of(new Problem(field, "the Kafka key ["
                + kafkaKey + "] is not the value [" + value + "] of key_field [" + field + "]"));
    }

    /**
     * The views of this source whose latest rows are written online as records are read
     * ({@link OnlineRows#of} says which); the others are written once a micro-batch is stored.
     */
    public List<OnlineRows> onlineRows() {
        return onlineRows;
    }

    /** The views of this source that declare window aggregations. */
    public List<WindowedView> windowedViews() {
        return windowedViews;
    }

    /** The join key fields of the views on this source, in order: a record's Kafka key is made of them. */
    List<String> keyFields() {
        return keyFields;
    }

    /** The first rule the record breaks, if any. */
    public Optional<Problem> check(JsonNode record) {
        if (record == null || !record.isObject()) {
            return Optional.of(new Problem("", "the record is not a JSON object"));
        }
        Optional<Problem> time = time(record, source.timestampField(), true);
        if (time.isPresent()) {
            return time;
        }
        if (source.createdTimestampField().isPresent()) {
            Optional<Problem> created = time(record, source.createdTimestampField().get(), false);
            if (created.isPresent()) {
                return created;
            }
        }
        for (String key : keyFields) {
            if (isMissing(record.get(key))) {
                return Optional.of(new Problem(key, "join key is missing"));
            }
        }
        for (Map.Entry<String, FeatureType> field : source.schema().entrySet()) {
            JsonNode value = record.get(field.getKey());
            if (!isMissing(value) && !fits(value, field.getValue())) {
                return Optional.of(new Problem(field.getKey(), "value [" + text(value) + "] is not a " + field.getValue().id()));
            }
        }
        for (Feature feature : checked) {
            Optional<Problem> problem = checks(feature, record.get(feature.name()));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** The record's entity key: its join key values, joined as the online store joins them. */
    public String key(JsonNode record) {
        return entityKey(keyFields, record);
    }

    private static String entityKey(List<String> fields, JsonNode record) {
        List<String> parts = new ArrayList<>(fields.size());
        fields.forEach(k -> parts.add(record.path(k).asText()));
        return FeatureRefs.entityKey(parts);
    }

    /** The record's event time; call only on a record that passed {@link #check}. */
    public Instant eventTime(JsonNode record) {
        return parseTime(record.get(source.timestampField()).asText()).orElseThrow();
    }

    /** The record's event time in epoch microseconds; call only on a record that passed {@link #check}. */
    public long eventMicros(JsonNode record) {
        return IsoTimes.micros(record.get(source.timestampField()).asText());
    }

    /**
     * Whether an event is too late to take: with an {@code allowed_lateness} L, an event more
     * than L before the latest event time of its partition so far (the watermark; earlier
     * records, by offset) is refused. Stream ingestion and the aggregation topology both apply
     * this to the same records in the same order, so both refuse the same events.
     *
     * @param watermarkMicros the latest event time of the partition before this record, {@link Long#MIN_VALUE} if none
     */
    public Optional<Problem> late(long eventMicros, long watermarkMicros) {
        long lateness = source.allowedLateness().toNanos() / 1000;
        if (lateness == 0 || watermarkMicros == Long.MIN_VALUE || eventMicros >= watermarkMicros - lateness) {
            return Optional.empty();
        }
        return Optional.of(new Problem(source.timestampField(), "late: event time " + Times.ofMicros(eventMicros) + " is more than "
                + source.allowedLateness() + " (allowed_lateness) before " + Times.ofMicros(watermarkMicros)
                + ", the latest event time of its partition"));
    }

    /**
     * The record reduced to the declared fields, as staged for the offline store: written field by
     * field when serialised, not copied into a new object first (this runs for every record).
     */
    public JsonSerializable staged(JsonNode record) {
        return new Staged(record, source.schema().keySet());
    }

    private record Staged(JsonNode record, Set<String> fields) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            for (String field : fields) {
                JsonNode value = record.get(field);
                if (value != null) {
                    out.writeFieldName(field);
                    ((JsonSerializable) value).serialize(out, provider); // every JsonNode is
                }
            }
            out.writeEndObject();
        }

        @Override
        public void serializeWithType(JsonGenerator out, SerializerProvider provider, TypeSerializer types)
                throws IOException {
            serialize(out, provider);
        }
    }

    private static Optional<Problem> time(JsonNode record, String field, boolean required) {
        JsonNode value = record.get(field);
        if (isMissing(value)) {
            return required ? Optional.of(new Problem(field, "event timestamp is missing")) : Optional.empty();
        }
        if (!value.isTextual() || parseTime(value.asText()).isEmpty()) {
            return Optional.of(new Problem(field, "value [" + text(value) + "] is not a timestamp"));
        }
        return Optional.empty();
    }

    static Optional<Instant> parseTime(String text) {
        return IsoTimes.parse(text);
    }

    /** A value as the quarantine's reasons show it: a string without its quotes, an object or array as JSON. */
    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String shown(JsonNode number, boolean isFloat) {
        return isFloat ? Float.toString((float) number.asDouble()) : number.toString();
    }

    private static boolean isMissing(JsonNode value) {
        return value == null || value.isNull();
    }

    private static boolean fits(JsonNode value, FeatureType type) {
        return switch (type) {
            case BOOL -> value.isBoolean();
            case INT -> value.isIntegralNumber() && value.canConvertToInt();
            case LONG -> value.isIntegralNumber() && value.canConvertToLong();
            // JSON has no infinity: a number beyond the type's range is not of the type (staged, it would be "Infinity")
            case FLOAT -> value.isNumber() && Float.isFinite((float) value.asDouble());
            case DOUBLE -> value.isNumber() && Double.isFinite(value.asDouble());
            case STRING -> value.isTextual() || value.isNumber() || value.isBoolean();
            case TIMESTAMP -> value.isTextual() && parseTime(value.asText()).isPresent();
        };
    }

    private static Optional<Problem> checks(Feature feature, JsonNode value) {
        Definitions.Checks checks = feature.checks();
        String name = feature.name();
        if (isMissing(value)) {
            return checks.notNull() ? Optional.of(new Problem(name, "value is missing (not_null)")) : Optional.empty();
        }
        if (value.isNumber() && (checks.min().isPresent() || checks.max().isPresent())) {
            // A float feature is checked as the float it is stored as (1.50000001 is 1.5), as batch does.
            boolean isFloat = feature.type() == FeatureType.FLOAT;
            double number = isFloat ? (float) value.asDouble() : value.asDouble();
            if (checks.min().isPresent() && number < checks.min().get()) {
                return Optional.of(new Problem(name, "value " + shown(value, isFloat) + " is below min " + checks.min().get()));
            }
            if (checks.max().isPresent() && number > checks.max().get()) {
                return Optional.of(new Problem(name, "value " + shown(value, isFloat) + " is above max " + checks.max().get()));
            }
        }
        if (checks.allowed().isPresent() && !checks.allowed().get().contains(value.asText())) {
            return Optional.of(new Problem(name, "value [" + value.asText() + "] is not one of " + checks.allowed().get()));
        }
        return Optional.empty();
    }
}
