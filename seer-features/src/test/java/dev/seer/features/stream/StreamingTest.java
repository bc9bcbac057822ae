package dev.seer.features.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.provenance.BatchRecord.KafkaSpan;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.online.Materializer;
import dev.seer.features.online.OnlineStore;
import dev.seer.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Push and stream ingestion against a real broker (the embedded one). The main path also runs on
 * PostgreSQL metadata and the Redis online store (see {@link StreamBackends}).
 */
@Tag("integration")
class StreamingTest {
    static final String REPOSITORY = """
            entities:
              - {name: customer, join_keys: [customer_id]}
            sources:
              - name: clicks
                type: push
                timestamp_field: event_ts
                schema: {customer_id: string, event_ts: timestamp, amount: double, page: string}
            feature_views:
              - name: click_stats
                entities: [customer]
                source: clicks
                features:
                  - {name: amount, type: double, checks: {min: 0}}
                  - {name: page, type: string}
            """;

    @TempDir
    Path dir;

    /** The whole path, push to offline and online store, on the embedded stores and on PostgreSQL and Redis. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(StreamBackends.Kind.class)
    void pushedRecordsLandOnceAndBadRecordsGoToTheDeadLetterTopic(StreamBackends.Kind kind) throws Exception {
        try (StreamBackends backends = StreamBackends.open(kind, dir.resolve("home"), Clock.systemUTC())) {
            pushedRecordsLandOnce(backends.catalog(), backends.online());
        }
    }

    private void pushedRecordsLandOnce(Catalog catalog, OnlineStore online) throws Exception {
        applyRepository(catalog);
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), Clock.systemUTC());
        Materializer materializer = new Materializer(catalog, ingestor, online);
        KafkaConfig kafka = new KafkaConfig("", 2);
        // Streaming's "now" (freshness, rows due online) is this clock, not the wall clock.
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:10Z"));
        try (Streaming streaming = new Streaming(dir.resolve("home"), kafka, catalog, ingestor, materializer, online, "test",
                clock)) {
            List<Double> fresh = java.util.Collections.synchronizedList(new ArrayList<>());
            streaming.onFreshness(fresh::add);
            streaming.refresh();
            Pusher.Result result = streaming.pusher().push("clicks", Json.parse("""
                    [{"customer_id": "c1", "event_ts": "2026-03-01T10:00:00Z", "amount": 5.5, "page": "home"},
                     {"customer_id": "c2", "event_ts": "2026-03-01T10:00:01+01:00", "amount": 1, "extra": true},
                     {"customer_id": "c1", "event_ts": "2026-03-01 10:00:02", "amount": 0}]"""));
            assertThat(result.accepted()).isEqualTo(3);
            assertThat(result.topic()).isEqualTo("seer.push.clicks");

            // One bad record refuses the whole push, naming it; none of its records is written.
            assertThatThrownBy(() -> streaming.pusher().push("clicks", Json.parse("""
                    [{"customer_id": "c3", "event_ts": "2026-03-01T11:00:00Z", "amount": 2},
                     {"customer_id": "c3", "event_ts": "yesterday", "amount": 2}]""")))
                    .isInstanceOf(SeerException.class)
                    .hasMessageContaining("Record 1").hasMessageContaining("[event_ts]");
            assertThatThrownBy(() -> streaming.pusher().push("clicks", Json.parse("""
                    {"customer_id": "c3", "event_ts": "2026-03-01T11:00:00Z", "amount": "lots"}""")))
                    .hasMessageContaining("Record 0").hasMessageContaining("[amount]").hasMessageContaining("not a double");

            // Records from another producer skip the push checks: the ingestion sends them to dead letters.
            try (KafkaProducer<byte[], byte[]> raw = rawProducer(streaming.bootstrap().orElseThrow())) {
                raw.send(new ProducerRecord<>("seer.push.clicks", "c1".getBytes(StandardCharsets.UTF_8),
                        "not json at all".getBytes(StandardCharsets.UTF_8))).get();
                raw.send(new ProducerRecord<>("seer.push.clicks", "c1".getBytes(StandardCharsets.UTF_8),
                        "{\"customer_id\": \"c1\", \"event_ts\": \"2026-03-01T12:00:00Z\", \"amount\": -3}"
                                .getBytes(StandardCharsets.UTF_8))).get();
            }
            awaitIngested(streaming, ingestor, 3, 2);
            assertThat(fresh).as("freshness samples, seconds from event time to the clock's now: one per good event")
                    .containsExactlyInAnyOrder(10.0, 3609.0, 8.0);
            Streaming.SourceStatus status = streaming.sourceStatus().get(0);
            assertThat(status.source()).isEqualTo("clicks");
            assertThat(status.ingested()).isEqualTo(3);
            assertThat(status.deadLettered()).isEqualTo(2);
            // Everything is recorded: no lag, though a push's transaction marker sits after the recorded position.
            assertThat(status.lag().values()).containsOnly(0L);
            assertThat(status.freshnessP99()).isGreaterThan(0); // the events are dated March 2026
            // Each micro-batch also reached the online store: the latest row of each key.
            var values = online.read("click_stats", List.of("c1", "c2", "c9"));
            assertThat(Json.parse(values.get(0).orElseThrow().values()).path("amount").asDouble()).isEqualTo(0.0); // 10:00:02
            assertThat(Json.parse(values.get(1).orElseThrow().values()).path("amount").asDouble()).isEqualTo(1.0);
            assertThat(values.get(2)).isEmpty();

            List<ConsumerRecord<byte[], byte[]>> dead = readAll(streaming.bootstrap().orElseThrow(), Streaming.DEAD_LETTER_TOPIC);
            assertThat(dead).hasSize(2);
            List<String> errors = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : dead) {
                errors.add(header(record, "seer.error"));
                assertThat(header(record, "seer.topic")).isEqualTo("seer.push.clicks");
                assertThat(header(record, "seer.offset")).matches("\\d+");
            }
            assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("not JSON"))
                    .anySatisfy(e -> assertThat(e).contains("[amount]").contains("below min"));
            assertThat(dead).anySatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("not json at all"));
            List<DeadLetter> letters = streaming.deadLetters(java.util.Optional.of("clicks"), 10);
            assertThat(letters).hasSize(2).allSatisfy(l -> {
                assertThat(l.topic()).isEqualTo("seer.push.clicks");
                assertThat(l.offset()).isGreaterThanOrEqualTo(3); // after the three pushed records
            });
            assertThat(letters.get(0).offset()).isLessThan(letters.get(1).offset()); // oldest first
            assertThat(streaming.deadLetters(java.util.Optional.of("other"), 10)).isEmpty();
            assertThat(streaming.deadLetters(java.util.Optional.empty(), 1)).hasSize(1);
        }
        int batches = ingestor.records("clicks").size();
        // A restart resumes after what the offline store holds: nothing is ingested twice.
        clock.set(Instant.parse("2026-03-02T00:00:05Z")); // c4's event is due online by the clock
        try (Streaming again = new Streaming(dir.resolve("home"), kafka, catalog, ingestor, materializer, online, "test-2",
                clock)) {
            again.refresh();
            again.pusher().push("clicks", Json.parse("""
                    {"customer_id": "c4", "event_ts": "2026-03-02T00:00:00Z", "amount": 9}"""));
            // The row is served once read, before its micro-batch is stored (at least a second later):
            // it is seen online while no new batch had been recorded just before the look.
            boolean servedBeforeStored = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                boolean unrecorded = ingestor.records("clicks").size() == batches;
                if (online.read("click_stats", List.of("c4")).get(0).isPresent()) {
                    servedBeforeStored = unrecorded;
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(servedBeforeStored).as("c4 online before its batch was recorded").isTrue();
            awaitIngested(again, ingestor, 4, 2);
        }
        assertThat(ingestor.records("clicks")).hasSize(batches + 1);
    }

    @Test
    void aBrokerThatIsDownAtStartIsRetriedWithBackoffAndReportedUntilItIsUp() throws Exception {
        try (StreamBackends backends = StreamBackends.open(StreamBackends.Kind.SQLITE_AND_ROCKSDB, dir.resolve("home"),
                Clock.systemUTC())) {
            brokerDownAtStart(backends.catalog(), backends.online());
        }
    }

    private void brokerDownAtStart(Catalog catalog, OnlineStore online) throws Exception {
        applyRepository(catalog);
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), Clock.systemUTC());
        Materializer materializer = new Materializer(catalog, ingestor, online);
        int port;
        int controller;
        try (var a = new java.net.ServerSocket(0); var b = new java.net.ServerSocket(0)) {
            port = a.getLocalPort();
            controller = b.getLocalPort();
        }
        // A cluster configured at a port where nothing listens yet.
        KafkaConfig kafka = new KafkaConfig("127.0.0.1:" + port, 2);
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (Streaming streaming = new Streaming(dir.resolve("home"), kafka, catalog, ingestor, materializer, online, "retry",
                clock)) {
            streaming.start();
            Streaming.Status failing = awaitState(streaming, Streaming.State.FAILING);
            assertThat(failing.error()).contains("127.0.0.1:" + port);
            // The next attempt is due by the injected clock (which stands still): a second after the first
            // failure, doubling with each one after.
            assertThat(failing.nextAttempt()).contains(clock.instant()
                    .plus(Streaming.FIRST_RETRY.multipliedBy(1L << (failing.failedAttempts() - 1))));
            // The broker comes up at that address (its ports file makes it take those ports).
            Files.createDirectories(dir.resolve("kafka"));
            Files.writeString(dir.resolve("kafka/ports.properties"), "broker=" + port + "\ncontroller=" + controller + "\n");
            try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
                assertThat(broker.bootstrap()).isEqualTo("127.0.0.1:" + port);
                awaitState(streaming, Streaming.State.RUNNING);
                assertThat(streaming.pusher().push("clicks", Json.parse("""
                        {"customer_id": "c1", "event_ts": "2026-03-01T10:00:00Z", "amount": 1}""")).accepted()).isEqualTo(1);
                awaitIngested(streaming, ingestor, 1, 0);
            }
        }
    }

    @Test
    void anIngestionThatFailsIsStartedAgainAndLosesNothing() throws Exception {
        try (StreamBackends backends = StreamBackends.open(StreamBackends.Kind.SQLITE_AND_ROCKSDB, dir.resolve("home"),
                Clock.systemUTC())) {
            failingIngestionRestarted(backends.catalog(), backends.online());
        }
    }

    private void failingIngestionRestarted(Catalog catalog, OnlineStore online) throws Exception {
        applyRepository(catalog);
        // The metadata store fails the first batch record, as a store that is briefly down would.
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger(1);
        Catalog failing = new Catalog() {
            @Override
            public Put put(String kind, String name, com.fasterxml.jackson.databind.JsonNode body, String actor) {
                return catalog.put(kind, name, body, actor);
            }

            @Override
            public java.util.Optional<CatalogEntry> create(String kind, String name,
                    com.fasterxml.jackson.databind.JsonNode body, List<Term> terms, String actor) {
                if (kind.equals("ingest_batch") && failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("metadata store unavailable (test)");
                }
                return catalog.create(kind, name, body, terms, actor);
            }

            @Override
            public List<CatalogEntry> filed(String kind, String term, int limit) {
                return catalog.filed(kind, term, limit);
            }

            @Override
            public java.util.Optional<CatalogEntry> latest(String kind, String name) {
                return catalog.latest(kind, name);
            }

            @Override
            public java.util.Optional<CatalogEntry> version(String kind, String name, int version) {
                return catalog.version(kind, name, version);
            }

            @Override
            public List<CatalogEntry> versions(String kind, String name) {
                return catalog.versions(kind, name);
            }

            @Override
            public List<CatalogEntry> latestOfKind(String kind) {
                return catalog.latestOfKind(kind);
            }
        };
        Ingestor ingestor = new Ingestor(failing, new OfflineStore(dir.resolve("home/offline")), Clock.systemUTC());
        try (Streaming streaming = new Streaming(dir.resolve("home"), new KafkaConfig("", 2), failing, ingestor,
                new Materializer(failing, ingestor, online), online, "supervised", Clock.systemUTC())) {
            streaming.refresh();
            streaming.pusher().push("clicks", Json.parse("""
                    [{"customer_id": "c1", "event_ts": "2026-03-01T10:00:00Z", "amount": 1},
                     {"customer_id": "c1", "event_ts": "2026-03-01T10:00:01Z", "amount": 2}]"""));
            awaitIngested(streaming, ingestor, 2, 0); // after the failure, the restarted ingestion records both, once
            assertThat(failures.get()).isNegative(); // the failing put did happen
        }
    }

    private void applyRepository(Catalog catalog) throws java.io.IOException {
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/repo.yaml"), REPOSITORY);
        new FeatureRegistry(catalog).apply(dir.resolve("repo"), "alice");
    }

    private static Streaming.Status awaitState(Streaming streaming, Streaming.State state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (streaming.status().state() != state && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(streaming.status().state()).isEqualTo(state);
        return streaming.status();
    }

    /**
     * Waits until the recorded batches cover every record of the topic (no lag: the ingestion
     * has read all there is and recorded it), then checks the rows and dead letters they hold,
     * and that no offset is in two recorded batches: a record ingested twice would be.
     */
    private static void awaitIngested(Streaming streaming, Ingestor ingestor, long rows, long deadLettered)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!caughtUp(streaming) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(streaming.sourceStatus().get(0).lag()).as("records not yet recorded, per partition").isNotEmpty()
                .allSatisfy((partition, lag) -> assertThat(lag).isZero());
        long[] seen = new long[2];
        for (BatchRecord batch : ingestor.records("clicks")) {
            seen[0] += batch.rowsWritten();
            seen[1] += batch.kafka().orElseThrow().deadLettered();
        }
        assertThat(seen).as("rows and dead letters recorded").containsExactly(rows, deadLettered);
        assertNoOffsetRecordedTwice(ingestor.records("clicks"));
    }

    private static boolean caughtUp(Streaming streaming) {
        Map<Integer, Long> lag = streaming.sourceStatus().get(0).lag();
        return !lag.isEmpty() && lag.values().stream().allMatch(l -> l == 0);
    }

    private static void assertNoOffsetRecordedTwice(List<BatchRecord> batches) {
        Map<Integer, List<KafkaSpan>> byPartition = new TreeMap<>();
        batches.forEach(b -> byPartition.computeIfAbsent(b.kafka().orElseThrow().partition(), p -> new ArrayList<>())
                .add(b.kafka().orElseThrow()));
        byPartition.forEach((partition, ranges) -> {
            ranges.sort(Comparator.comparingLong(KafkaSpan::firstOffset));
            for (int i = 1; i < ranges.size(); i++) {
                assertThat(ranges.get(i).firstOffset()).as("partition %d: batches %s", partition, ranges)
                        .isGreaterThan(ranges.get(i - 1).lastOffset());
            }
        });
    }

    private static KafkaProducer<byte[], byte[]> rawProducer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Every record of a topic, read up to its end offsets as they are when reading starts. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(partitions).as("read to the end").allMatch(tp -> consumer.position(tp) >= end.get(tp));
        }
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
