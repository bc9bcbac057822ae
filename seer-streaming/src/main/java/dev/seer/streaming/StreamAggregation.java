package dev.seer.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.Definitions.FeatureView;
import dev.seer.features.OnlineStore;
import dev.seer.features.StreamRecords;
import dev.seer.features.WindowTiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
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
 * dead-letters the same records), which emits one event per view keyed by view and entity;
 * a repartition by that key (a source topic need not be keyed by entity); then an aggregate
 * whose state per key is the entity's {@link WindowTiles}. The aggregate's table is cached and
 * flushed at each commit; each flushed state is written to the online store before the commit
 * completes. The online write is outside Kafka's transaction, so it is made idempotent instead:
 * it overwrites the entity's tiles with a state that only grows, and the online store keeps the
 * state with the later latest event (on a tie, the newer write). A crash after a write and before
 * the commit replays the same events onto the committed state, rewriting the same values.
 *
 * <p>State stores are in memory and changelogged to Kafka: a restarted instance, or the one that
 * takes over a killed instance's partitions, restores them from the changelog first.
 */
final class StreamAggregation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamAggregation.class);
    static final String WATERMARKS = "seer-watermarks";
    static final String TILES = "seer-tiles";
    private static final char SEPARATOR = '\u0000';
    /** How long admitted views and rules are reused before the catalog is read again. */
    private static final long RULES_REFRESH_NANOS = 5_000_000_000L;

    private final KafkaStreams streams;
    private final String sourceName;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();

    /**
     * @param freshness hears, for each entity state written online, the seconds from its latest
     *                  event's time to the write
     */
    StreamAggregation(Catalog catalog, String sourceName, String topic, String bootstrap, Path stateDir, OnlineStore online,
            java.util.function.DoubleConsumer freshness) {
        this.sourceName = sourceName;
        Definitions definitions = new Definitions(catalog, sourceName);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WATERMARKS), Serdes.Integer(),
                Serdes.Long()));
        builder.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new Admit(definitions, admitted), WATERMARKS)
                .groupByKey(Grouped.with("seer-by-entity", Serdes.String(), Serdes.ByteArray()))
                .aggregate(() -> new byte[0], (key, event, state) -> definitions.tiles(key, state).add(event),
                        Materialized.<String, byte[]>as(Stores.inMemoryKeyValueStore(TILES))
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()))
                .toStream()
                .foreach((key, state) -> {
                    long latest = definitions.writeOnline(online, key, state);
                    if (latest != Long.MIN_VALUE) {
                        freshness.accept((System.currentTimeMillis() * 1000 - latest) / 1e6);
                        written.incrementAndGet();
                    }
                });
        streams = new KafkaStreams(builder.build(), properties(sourceName, bootstrap, stateDir));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Window aggregation of source [{}] failed; replacing its stream thread", sourceName, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    static boolean needed(Catalog catalog, String sourceName) {
        return !new Definitions(catalog, sourceName).views().isEmpty();
    }

    private static Properties properties(String sourceName, String bootstrap, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "seer-windows-" + sourceName);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100); // also how often online values are written
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 32L << 20);
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

    String source() {
        return sourceName;
    }

    @Override
    public void close() {
        streams.close(java.time.Duration.ofSeconds(15));
    }

    /** The source's rules and its views with aggregations, as currently defined; read again every few seconds. */
    static final class Definitions {
        private final Catalog catalog;
        private final String sourceName;
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

        List<FeatureView> views() {
            return loaded().views().values().stream().map(StreamRecords.WindowedView::view).toList();
        }

        StreamRecords rules() {
            return loaded().rules();
        }

        /** The running state of a key {@code view NUL entity}, to add an encoded event to. */
        Tiles tiles(String key, byte[] state) {
            StreamRecords.WindowedView view = loaded().views().get(key.substring(0, key.indexOf(SEPARATOR)));
            if (view == null) { // the view lost its aggregations since: keep the state as it was
                return event -> state;
            }
            WindowTiles tiles = WindowTiles.decode(view.view().aggregations(), state);
            return event -> {
                tiles.add(decodeEvent(event, view.view().aggregations().size()));
                return tiles.encode();
            };
        }

        /** Writes the state; returns its latest event time, or {@link Long#MIN_VALUE} if nothing was written. */
        long writeOnline(OnlineStore online, String key, byte[] state) {
            int separator = key.indexOf(SEPARATOR);
            StreamRecords.WindowedView view = loaded().views().get(key.substring(0, separator));
            if (view == null || state == null || state.length == 0) {
                return Long.MIN_VALUE;
            }
            WindowTiles tiles = WindowTiles.decode(view.view().aggregations(), state);
            online.write(WindowTiles.ONLINE_PREFIX + view.view().name(), List.of(tiles.onlineRecord(key.substring(separator + 1),
                    System.currentTimeMillis() * 1000)));
            return tiles.latestMicros();
        }
    }

    /** Adds one encoded event to a state, giving the new state. */
    interface Tiles {
        byte[] add(byte[] event);
    }

    /**
     * Checks each record as stream ingestion does, including lateness against the partition's
     * watermark, and emits one event per view with aggregations, keyed by view and entity.
     */
    private static final class Admit implements Processor<byte[], byte[], String, byte[]> {
        private final Definitions definitions;
        private final AtomicLong admitted;
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<Integer, Long> watermarks;

        Admit(Definitions definitions, AtomicLong admitted) {
            this.definitions = definitions;
            this.admitted = admitted;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.watermarks = context.getStateStore(WATERMARKS);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            StreamRecords rules = definitions.rules();
            JsonNode parsed;
            try {
                parsed = record.value() == null ? null : Json.parse(new String(record.value(), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                return; // not JSON: dead-lettered by stream ingestion
            }
            if (rules.check(parsed).isPresent()) {
                return;
            }
            int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
            Long watermark = watermarks.get(partition);
            long micros = rules.eventMicros(parsed);
            if (rules.late(micros, watermark == null ? Long.MIN_VALUE : watermark).isPresent()) {
                return;
            }
            if (watermark == null || micros > watermark) {
                watermarks.put(partition, micros);
            }
            for (StreamRecords.WindowedView view : definitions.loaded().views().values()) {
                WindowTiles.Event event = WindowTiles.event(view.view(), parsed, micros);
                context.forward(record.withKey(view.view().name() + SEPARATOR + view.entityKey(parsed))
                        .withValue(encodeEvent(event)));
            }
            admitted.incrementAndGet();
        }
    }

    static byte[] encodeEvent(WindowTiles.Event event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 9 * event.numbers().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(event.micros());
            for (int a = 0; a < event.numbers().length; a++) {
                out.writeDouble(event.numbers()[a]);
                out.writeBoolean(event.texts()[a] != null);
                if (event.texts()[a] != null) {
                    out.writeUTF(event.texts()[a]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static WindowTiles.Event decodeEvent(byte[] bytes, int aggregations) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long micros = in.readLong();
            double[] numbers = new double[aggregations];
            String[] texts = new String[aggregations];
            for (int a = 0; a < aggregations && in.available() > 0; a++) {
                numbers[a] = in.readDouble();
                texts[a] = in.readBoolean() ? in.readUTF() : null;
            }
            return new WindowTiles.Event(micros, numbers, texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
