package dev.seer.features.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.seer.core.Json;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.FeatureLookup;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.HistoricalRetrieval;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.online.ConsistencyCheck;
import dev.seer.features.online.FeatureServer;
import dev.seer.features.online.Materializer;
import dev.seer.features.online.RocksDbOnlineStore;
import dev.seer.testing.InMemoryCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window aggregates computed two ways agree: the Kafka Streams topology's online values and a
 * batch recomputation over the offline store, on random events that arrive out of order, some
 * within the allowed lateness and some beyond it (those go to the dead-letter topic; a one-day
 * count would show any the topology counted). The same events go to a push source and to a
 * kafka source whose records have no key (both repartitioned by entity); a kafka source with
 * {@code key_field} is aggregated in place, as in {@code StreamCrashTest} at scale.
 */
@Tag("integration")
class StreamAggregationTest {
    static final String REPOSITORY = """
            entities:
              - {name: customer, join_keys: [customer_id]}
            sources:
              - name: payments
                type: push
                timestamp_field: event_ts
                allowed_lateness: 2h
                schema: {customer_id: string, event_ts: timestamp, amount: double, merchant: string}
              - name: payments_raw
                type: kafka
                topic: payments.raw
                timestamp_field: event_ts
                allowed_lateness: 2h
                schema: {customer_id: string, event_ts: timestamp, amount: double, merchant: string}
              - name: payments_keyed
                type: kafka
                topic: payments.keyed
                key_field: customer_id
                timestamp_field: event_ts
                schema: {customer_id: string, event_ts: timestamp, amount: double}
            feature_views:
              - name: spend
                entities: [customer]
                source: payments
                features:
                  - {name: amount, type: double}
                  - {name: merchant, type: string}
                aggregations:
                  - {column: amount, function: sum, window: 6h}
                  - {function: count, window: 1h}
                  - {column: amount, function: mean, window: 3h, step: 30m}
                  - {column: amount, function: min, window: 2h, step: 15m}
                  - {column: amount, function: max, window: 2h}
                  - {column: amount, function: last, window: 1d, step: 1h}
                  - {column: merchant, function: distinct_count, window: 6h, step: 1h}
                  - {function: count, window: 1d, step: 1h}
              - name: spend_raw
                entities: [customer]
                source: payments_raw
                features:
                  - {name: amount, type: double}
                  - {name: merchant, type: string}
                aggregations:
                  - {column: amount, function: sum, window: 6h}
                  - {function: count, window: 1h}
                  - {column: amount, function: mean, window: 3h, step: 30m}
                  - {column: amount, function: last, window: 1d, step: 1h}
                  - {column: merchant, function: distinct_count, window: 6h, step: 1h}
                  - {function: count, window: 1d}
              - name: spend_keyed
                entities: [customer]
                source: payments_keyed
                features:
                  - {name: amount, type: double}
                aggregations:
                  - {function: count, window: 1h}
            """;

    @TempDir
    Path dir;

    @Test
    void streamingAndBatchAggregatesAgreeAndTooLateEventsAreDeadLettered() throws Exception {
        InMemoryCatalog catalog = new InMemoryCatalog(Clock.systemUTC());
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/repo.yaml"), REPOSITORY);
        new FeatureRegistry(catalog).apply(dir.resolve("repo"), "alice");
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), Clock.systemUTC());
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                RocksDbOnlineStore online = new RocksDbOnlineStore(dir.resolve("home/online"));
                Streaming streaming = new Streaming(dir.resolve("home"), new KafkaConfig(broker.bootstrap(), 4), catalog,
                        ingestor, new Materializer(catalog, ingestor, online), online, "agg", Clock.systemUTC())) {
            try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("payments.raw", 4, (short) 1),
                        new org.apache.kafka.clients.admin.NewTopic("payments.keyed", 4, (short) 1))).all().get();
            }
            streaming.refresh();
            Events events = Events.random(new Random(11), 3000);
            for (int from = 0; from < events.records().size(); from += 100) {
                ArrayNode batch = Json.mapper().createArrayNode();
                events.records().subList(from, Math.min(from + 100, events.records().size())).forEach(batch::add);
                streaming.pusher().push("payments", batch);
            }
            produceUnkeyed(broker.bootstrap(), events);
            awaitRecorded(ingestor, "payments", events.records().size());
            awaitRecorded(ingestor, "payments_raw", events.records().size());

            Instant at = events.latest().plusSeconds(60);
            ConsistencyCheck check = new ConsistencyCheck(catalog, ingestor, online);
            for (String view : List.of("spend", "spend_raw")) {
                ConsistencyCheck.Report report = awaitConsistent(check, view, at);
                assertThat(report.compared()).as(view).isEqualTo(Events.CUSTOMERS);
                assertThat(report.missingOnline()).as(view).isZero();
                assertThat(report.differences()).as(view).isEmpty();
            }

            // The served path: a lookup at that time gives the batch values too.
            Path entities = dir.resolve("entities.csv");
            Files.writeString(entities, "customer_id,event_timestamp\nc3," + at + "\n");
            List<String> refs = List.of("spend:amount_sum_6h", "spend:count_1h", "spend:merchant_distinct_count_6h");
            new HistoricalRetrieval(catalog, ingestor).run(entities, refs, dir.resolve("batch.parquet"), false);
            var served = new FeatureServer(catalog, online, Clock.fixed(at, ZoneOffset.UTC))
                    .lookup(refs, Map.of("customer_id", List.of("c3"))).get(0).values();
            List<String> batchRow = batchRow(dir.resolve("batch.parquet"), refs.size());
            for (int f = 0; f < refs.size(); f++) {
                assertThat(served.get(f).status()).isEqualTo(FeatureLookup.Status.PRESENT);
                assertThat(Double.parseDouble(served.get(f).value().asText())).as(refs.get(f))
                        .isCloseTo(Double.parseDouble(batchRow.get(f)), org.assertj.core.api.Assertions.within(1e-9));
            }

            // A kafka source with key_field: a record whose Kafka key is another entity's is refused by both paths.
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.of("bootstrap.servers",
                    broker.bootstrap(), "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName(),
                    "value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName()))) {
                String time = events.latest().toString();
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("payments.keyed", "c1",
                        "{\"customer_id\": \"c1\", \"event_ts\": \"" + time + "\", \"amount\": 1}"));
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("payments.keyed", "c1",
                        "{\"customer_id\": \"c2\", \"event_ts\": \"" + time + "\", \"amount\": 2}"));
            }
            awaitRecorded(ingestor, "payments_keyed", 2);
            assertThat(Streaming.windowApplication(catalog, "payments_keyed")).doesNotContain("by-entity");
            assertThat(Streaming.windowApplication(catalog, "payments")).contains("by-entity");
            ConsistencyCheck.Report keyed = awaitConsistent(check, "spend_keyed", at);
            assertThat(keyed.compared()).isEqualTo(1);
            assertThat(keyed.differences()).isEmpty();
            assertThat(streaming.deadLetters(java.util.Optional.of("payments_keyed"), 10)).singleElement()
                    .satisfies(letter -> assertThat(letter.error()).contains("the Kafka key [c1] is not the value [c2] of key_field"));

            // Exactly the events made far too late were refused, each with the reason, from each source.
            for (String source : List.of("payments", "payments_raw")) {
                List<DeadLetter> letters = streaming.deadLetters(java.util.Optional.of(source), 10_000);
                Set<String> refused = new HashSet<>();
                for (DeadLetter letter : letters) {
                    assertThat(letter.error()).contains("late: event time").contains("allowed_lateness");
                    refused.add(Json.write(Json.parse(letter.value())));
                }
                assertThat(refused).as(source).hasSize(letters.size()).isEqualTo(events.tooLate());
            }
        }
    }

    /** Random payments: 40 customers over two days, jittered up to an hour, and 2% ten hours late. */
    record Events(List<com.fasterxml.jackson.databind.JsonNode> records, Set<String> tooLate, Instant latest) {
        static final int CUSTOMERS = 40;

        static Events random(Random random, int n) {
            Instant start = Instant.parse("2026-05-01T00:00:00Z");
            List<com.fasterxml.jackson.databind.JsonNode> records = new ArrayList<>();
            Set<String> tooLate = new HashSet<>();
            Instant latest = start;
            for (int i = 0; i < n; i++) {
                long seconds = i * 60L - random.nextInt(3600); // out of order within the allowed lateness
                boolean late = i > 1000 && random.nextInt(50) == 0;
                if (late) {
                    seconds -= 10 * 3600; // beyond it in every partition: each sees events every few minutes
                }
                Instant time = start.plusSeconds(Math.max(0, seconds)).plusMillis(random.nextInt(1000));
                var record = Json.object().put("customer_id", "c" + random.nextInt(CUSTOMERS)).put("event_ts", time.toString())
                        .put("amount", random.nextInt(10) == 0 ? null : Math.round(random.nextDouble() * 20000) / 100.0)
                        .put("merchant", "m" + random.nextInt(12));
                if (random.nextInt(15) == 0) {
                    record.putNull("amount");
                }
                records.add(record);
                if (late) {
                    tooLate.add(Json.write(record));
                } else if (time.isAfter(latest)) {
                    latest = time;
                }
            }
            return new Events(records, tooLate, latest);
        }
    }

    private static ConsistencyCheck.Report awaitConsistent(ConsistencyCheck check, String view, Instant at)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        ConsistencyCheck.Report report = check.check(view, 1000, at);
        while ((!report.consistent() || report.missingOnline() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(500); // the topology commits every 100 ms; on a fresh broker it starts in a few seconds
            report = check.check(view, 1000, at);
        }
        return report;
    }

    /** The same events to the kafka source's topic, without keys: the producer spreads them over partitions. */
    private static void produceUnkeyed(String bootstrap, Events events) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put("partitioner.class", org.apache.kafka.clients.producer.RoundRobinPartitioner.class.getName());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
            for (var record : events.records()) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("payments.raw", null, Json.write(record)));
            }
        }
    }

    private static void awaitRecorded(Ingestor ingestor, String source, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long seen = 0;
        while (seen < records && System.nanoTime() < deadline) {
            Thread.sleep(200);
            seen = 0;
            for (BatchRecord batch : ingestor.records(source)) {
                seen += batch.kafka().orElseThrow().records();
            }
        }
        assertThat(seen).isEqualTo(records);
    }

    private static List<String> batchRow(Path parquet, int columns) throws Exception {
        try (var duck = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = duck.createStatement();
                var rs = s.executeQuery("SELECT * FROM read_parquet('" + parquet + "')")) {
            rs.next();
            int first = rs.getMetaData().getColumnCount() - columns + 1;
            List<String> row = new ArrayList<>();
            for (int c = first; c < first + columns; c++) {
                row.add(rs.getString(c));
            }
            return row;
        }
    }
}
