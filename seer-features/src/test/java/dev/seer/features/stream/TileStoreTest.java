package dev.seer.features.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.seer.features.definition.Definitions.Aggregation;
import dev.seer.features.online.WindowTiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * The tile store's commit point, run by Kafka Streams' own driver (which commits after each
 * record): the states changed before a commit reach the listener and the changelog, and a state
 * dropped from the decoded ones is read back from the store.
 */
class TileStoreTest {
    private static final List<Aggregation> AGGREGATIONS = List.of(
            new Aggregation("amount_sum_1h", Optional.of("amount"), "sum", Duration.ofHours(1)),
            new Aggregation("count_1h", Optional.empty(), "count", Duration.ofHours(1)));
    private static final long HOUR = 3_600_000_000L;

    /** Adds "micros,amount" values to view v of the record's key. */
    private static final class Adder implements Processor<String, String, Void, Void> {
        private final List<TileStore.Written> heard;
        private TileStore store;
        static int decodedAtMost;

        Adder(List<TileStore.Written> heard) {
            this.heard = heard;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore("tiles");
            store.onCommit(heard::addAll);
        }

        @Override
        public void process(Record<String, String> record) {
            String[] parts = record.value().split(",");
            Map<String, WindowTiles> state = store.tiles(record.key());
            state.computeIfAbsent("v", v -> WindowTiles.empty(AGGREGATIONS)).add(new WindowTiles.Event(
                    Long.parseLong(parts[0]), new double[] {Double.parseDouble(parts[1]), Double.NaN}, new String[2]));
            store.changed(record.key(), state);
            decodedAtMost = Math.max(decodedAtMost, store.decodedStates());
        }
    }

    private static TopologyTestDriver driver(List<TileStore.Written> heard, int maxDecoded) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(TileStore.builder("tiles", v -> v.equals("v") ? Optional.of(AGGREGATIONS) : Optional.empty(),
                maxDecoded));
        builder.stream("events", Consumed.with(Serdes.String(), Serdes.String())).process(() -> new Adder(heard), "tiles");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        return new TopologyTestDriver(builder.build(), p);
    }

    private static double value(WindowTiles tiles, int aggregation, long at) {
        return tiles.value(aggregation, at);
    }

    @Test
    void eachCommitWritesTheChangedStatesToTheListenerAndTheChangelog() {
        List<TileStore.Written> heard = new ArrayList<>();
        try (TopologyTestDriver driver = driver(heard, 1000)) {
            TestInputTopic<String, String> events = driver.createInputTopic("events", new StringSerializer(),
                    new StringSerializer());
            TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic("app-tiles-changelog",
                    new StringDeserializer(), new ByteArrayDeserializer());
            events.pipeInput("a", HOUR + ",2.5");
            events.pipeInput("b", HOUR + ",1");
            events.pipeInput("a", (HOUR + 10) + ",4");

            assertEquals(List.of("a", "b", "a"), heard.stream().map(TileStore.Written::key).toList());
            TileStore.Written last = heard.get(2);
            assertEquals(6.5, value(last.tiles().get("v"), 0, HOUR + 10));
            assertEquals(2.0, value(last.tiles().get("v"), 1, HOUR + 10));
            var logged = changelog.readKeyValuesToList();
            assertEquals(List.of("a", "b", "a"), logged.stream().map(kv -> kv.key).toList());
            byte[] encoded = StreamAggregation.unbundle(logged.get(2).value).get("v");
            assertNotNull(encoded, "the changelog holds the bundle of view v");
            assertEquals(6.5, value(WindowTiles.decode(AGGREGATIONS, encoded), 0, HOUR + 10));
            assertEquals(java.util.Arrays.toString(last.encoded().get("v")), java.util.Arrays.toString(encoded));
        }
    }

    @Test
    void aStateDroppedFromTheDecodedOnesIsReadBackFromTheStore() {
        List<TileStore.Written> heard = new ArrayList<>();
        Adder.decodedAtMost = 0;
        try (TopologyTestDriver driver = driver(heard, 2)) {
            TestInputTopic<String, String> events = driver.createInputTopic("events", new StringSerializer(),
                    new StringSerializer());
            events.pipeInput("a", HOUR + ",1");
            events.pipeInput("a", (HOUR + 1) + ",2");
            for (String key : List.of("b", "c", "d", "e")) { // the bound is reached: a is dropped with the other clean states
                events.pipeInput(key, HOUR + ",100");
            }
            events.pipeInput("a", (HOUR + 2) + ",4");

            assertEquals(2, Adder.decodedAtMost, "never more than two states decoded");
            TileStore.Written a = heard.get(heard.size() - 1);
            assertEquals("a", a.key());
            assertEquals(7.0, value(a.tiles().get("v"), 0, HOUR + 2), "a's earlier events survive being dropped");
            assertEquals(3.0, value(a.tiles().get("v"), 1, HOUR + 2));
            assertEquals(0.0, value(a.tiles().get("v"), 1, 3 * HOUR), "all of a's events left the 1 h window");
        }
    }
}
