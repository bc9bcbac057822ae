package dev.seer.features.online;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.features.IsoTimes;
import dev.seer.features.definition.Definitions.Feature;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.Definitions.Source;
import dev.seer.features.definition.FeatureRefs;
import dev.seer.features.definition.FeatureType;
import dev.seer.features.offline.PointInTimeJoin;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A view's online row made straight from a streaming record, so that a record is served as
 * soon as it is read rather than once its micro-batch is stored and materialised.
 *
 * <p>The row must be the one {@link Materializer} writes later from the offline store, so that
 * the two writes agree (the later of equal rows simply rewrites it). That holds for the views
 * this class accepts ({@link #of}): every feature is a plain source column of the same type (no
 * expression and no cast, which DuckDB would compute), and the join keys are strings or
 * integers (whose text DuckDB and Java write alike). Values take the form DuckDB's
 * {@code to_json} gives the stored types: a float as its 32-bit value widened to a double, a
 * timestamp as {@code yyyy-MM-dd HH:mm:ss[.ffffff]+00} with the fraction's trailing zeros
 * dropped. {@code OnlineRowsTest} compares both paths on random records of every type. Other
 * views keep the materialiser's path only.
 */
public final class OnlineRows {
    private static final Set<FeatureType> KEY_TYPES = Set.of(FeatureType.STRING, FeatureType.INT, FeatureType.LONG);

    private final FeatureView view;
    private final Source source;
    private final List<String> joinKeys;

    private final List<Feature> features;
    /** Each feature's name, quoted for JSON and followed by a colon. */
    private final List<String> names;

    private OnlineRows(FeatureView view, Source source, List<String> joinKeys) {
        this.view = view;
        this.source = source;
        this.joinKeys = List.copyOf(joinKeys);
        this.features = view.features();
        this.names = features.stream().map(f -> quoted(new StringBuilder(), f.name()).append(':').toString()).toList();
    }

    private static StringBuilder quoted(StringBuilder out, String text) {
        return out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(text)).append('"');
    }

    /** The view's row maker, if its rows can be made here exactly as the materialiser makes them (see the class comment). */
    public static Optional<OnlineRows> of(Source source, FeatureView view, List<String> joinKeys) {
        for (Feature feature : view.features()) {
            if (feature.expression().isPresent() || source.schema().get(feature.name()) != feature.type()) {
                return Optional.empty();
            }
        }
        for (String key : joinKeys) {
            if (!KEY_TYPES.contains(source.schema().get(key))) {
                return Optional.empty();
            }
        }
        return Optional.of(new OnlineRows(view, source, joinKeys));
    }

    public String view() {
        return view.name();
    }

    /** Equal when made for the same definitions: a view redefined since is another. */
    @Override
    public boolean equals(Object other) {
        return other instanceof OnlineRows rows && rows.view.equals(view) && rows.source.equals(source)
                && rows.joinKeys.equals(joinKeys);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(view, source, joinKeys);
    }

    /**
     * The row of a record that passed the source's checks, with its event time; empty if a
     * timestamp lies outside the years 1 to 9999 or a string column holds a number or a boolean
     * (DuckDB writes those its own way; the materialiser's row then stands alone).
     */
    public Optional<OnlineRecord> row(JsonNode record, long eventMicros) {
        // Written by hand, not through a Jackson tree: this runs for every record read, and the
        // text only has to parse to the same values (OnlineRowsTest parses both sides).
        StringBuilder values = new StringBuilder(64).append('{');
        for (int f = 0; f < features.size(); f++) {
            Feature feature = features.get(f);
            values.append(f == 0 ? "" : ",").append(names.get(f));
            JsonNode value = record.get(feature.name());
            if (value == null || value.isNull()) {
                values.append("null");
                continue;
            }
            switch (feature.type()) {
                case BOOL -> values.append(value.asBoolean());
                case INT, LONG -> values.append(value.asLong());
                case FLOAT -> values.append((double) (float) value.asDouble());
                case DOUBLE -> values.append(value.asDouble());
                case STRING -> {
                    if (!value.isTextual()) { // DuckDB writes a number's text its own way: left to the materialiser
                        return Optional.empty();
                    }
                    quoted(values, value.asText());
                }
                case TIMESTAMP -> {
                    Optional<String> text = duckTimestamp(IsoTimes.micros(value.asText()));
                    if (text.isEmpty()) {
                        return Optional.empty();
                    }
                    values.append('"').append(text.get()).append('"');
                }
            }
        }
        values.append('}');
        long created = PointInTimeJoin.NO_TIME;
        if (source.createdTimestampField().isPresent()) {
            JsonNode value = record.get(source.createdTimestampField().get());
            created = value == null || value.isNull() ? PointInTimeJoin.NO_TIME : IsoTimes.micros(value.asText());
        }
        List<String> keys = new java.util.ArrayList<>(joinKeys.size());
        for (String key : joinKeys) {
            JsonNode value = record.path(key);
            if (source.schema().get(key) == FeatureType.STRING && !value.isTextual()) {
                return Optional.empty(); // as for a string feature holding a number
            }
            keys.add(value.asText());
        }
        return Optional.of(new OnlineRecord(FeatureRefs.entityKey(keys), eventMicros, created, values.toString()));
    }

    /** DuckDB's text of a TIMESTAMPTZ in UTC, as {@code to_json} writes it; empty outside the years 1 to 9999. */
    static Optional<String> duckTimestamp(long micros) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000), 0, ZoneOffset.UTC);
        if (time.getYear() < 1 || time.getYear() > 9999) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(32);
        pad(text, time.getYear(), 4).append('-');
        pad(text, time.getMonthValue(), 2).append('-');
        pad(text, time.getDayOfMonth(), 2).append(' ');
        pad(text, time.getHour(), 2).append(':');
        pad(text, time.getMinute(), 2).append(':');
        pad(text, time.getSecond(), 2);
        long fraction = Math.floorMod(micros, 1_000_000);
        if (fraction != 0) {
            int digits = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            pad(text.append('.'), fraction, digits);
        }
        return Optional.of(text.append("+00").toString());
    }

    private static StringBuilder pad(StringBuilder text, long value, int width) {
        String digits = Long.toString(value);
        text.append("0".repeat(Math.max(0, width - digits.length())));
        return text.append(digits);
    }
}
