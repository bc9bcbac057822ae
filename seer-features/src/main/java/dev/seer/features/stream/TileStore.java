package dev.seer.features.stream;

import dev.seer.features.definition.Definitions.Aggregation;
import dev.seer.features.online.WindowTiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The window states of one Kafka Streams task, per key a bundle of {@link WindowTiles} by view,
 * kept decoded between commits and written, encoded, to a changelogged store once per commit.
 *
 * <p>Why not the DSL's cached aggregate: its record cache holds bytes in a sorted map, so every
 * event paid a sorted lookup, a decode and an encode of the entity's whole state, and a sorted
 * put (about half of the stream thread's time in a profile of the benchmark). Here an event
 * costs a hash lookup and a tile update; a state is encoded only when a commit needs it.
 *
 * <p>The commit point: Kafka Streams flushes every {@link CachedStateStore} before it flushes
 * its producer and commits the transaction with the input offsets (StreamTask#prepareCommit,
 * for a periodic commit, a rebalance and a clean close alike). {@link #flushCache} then writes
 * each state changed since the last commit to the changelogged store, so inside the same
 * transaction, and hands the encoded states to the online writer. {@code CachedStateStore} is
 * an internal interface of Kafka Streams (the hook its own caching layer uses); the version is
 * pinned, and {@code TileStoreTest} fails if the hook is no longer called. Kafka Streams also
 * flushes before a dirty close (a failed commit, a fenced producer): those states go to a
 * transaction that is then aborted, and to the online store, which is safe for the same reason
 * a replay is (see {@link StreamAggregation}); the decoded states are then dropped and the store
 * is restored from the changelog, which holds exactly the committed states. A crash writes
 * nothing more. The changelog records carry the time of the last record processed, as Kafka
 * Streams gives it outside a record; the changelog is compacted, so that time is never used.
 */
final class TileStore implements StateStore, CachedStateStore<Object, Object> {
    /**
     * Beyond this many decoded states per task, those not changed since the last commit are
     * dropped (their encoded copies stay in the store). Not an LRU: an access-ordered map
     * rewrote links between long-lived entries on every lookup, which G1 pays for in card
     * refinement; dropping the clean states at once costs a decode of the hot ones afterwards.
     */
    static final int MAX_DECODED = 200_000;

    /** A state written at a commit: the key and, per view, its tiles and their encoded bytes. */
    record Written(String key, Map<String, WindowTiles> tiles, Map<String, byte[]> encoded) {}

    private final String name;
    private final Function<String, Optional<List<Aggregation>>> aggregations;
    private final int maxDecoded;
    private final KeyValueStore<Bytes, byte[]> log;
    private final Map<String, Map<String, WindowTiles>> decoded = new HashMap<>();
    /** The states changed since the last commit (the same objects as in {@link #decoded}). */
    private final Map<String, Map<String, WindowTiles>> dirty = new LinkedHashMap<>();
    private Consumer<List<Written>> onCommit = written -> { };

    /**
     * @param aggregations a view's aggregations by its name; empty once it has none (its states are then dropped)
     */
    private TileStore(String name, Function<String, Optional<List<Aggregation>>> aggregations, int maxDecoded) {
        this.name = name;
        this.aggregations = aggregations;
        this.maxDecoded = maxDecoded;
        this.log = Stores.keyValueStoreBuilder(HashStore.supplier(name), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(Map.of()).withCachingDisabled().build();
    }

    static StoreBuilder<TileStore> builder(String name, Function<String, Optional<List<Aggregation>>> aggregations) {
        return builder(name, aggregations, MAX_DECODED);
    }

    static StoreBuilder<TileStore> builder(String name, Function<String, Optional<List<Aggregation>>> aggregations,
            int maxDecoded) {
        return new Builder(name, aggregations, maxDecoded);
    }

    /** Who hears the states written at each commit, before the commit completes. */
    void onCommit(Consumer<List<Written>> listener) {
        this.onCommit = listener;
    }

    /** The key's tiles by view, to be changed in place and then passed to {@link #changed}. */
    Map<String, WindowTiles> tiles(String key) {
        Map<String, WindowTiles> state = decoded.get(key);
        if (state == null) {
            if (decoded.size() >= maxDecoded && dirty.size() <= maxDecoded / 2) {
                decoded.keySet().retainAll(dirty.keySet()); // at least half the bound goes, so this is rare
            }
            state = decode(log.get(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8))));
            decoded.put(key, state);
        }
        return state;
    }

    /**
     * Every state as of the last commit (key, per-view bundle), without those changed since,
     * which the next commit writes: for rewriting the online store (see {@link StreamAggregation}).
     * The bundles are shared, not copied: the store replaces a state's bytes, never changes them.
     */
    List<KeyValue<String, byte[]>> committed() {
        List<KeyValue<String, byte[]>> states = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = log.all()) {
            all.forEachRemaining(e -> states.add(KeyValue.pair(new String(e.key.get(), StandardCharsets.UTF_8), e.value)));
        }
        return states;
    }

    /** How many states are held decoded now. */
    int decodedStates() {
        return decoded.size();
    }

    void changed(String key, Map<String, WindowTiles> state) {
        dirty.put(key, state);
    }

    private Map<String, WindowTiles> decode(byte[] bundle) {
        Map<String, WindowTiles> state = new LinkedHashMap<>();
        StreamAggregation.unbundle(bundle).forEach((view, bytes) -> aggregations.apply(view)
                .ifPresent(a -> state.put(view, WindowTiles.decode(a, bytes))));
        return state;
    }

    /** The commit point (see the class comment): changed states to the changelog, then to the listener. */
    @Override
    public void flushCache() {
        if (dirty.isEmpty()) {
            return;
        }
        List<Written> written = new ArrayList<>(dirty.size());
        for (Map.Entry<String, Map<String, WindowTiles>> entry : dirty.entrySet()) {
            String key = entry.getKey();
            Map<String, WindowTiles> state = entry.getValue();
            Map<String, byte[]> encoded = new LinkedHashMap<>();
            state.forEach((view, tiles) -> encoded.put(view, tiles.encode()));
            log.put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), StreamAggregation.bundle(encoded));
            written.add(new Written(key, state, encoded));
        }
        dirty.clear();
        trim();
        onCommit.accept(written);
    }

    /** Back to the bound once the states a burst kept (they were dirty) are written. */
    private void trim() {
        if (decoded.size() > maxDecoded) {
            decoded.clear();
        }
    }

    /** Restoration wrote to the changelogged store directly: decoded states may be stale. */
    @Override
    public void clearCache() {
        decoded.clear();
        dirty.clear();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false; // nothing is forwarded downstream; the online writer is set by onCommit
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        clearCache();
        log.init(context, root); // registers this store (root) under its name, with the changelog's restorer
    }

    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public void close() {
        clearCache();
        log.close();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return log.isOpen();
    }

    @Override
    public Position getPosition() {
        return log.getPosition();
    }

    /** Always changelogged and never cached by Kafka Streams: the store is its own cache. */
    private record Builder(String name, Function<String, Optional<List<Aggregation>>> aggregations, int maxDecoded)
            implements StoreBuilder<TileStore> {
        @Override
        public StoreBuilder<TileStore> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<TileStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<TileStore> withLoggingEnabled(Map<String, String> config) {
            return this;
        }

        @Override
        public StoreBuilder<TileStore> withLoggingDisabled() {
            throw new UnsupportedOperationException("Window states must be changelogged for exactly-once");
        }

        @Override
        public TileStore build() {
            return new TileStore(name, aggregations, maxDecoded);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return true;
        }
    }
}
