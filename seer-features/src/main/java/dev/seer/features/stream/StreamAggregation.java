package dev.seer.features.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions.Aggregation;
import dev.seer.features.ingest.StreamRecords;
import dev.seer.features.online.OnlineRecord;
import dev.seer.features.online.OnlineStore;
import dev.seer.features.online.WindowTiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window aggregates of one streaming source's views, computed by a Kafka Streams topology
 * with {@code exactly_once_v2} and served from the online store.
 *
 * <p>Topology: the source topic, then <em>admit</em> (the rules of {@link StreamRecords} and
 * its lateness rule against a per-partition watermark kept in a state store, so it survives
 * restarts exactly as the offsets do; refused records are skipped here, since stream ingestion
 * dead-letters the same records), then the event is added to its entity's {@link WindowTiles}
 * in a {@link TileStore}. Two shapes: when the source is keyed by the windowed views' entity
 * ({@link StreamRecords#keyedByEntity}), one processor admits and aggregates in the partition
 * the record was read from, and the state per Kafka key bundles the tiles of every windowed
 * view; otherwise admit emits one event per view keyed by view and entity, Kafka repartitions
 * by that key, and a second processor aggregates. The shape, the stored states' format and a
 * digest of the windowed views' definitions are part of the application's name
 * ({@link #applicationId}), so an apply that changes them starts a new application, which
 * computes its state from the start of the topic rather than mixing states or events made
 * under other definitions. At each commit the tile store writes the states changed since the
 * last one to its changelog and to the online store, before the commit completes. The online
 * write is outside Kafka's transaction, so it is made idempotent instead: it overwrites the
 * entity's tiles with a state that only grows, and the online store keeps the state with the
 * later latest event and, on a tie, the one with more events ({@link WindowTiles#onlineRecord}).
 * A crash after a write and before the commit replays the same events onto the committed state,
 * rewriting the same values; a commit that fails after the write (the tile store is flushed
 * before a dirty close too) is followed by the same replay; and an instance that was paused
 * past its session, lost its tasks and wakes to flush what it had writes states with no more
 * events than the new owner's, which the store does not take.
 *
 * <p>State stores are in memory and changelogged to Kafka: a restarted instance, or the one that
 * takes over a killed instance's partitions, restores them from the changelog first.
 *
 * <p>Rewriting every state ({@link #rewriteOnline}), for an online store that lost its contents
 * (see {@code OnlineGuard}): the states a task committed are all in its tile store, but only the
 * stream thread may touch that store. So the request is posted and each task's aggregating
 * processor answers it from a wall-clock punctuation ({@link #REWRITE_POLL}), on the stream
 * thread, with a snapshot of its committed states (references to their encoded bytes, which are
 * never changed in place, so the copy is cheap). The caller waits until the topology is RUNNING
 * (so no active task is still restoring) and every active task of this process holding tiles has
 * answered, then writes the snapshots to the online store on its own thread, so a large rewrite
 * does not hold up the stream thread past its transaction's timeout. States changed since the
 * snapshot are written by the next commit as always; the store's conditional write keeps the
 * later of the two, so a snapshot never moves a state back. Only the tasks this process owns are
 * rewritten: with several processes sharing one online store, each one's guard rebuilds and
 * rewrites its own tasks.
 */
final class StreamAggregation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamAggregation.class);
    static final String WATERMARKS = "seer-watermarks";
    static final String TILES = "seer-tiles";
    private static final char SEPARATOR = '\u0000';
    /** Part of the application id's digest: a new layout of the stored states starts a new application. */
    private static final String STATE_FORMAT = "tile-bundles-3;";
    /** How often each task looks for a request to rewrite its states, and the caller for the answers. */
    static final Duration REWRITE_POLL = Duration.ofMillis(100);
    /** How many states go to the online store in one write of a rewrite. */
    private static final int REWRITE_CHUNK = 10_000;
    /** How long admitted views and rules are reused before the catalog is read again. */
    private static final long RULES_REFRESH_NANOS = 5_000_000_000L;

    private final KafkaStreams streams;
    private final String sourceName;
    /** Whether the source is keyed by the windowed views' entity: no repartition (see the class comment). */
    private final boolean direct;
    private final String applicationId;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    /** Says when a state reached the online store, for freshness. */
    private final Clock clock;
    private final OnlineStore online;
    private final Definitions definitions;
    /** The request to rewrite every state, if one is waiting for the tasks' answers (see the class comment). */
    private final Rewrites rewrites = new Rewrites();
    /** The subtopology whose tasks hold the tile stores: the one that answers a rewrite. */
    private final int tilesSubtopology;

    /**
     * @param freshness hears, for each entity state written online, the seconds from its latest
     *                  event's time to the write
     * @param clock says when that write happened
     */
    StreamAggregation(Catalog catalog, String sourceName, String topic, KafkaClients clients, Path stateDir, OnlineStore online,
            java.util.function.DoubleConsumer freshness, Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.online = requireNonNull(online, "online is null");
        this.sourceName = sourceName;
        Definitions definitions = new Definitions(catalog, sourceName);
        this.definitions = definitions;
        this.direct = definitions.rules().keyedByEntity();
        this.applicationId = applicationId(definitions.rules());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WATERMARKS), Serdes.Integer(),
                Serdes.Long()).withCachingEnabled()); // one changelog record per commit, not per event
        builder.addStateStore(TileStore.builder(TILES, definitions::aggregations));
        KStream<String, byte[]> source = builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()));
        Consumer<List<TileStore.Written>> writer = states -> writeOnline(online, definitions, states, freshness);
        if (direct) {
            source.process(() -> new AggregateInPlace(definitions, admitted, writer, rewrites), WATERMARKS, TILES);
        } else {
            source.process(() -> new AdmitByEntity(definitions, admitted), WATERMARKS)
                    .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("seer-by-entity"))
                    .process(() -> new AggregateByEntity(definitions, writer, rewrites), TILES);
        }
        Topology topology = builder.build();
        this.tilesSubtopology = tilesSubtopology(topology);
        streams = new KafkaStreams(topology, properties(applicationId, clients, stateDir));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Window aggregation of source [{}] failed; replacing its stream thread", sourceName, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /**
     * The Kafka Streams application (and consumer group) of a source's window aggregates:
     * {@code seer-windows-<source>-<digest>}, with {@code by-entity-} before the digest when it
     * repartitions; the digest covers each windowed view's name, join keys and aggregations.
     */
    static String applicationId(StreamRecords rules) {
        StringBuilder definition = new StringBuilder(STATE_FORMAT);
        for (StreamRecords.WindowedView view : rules.windowedViews()) {
            definition.append(view.view().name()).append(view.joinKeys());
            view.view().aggregations().forEach(a -> definition.append('|').append(a.name()).append(',')
                    .append(a.column().orElse("")).append(',').append(a.function()).append(',')
                    .append(a.window().toSeconds()).append(',').append(a.step().toSeconds()));
            definition.append(';');
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(definition.toString().getBytes(StandardCharsets.UTF_8));
            return "seer-windows-" + rules.source().name() + "-" + (rules.keyedByEntity() ? "" : "by-entity-")
                    + java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whether this topology still fits the definitions (else {@link Streaming} replaces it). */
    boolean fits(Catalog catalog) {
        return applicationId(StreamRecords.of(catalog, sourceName)).equals(applicationId);
    }

    private static int tilesSubtopology(Topology topology) {
        for (var subtopology : topology.describe().subtopologies()) {
            for (var node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor p && p.stores().contains(TILES)) {
                    return subtopology.id();
                }
            }
        }
        throw new IllegalStateException("No processor of the window topology holds the store " + TILES);
    }

    static boolean needed(Catalog catalog, String sourceName) {
        return !StreamRecords.of(catalog, sourceName).windowedViews().isEmpty();
    }

    private static Properties properties(String applicationId, KafkaClients clients, Path stateDir) {
        Properties p = clients.streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100); // also how often online values are written
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 128L << 20);
        // A member that dies costs its partitions this long before another takes them over.
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return p;
    }

    void start() {
        streams.start();
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    /** Events admitted into the aggregates, and entity states written online, since start. */
    long[] counts() {
        return new long[] {admitted.get(), written.get()};
    }

    @Override
    public void close() {
        streams.close(java.time.Duration.ofSeconds(15));
    }

    /**
     * Writes every state the tasks of this process committed into the online store again, once
     * the topology is RUNNING and each of its active tasks holding tiles took a snapshot (see the
     * class comment); the number of entity states written. One rewrite at a time.
     *
     * @throws SeerException {@link FeatureErrorCode#WINDOW_STATES_UNAVAILABLE} if that did not happen within {@code wait}
     */
    synchronized long rewriteOnline(Duration wait) {
        Rewrite request = new Rewrite(new ConcurrentHashMap<>());
        rewrites.pending = request;
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            Set<TaskId> owned = ownedTileTasks();
            while (owned == null || !request.snapshots().keySet().containsAll(owned)) {
                if (System.nanoTime() - deadline > 0) {
                    KafkaStreams.State state = streams.state();
                    String missing = owned == null ? "" : ", and its tasks " + owned.stream()
                            .filter(t -> !request.snapshots().containsKey(t)).map(TaskId::toString).sorted().toList()
                            + " did not answer";
                    throw new SeerException(FeatureErrorCode.WINDOW_STATES_UNAVAILABLE, "Window aggregates of source ["
                            + sourceName + "] could not be written again within " + wait + ": its aggregation is " + state
                            + missing, Map.of("source", sourceName, "state", state.name()));
                }
                Thread.sleep(REWRITE_POLL.toMillis());
                owned = ownedTileTasks();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeerException(FeatureErrorCode.WINDOW_STATES_UNAVAILABLE, "Interrupted while waiting for the window"
                    + " aggregates of source [" + sourceName + "]", Map.of("source", sourceName), e);
        } finally {
            rewrites.pending = null;
        }
        long count = 0;
        for (List<KeyValue<String, byte[]>> states : request.snapshots().values()) {
            for (int from = 0; from < states.size(); from += REWRITE_CHUNK) {
                count += writeStates(states.subList(from, Math.min(states.size(), from + REWRITE_CHUNK)));
            }
        }
        LOG.info("Wrote {} window states of source [{}] into the online store again", count, sourceName);
        return count;
    }

    /** The active tasks of this process whose processors hold tiles; null unless the topology is RUNNING. */
    private Set<TaskId> ownedTileTasks() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return null;
        }
        Set<TaskId> owned = new HashSet<>();
        for (var thread : streams.metadataForLocalThreads()) {
            thread.activeTasks().stream().map(TaskMetadata::taskId).filter(t -> t.subtopology() == tilesSubtopology)
                    .forEach(owned::add);
        }
        return owned;
    }

    /** Committed states (key, bundle) as the tile store holds them, to the online store; how many entity states. */
    private long writeStates(List<KeyValue<String, byte[]>> states) {
        Map<String, List<OnlineRecord>> byView = new java.util.LinkedHashMap<>();
        for (KeyValue<String, byte[]> state : states) {
            String entity = direct ? state.key : state.key.substring(state.key.indexOf(SEPARATOR) + 1);
            unbundle(state.value).forEach((view, bytes) -> byView.computeIfAbsent(view, v -> new java.util.ArrayList<>())
                    .add(WindowTiles.onlineRecord(entity, bytes)));
        }
        long count = 0;
        for (Map.Entry<String, List<OnlineRecord>> view : byView.entrySet()) {
            var defined = definitions.view(view.getKey());
            if (defined.isPresent()) { // a view no longer windowed: its states are not served
                online.write(WindowTiles.onlineNamespace(defined.get()), view.getValue());
                count += view.getValue().size();
            }
        }
        return count;
    }

    /** A request to rewrite every state: each task's snapshot of its committed states, by task. */
    private record Rewrite(Map<TaskId, List<KeyValue<String, byte[]>>> snapshots) {}

    /** Where a request waits for the tasks: each aggregating processor looks at every {@link #REWRITE_POLL}. */
    static final class Rewrites {
        private volatile Rewrite pending;

        /** Schedules the task's answer, on its stream thread. */
        void listen(ProcessorContext<?, ?> context, TileStore tiles) {
            TaskId task = context.taskId();
            context.schedule(REWRITE_POLL, PunctuationType.WALL_CLOCK_TIME, now -> {
                Rewrite request = pending;
                if (request != null && !request.snapshots().containsKey(task)) {
                    request.snapshots().put(task, tiles.committed());
                }
            });
        }
    }

    /** The source's rules and its views with aggregations, as currently defined; read again every few seconds. */
    static final class Definitions {
        private final Catalog catalog;
        final String sourceName;
        private volatile Loaded loaded;

        private record Loaded(StreamRecords rules, Map<String, StreamRecords.WindowedView> views, long at) {}

        Definitions(Catalog catalog, String sourceName) {
            this.catalog = catalog;
            this.sourceName = sourceName;
        }

        private Loaded loaded() {
            Loaded current = loaded;
            if (current == null || System.nanoTime() - current.at() > RULES_REFRESH_NANOS) {
                StreamRecords rules = StreamRecords.of(catalog, sourceName);
                Map<String, StreamRecords.WindowedView> views = new java.util.LinkedHashMap<>();
                rules.windowedViews().forEach(v -> views.put(v.view().name(), v));
                current = new Loaded(rules, views, System.nanoTime());
                loaded = current;
            }
            return current;
        }

        StreamRecords rules() {
            return loaded().rules();
        }

        /** A windowed view's definition, if it is still one of the source's windowed views. */
        Optional<dev.seer.features.definition.Definitions.FeatureView> view(String viewName) {
            return Optional.ofNullable(loaded().views().get(viewName)).map(StreamRecords.WindowedView::view);
        }

        /** A windowed view's aggregations, if it is still one of the source's windowed views. */
        Optional<List<Aggregation>> aggregations(String viewName) {
            return view(viewName).map(dev.seer.features.definition.Definitions.FeatureView::aggregations);
        }
    }

    /**
     * The states written at a commit, to the online store: one write per view, each state as of
     * its latest event, ordered by its count of events (see the class comment).
     */
    private void writeOnline(OnlineStore online, Definitions definitions, List<TileStore.Written> states,
            java.util.function.DoubleConsumer freshness) {
        java.time.Instant at = clock.instant();
        long now = Times.toMicros(at);
        Map<String, List<OnlineRecord>> byView = new java.util.LinkedHashMap<>();
        for (TileStore.Written state : states) {
            String entity = direct ? state.key() : state.key().substring(state.key().indexOf(SEPARATOR) + 1);
            state.encoded().forEach((view, bytes) -> byView.computeIfAbsent(view, v -> new java.util.ArrayList<>())
                    .add(WindowTiles.onlineRecord(entity, bytes)));
        }
        byView.forEach((view, records) -> definitions.view(view)
                .ifPresent(v -> online.write(WindowTiles.onlineNamespace(v), records)));
        for (List<OnlineRecord> records : byView.values()) {
            for (OnlineRecord record : records) {
                freshness.accept((now - record.eventMicros()) / 1e6);
            }
            written.addAndGet(records.size());
        }
    }

    /** A record admitted: its JSON and its event time. */
    private record Admitted(JsonNode record, long micros) {}

    /**
     * Checks a record as stream ingestion does, in the same order (rules, Kafka key, lateness
     * against the partition's watermark, which it then advances); returns it if admitted.
     */
    private static Admitted admit(Definitions definitions, KeyValueStore<Integer, Long> watermarks, int partition,
            String kafkaKey, byte[] value) {
        StreamRecords rules = definitions.rules();
        JsonNode parsed;
        try {
            parsed = value == null ? null : Json.parse(value);
        } catch (RuntimeException e) {
            return null; // not JSON: dead-lettered by stream ingestion
        }
        if (rules.check(parsed).isPresent() || rules.checkKey(kafkaKey, parsed).isPresent()) {
            return null;
        }
        Long watermark = watermarks.get(partition);
        long micros = rules.eventMicros(parsed);
        if (rules.late(micros, watermark == null ? Long.MIN_VALUE : watermark).isPresent()) {
            return null;
        }
        if (watermark == null || micros > watermark) {
            watermarks.put(partition, micros);
        }
        return new Admitted(parsed, micros);
    }

    /** Admits records and emits one event per windowed view, keyed by view and entity (then repartitioned). */
    private static final class AdmitByEntity implements Processor<String, byte[], String, byte[]> {
        private final Definitions definitions;
        private final AtomicLong admitted;
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<Integer, Long> watermarks;

        AdmitByEntity(Definitions definitions, AtomicLong admitted) {
            this.definitions = definitions;
            this.admitted = admitted;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.watermarks = context.getStateStore(WATERMARKS);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
            Admitted event = admit(definitions, watermarks, partition, record.key(), record.value());
            if (event == null) {
                return;
            }
            for (StreamRecords.WindowedView view : definitions.loaded().views().values()) {
                context.forward(record.withKey(view.view().name() + SEPARATOR + view.entityKey(event.record()))
                        .withValue(encodeEvent(WindowTiles.event(view.view(), event.record(), event.micros()))));
            }
            admitted.incrementAndGet();
        }
    }

    /** Adds each repartitioned event, keyed by view and entity, to that view's tiles of the entity. */
    private static final class AggregateByEntity implements Processor<String, byte[], Void, Void> {
        private final Definitions definitions;
        private final Consumer<List<TileStore.Written>> writer;
        private final Rewrites rewrites;
        private TileStore tiles;

        AggregateByEntity(Definitions definitions, Consumer<List<TileStore.Written>> writer, Rewrites rewrites) {
            this.definitions = definitions;
            this.writer = writer;
            this.rewrites = rewrites;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            tiles = context.getStateStore(TILES);
            tiles.onCommit(writer);
            rewrites.listen(context, tiles);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            String view = record.key().substring(0, record.key().indexOf(SEPARATOR));
            Optional<List<Aggregation>> aggregations = definitions.aggregations(view);
            if (aggregations.isEmpty()) { // the view lost its aggregations since; the application is being replaced
                return;
            }
            Map<String, WindowTiles> state = tiles.tiles(record.key());
            state.computeIfAbsent(view, v -> WindowTiles.empty(aggregations.get()))
                    .add(decodeEvent(record.value(), aggregations.get().size()));
            tiles.changed(record.key(), state);
        }
    }

    /**
     * Admits records of a source keyed by entity and adds each to every windowed view's tiles of
     * its entity, in the partition it was read from. Admission has already refused a record
     * whose key is not its key field's value; the check here only guards the assumption.
     */
    private static final class AggregateInPlace implements Processor<String, byte[], Void, Void> {
        private final Definitions definitions;
        private final AtomicLong admitted;
        private final Consumer<List<TileStore.Written>> writer;
        private final Rewrites rewrites;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<Integer, Long> watermarks;
        private TileStore tiles;

        AggregateInPlace(Definitions definitions, AtomicLong admitted, Consumer<List<TileStore.Written>> writer,
                Rewrites rewrites) {
            this.definitions = definitions;
            this.admitted = admitted;
            this.writer = writer;
            this.rewrites = rewrites;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.watermarks = context.getStateStore(WATERMARKS);
            this.tiles = context.getStateStore(TILES);
            tiles.onCommit(writer);
            rewrites.listen(context, tiles);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
            Admitted event = admit(definitions, watermarks, partition, record.key(), record.value());
            if (event == null) {
                return;
            }
            var views = definitions.loaded().views().values();
            for (StreamRecords.WindowedView view : views) {
                if (!view.entityKey(event.record()).equals(record.key())) {
                    LOG.warn("Record of source [{}] with key [{}] is not keyed by its entity [{}]; left out of window aggregates",
                            definitions.sourceName, record.key(), view.entityKey(event.record()));
                    return;
                }
            }
            Map<String, WindowTiles> state = tiles.tiles(record.key());
            for (StreamRecords.WindowedView view : views) {
                state.computeIfAbsent(view.view().name(), v -> WindowTiles.empty(view.view().aggregations()))
                        .add(WindowTiles.event(view.view(), event.record(), event.micros()));
            }
            tiles.changed(record.key(), state);
            admitted.incrementAndGet();
        }
    }

    /** Per-view byte strings as one: name length, name (UTF-8), value length, value; repeated. */
    static byte[] bundle(Map<String, byte[]> parts) {
        int size = 0;
        List<byte[]> names = new java.util.ArrayList<>();
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            byte[] name = part.getKey().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 8 + name.length + part.getValue().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        int i = 0;
        for (byte[] value : parts.values()) {
            byte[] name = names.get(i++);
            out.putInt(name.length).put(name).putInt(value.length).put(value);
        }
        return out.array();
    }

    static Map<String, byte[]> unbundle(byte[] bytes) {
        Map<String, byte[]> parts = new java.util.LinkedHashMap<>();
        if (bytes == null) {
            return parts;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        while (in.hasRemaining()) {
            byte[] name = new byte[in.getInt()];
            in.get(name);
            byte[] value = new byte[in.getInt()];
            in.get(value);
            parts.put(new String(name, StandardCharsets.UTF_8), value);
        }
        return parts;
    }

    /** Bytes: the time, then per aggregation the number and, if any, the text (length-prefixed UTF-8; -1 for none). */
    static byte[] encodeEvent(WindowTiles.Event event) {
        int n = event.numbers().length;
        byte[][] texts = new byte[n][];
        int size = 8 + 12 * n;
        for (int a = 0; a < n; a++) {
            if (event.texts()[a] != null) {
                texts[a] = event.texts()[a].getBytes(StandardCharsets.UTF_8);
                size += texts[a].length;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size).putLong(event.micros());
        for (int a = 0; a < n; a++) {
            out.putDouble(event.numbers()[a]).putInt(texts[a] == null ? -1 : texts[a].length);
            if (texts[a] != null) {
                out.put(texts[a]);
            }
        }
        return out.array();
    }

    static WindowTiles.Event decodeEvent(byte[] bytes, int aggregations) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long micros = in.getLong();
        double[] numbers = new double[aggregations];
        String[] texts = new String[aggregations];
        for (int a = 0; a < aggregations && in.hasRemaining(); a++) {
            numbers[a] = in.getDouble();
            int length = in.getInt();
            if (length >= 0) {
                texts[a] = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
                in.position(in.position() + length);
            }
        }
        return new WindowTiles.Event(micros, numbers, texts);
    }
}
