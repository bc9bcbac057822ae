package dev.seer.features.online;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.features.definition.Definitions;
import dev.seer.features.definition.Definitions.Aggregation;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.FeatureType;
import dev.seer.features.offline.WindowAggregator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The streaming side of window aggregates: one entity's running state for every aggregation of
 * a view, from which the value at any time at or after its latest event is computed, the same
 * value {@link WindowAggregator} computes in batch.
 *
 * <p>Design (tiles, as in Tecton and Chronon): each aggregation splits time into tiles of its
 * step, tile {@code i} holding the events with time in {@code (i * step, (i + 1) * step]}
 * (a continuous window has a one-microsecond step, so a tile per distinct event time). A tile
 * keeps what its function needs: the event count, and the sum, extreme, latest value or set of
 * values. Since a window's start is always a whole number of steps, the value over
 * {@code (S, T]} is a combination of whole tiles, so an event arriving out of order is simply
 * added to its tile. When the latest event time T advances, tiles wholly before the window
 * starting at T are dropped; they can count for no time at or after T. An event at or before
 * that start changes no value from T on, so it is not kept. The state is small and its binary
 * form goes to the Kafka Streams store; the online store keeps the same bytes, and lookups
 * compute the value at the time of the read.
 */
public final class WindowTiles {
    /** The online store's namespaces for window states begin with this (see {@link #onlineNamespace}). */
    public static final String ONLINE_PREFIX = "#windows:";
    /** The layout of the encoded state; part of the fingerprint, so states of another layout are never misread. */
    private static final int FORMAT = 2;

    private final List<Aggregation> aggregations;
    private final List<WindowAggregator.Function> functions;
    private final int fingerprint;
    private final List<TreeMap<Long, Tile>> tiles = new ArrayList<>();
    private long latest = Long.MIN_VALUE;
    /** Events added since the state began: grows with every event, so of two states of one entity with
     *  the same latest event, the one with more events has seen every event the other has. */
    private long added;

    /** What is derived from a view's aggregations once, not per event: their functions and fingerprint. */
    private record Layout(List<WindowAggregator.Function> functions, int fingerprint) {}

    private static final java.util.concurrent.ConcurrentHashMap<List<Aggregation>, Layout> LAYOUTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** One event of an entity: its time and, per aggregation, its value (NaN for null; text for distinct counts). */
    public record Event(long micros, double[] numbers, String[] texts) {}

    private WindowTiles(List<Aggregation> aggregations) {
        this.aggregations = aggregations;
        if (LAYOUTS.size() > 10_000) {
            LAYOUTS.clear(); // definitions change rarely; this only bounds a map of past ones
        }
        Layout layout = LAYOUTS.computeIfAbsent(List.copyOf(aggregations), WindowTiles::layout);
        this.functions = layout.functions();
        this.fingerprint = layout.fingerprint();
        aggregations.forEach(a -> tiles.add(new TreeMap<>()));
    }

    /**
     * The fingerprint hashes each definition's fields with String's specified hash, so that it is
     * the same in every JVM reading the state (a record's own hashCode is not specified).
     */
    private static Layout layout(List<Aggregation> aggregations) {
        int hash = FORMAT;
        for (Aggregation a : aggregations) {
            hash = 31 * hash + a.name().hashCode();
            hash = 31 * hash + a.column().orElse("").hashCode();
            hash = 31 * hash + a.function().hashCode();
            hash = 31 * hash + Long.hashCode(a.window().toSeconds());
            hash = 31 * hash + Long.hashCode(a.step().toSeconds());
        }
        return new Layout(aggregations.stream().map(a -> WindowAggregator.function(a.function())).toList(), hash);
    }

    public static WindowTiles empty(List<Aggregation> aggregations) {
        return new WindowTiles(aggregations);
    }

    /** The latest event time added, epoch micros; {@link Long#MIN_VALUE} when nothing was. */
    public long latestMicros() {
        return latest;
    }

    /**
     * The event a record of the view's source makes, given its event time. Values are read as
     * batch reads them: numbers as doubles, text for distinct counts of non-numeric features.
     */
    public static Event event(FeatureView view, JsonNode record, long micros) {
        List<Aggregation> aggregations = view.aggregations();
        double[] numbers = new double[aggregations.size()];
        String[] texts = new String[aggregations.size()];
        for (int a = 0; a < aggregations.size(); a++) {
            Aggregation aggregation = aggregations.get(a);
            JsonNode value = aggregation.column().map(record::get).orElse(null);
            boolean present = value != null && !value.isNull();
            FeatureType type = aggregation.column().flatMap(view::feature).map(Definitions.Feature::type).orElse(FeatureType.DOUBLE);
            // The offline store keeps a float in 32 bits, so batch reads 0.1 as 0.100000001...: so must the stream.
            double number = !present ? Double.NaN : type == FeatureType.FLOAT ? (double) (float) value.asDouble() : value.asDouble();
            numbers[a] = type.numeric() ? number : Double.NaN;
            if (aggregation.function().equals("distinct_count") && present) {
                texts[a] = type.numeric() ? Double.toString(number) : value.asText();
            }
        }
        return new Event(micros, numbers, texts);
    }

    /** Adds one event, in any order. */
    public void add(Event event) {
        added++;
        if (event.micros() > latest) {
            latest = event.micros();
            prune();
        }
        for (int a = 0; a < aggregations.size(); a++) {
            Aggregation aggregation = aggregations.get(a);
            if (event.micros() <= aggregation.windowStartMicros(latest)) {
                continue;
            }
            long id = Math.floorDiv(event.micros() - 1, aggregation.stepMicros());
            Tile tile = tiles.get(a).get(id);
            (tile == null ? newTile(a, id) : tile).add(event.micros(), event.numbers()[a], event.texts()[a]);
        }
    }

    private void prune() {
        for (int a = 0; a < aggregations.size(); a++) {
            Aggregation aggregation = aggregations.get(a);
            long firstTile = aggregation.windowStartMicros(latest) / aggregation.stepMicros();
            tiles.get(a).headMap(firstTile, false).clear();
        }
    }

    /**
     * The value of aggregation {@code index} over {@code (S, at]}, S being the window's start for
     * {@code at}; {@code at} must be at or after the latest event. NaN means null; a count with
     * no event is 0.
     */
    public double value(int index, long atMicros) {
        Aggregation aggregation = aggregations.get(index);
        long step = aggregation.stepMicros();
        Map<Long, Tile> window = tiles.get(index).subMap(aggregation.windowStartMicros(atMicros) / step, true,
                Math.floorDiv(atMicros - 1, step), true);
        long count = 0;
        long present = 0;
        double sum = 0;
        double compensation = 0;
        double extreme = Double.NaN;
        double last = Double.NaN;
        Set<String> distinct = new HashSet<>();
        WindowAggregator.Function function = functions.get(index);
        for (Tile tile : window.values()) {
            count += tile.count;
            present += tile.present;
            if (tile.present > 0) {
                double t = sum + tile.sum;
                compensation += Math.abs(sum) >= Math.abs(tile.sum) ? (sum - t) + tile.sum : (tile.sum - t) + sum;
                sum = t;
                boolean better = function == WindowAggregator.Function.MIN ? tile.extreme < extreme : tile.extreme > extreme;
                extreme = Double.isNaN(extreme) || better ? tile.extreme : extreme;
            }
            if (tile.count > 0) {
                last = tile.lastValue; // tiles ascend in time: the last one seen holds the latest event
            }
            if (tile.distinct != null) {
                distinct.addAll(tile.distinct);
            }
        }
        return switch (function) {
            case COUNT -> count;
            case SUM -> present == 0 ? Double.NaN : sum + compensation;
            case MEAN -> present == 0 ? Double.NaN : (sum + compensation) / present;
            case MIN, MAX -> extreme;
            case LAST -> count == 0 ? Double.NaN : last;
            case DISTINCT_COUNT -> distinct.size();
        };
    }

    /** What one tile of one aggregation keeps; only the fields its function needs are stored. */
    private static final class Tile {
        final long id;
        long count;
        long present;
        double sum;
        double extreme = Double.NaN;
        long lastMicros = Long.MIN_VALUE;
        double lastValue = Double.NaN;
        Set<String> distinct;

        Tile(long id) {
            this.id = id;
        }

        void add(long micros, double value, String text) {
            count++;
            if (micros >= lastMicros) { // a tie goes to the event that came later, as batch gives it to the row stored later
                lastMicros = micros;
                lastValue = value;
            }
            if (text != null) {
                if (distinct == null) {
                    distinct = new HashSet<>();
                }
                distinct.add(text);
            }
            if (Double.isNaN(value)) {
                return;
            }
            present++;
            sum += value;
            extreme = Double.isNaN(extreme) ? value : min ? Math.min(extreme, value) : Math.max(extreme, value);
        }

        /** Whether {@link #extreme} is a minimum (else a maximum); set by the owner, from the function. */
        private boolean min;

        void mode(boolean minimum) {
            this.min = minimum;
        }
    }

    // ---- encoding: the Kafka Streams store and the online store keep these bytes ----

    /** Bytes: fingerprint, latest, events added, then per aggregation its tile count and tiles (id, count, the function's fields). */
    public byte[] encode() {
        int size = 20;
        for (int a = 0; a < aggregations.size(); a++) {
            size += 4;
            for (Tile tile : tiles.get(a).values()) {
                size += 16 + switch (functions.get(a)) {
                    case SUM, MEAN, MIN, MAX, LAST -> 16;
                    case DISTINCT_COUNT -> 4 + (tile.distinct == null ? 0 : tile.distinct.stream()
                            .mapToInt(v -> 4 + v.getBytes(StandardCharsets.UTF_8).length).sum());
                    case COUNT -> 0;
                };
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(fingerprint).putLong(latest).putLong(added);
        for (int a = 0; a < aggregations.size(); a++) {
            out.putInt(tiles.get(a).size());
            for (Tile tile : tiles.get(a).values()) {
                out.putLong(tile.id).putLong(tile.count);
                switch (functions.get(a)) {
                    case SUM, MEAN -> out.putLong(tile.present).putDouble(tile.sum);
                    case MIN, MAX -> out.putLong(tile.present).putDouble(tile.extreme);
                    case LAST -> out.putLong(tile.lastMicros).putDouble(tile.lastValue);
                    case DISTINCT_COUNT -> {
                        Set<String> values = tile.distinct == null ? Set.of() : tile.distinct;
                        out.putInt(values.size());
                        for (String value : values) {
                            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                            out.putInt(bytes.length).put(bytes);
                        }
                    }
                    case COUNT -> { }
                }
            }
        }
        return out.array();
    }

    /** The state in {@code bytes}, or an empty one if there are none or they were made for other aggregations. */
    public static WindowTiles decode(List<Aggregation> aggregations, byte[] bytes) {
        WindowTiles state = new WindowTiles(aggregations);
        if (bytes == null || bytes.length == 0) {
            return state;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            if (in.getInt() != state.fingerprint) { // made for other aggregations: dropped, not misread
                return state;
            }
            state.latest = in.getLong();
            state.added = in.getLong();
            for (int a = 0; a < aggregations.size(); a++) {
                int n = in.getInt();
                for (int i = 0; i < n; i++) {
                    Tile tile = state.newTile(a, in.getLong());
                    tile.count = in.getLong();
                    switch (state.functions.get(a)) {
                        case SUM, MEAN -> {
                            tile.present = in.getLong();
                            tile.sum = in.getDouble();
                        }
                        case MIN, MAX -> {
                            tile.present = in.getLong();
                            tile.extreme = in.getDouble();
                        }
                        case LAST -> {
                            tile.lastMicros = in.getLong();
                            tile.lastValue = in.getDouble();
                        }
                        case DISTINCT_COUNT -> {
                            int values = in.getInt();
                            tile.distinct = new HashSet<>();
                            for (int v = 0; v < values; v++) {
                                byte[] text = new byte[in.getInt()];
                                in.get(text);
                                tile.distinct.add(new String(text, StandardCharsets.UTF_8));
                            }
                        }
                        case COUNT -> { }
                    }
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalStateException("Window state is truncated (" + bytes.length + " bytes)", e);
        }
        return state;
    }

    private Tile newTile(int aggregation, long id) {
        Tile tile = new Tile(id);
        tile.mode(functions.get(aggregation) == WindowAggregator.Function.MIN);
        tiles.get(aggregation).put(id, tile);
        return tile;
    }

    /**
     * The online store's namespace for a view's window states: the view's name and the
     * fingerprint of its aggregations, so states made under other definitions (or an older
     * layout) are never compared with, nor read as, the current ones.
     */
    public static String onlineNamespace(FeatureView view) {
        Layout layout = LAYOUTS.computeIfAbsent(List.copyOf(view.aggregations()), WindowTiles::layout);
        return ONLINE_PREFIX + view.name() + "@" + Integer.toHexString(layout.fingerprint());
    }

    /**
     * What the online store keeps for the entity: this state, as of its latest event, with the
     * number of events added as its "created" order. The store keeps the later latest event and,
     * on a tie, the greater order: a state with no more events than the stored one (a replay
     * after a crash, or an instance that was paused, lost its partitions and wakes to write what
     * it had) never replaces it, in one store or when the stores of several processes are read
     * together; an equal order means the same events, so the same state.
     */
    public OnlineRecord onlineRecord(String entityKey) {
        return new OnlineRecord(entityKey, latest, added, toOnlineJson());
    }

    /**
     * The online record of a state already encoded (as the Kafka Streams store holds it), made
     * without decoding it: its latest event time and count are at fixed places.
     */
    public static OnlineRecord onlineRecord(String entityKey, byte[] encoded) {
        ByteBuffer bytes = ByteBuffer.wrap(encoded);
        long latest = bytes.getLong(4);
        return new OnlineRecord(entityKey, latest, bytes.getLong(12), onlineJson(latest, encoded));
    }

    private static String onlineJson(long latest, byte[] encoded) {
        return "{\"latest\":" + latest + ",\"tiles\":\"" + Base64.getEncoder().encodeToString(encoded) + "\"}";
    }

    /** The online store's form: canonical JSON holding the latest event time and the tiles' bytes. */
    public String toOnlineJson() {
        return onlineJson(latest, encode());
    }

    public static WindowTiles fromOnlineJson(List<Aggregation> aggregations, String json) {
        return decode(aggregations, Base64.getDecoder().decode(Json.parse(json).path("tiles").asText()));
    }
}
