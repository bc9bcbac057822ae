package dev.seer.features.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.config.SeerConfig;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.provenance.BatchRecord.KafkaSpan;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.OfflineStore;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once into the offline store across crashes: a million events (1% sent twice as
 * separate records, times out of order, 1% bad) are ingested by a worker process that is
 * killed with SIGKILL three times and restarted. Afterwards every good record is in the offline
 * store exactly once, every bad one is in the dead-letter topic with its reason, and the window
 * aggregates online equal a batch recomputation over the offline store. With two processes, one
 * is first stopped (SIGSTOP) past the session timeouts and woken, as a long pause would, then
 * the other is killed: the same checks hold.
 */
@Tag("integration")
class StreamCrashTest {
    static final int EVENTS = Integer.getInteger("seer.crash.events", 1_000_000);

    @TempDir
    Path dir;

    @Test
    void killedIngestionLosesNothingAndIngestsNothingTwice() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            String bootstrap = broker.bootstrap();
            Path home = prepare(bootstrap);
            int[] copies = new int[EVENTS]; // per event id: good records expected in the offline store
            long[] counts = produce(bootstrap, copies, 0, EVENTS); // {records, bad}
            Random random = new Random(3);
            long covered = 0;
            for (int round = 0; round < 3; round++) {
                Worker worker = new Worker(home, bootstrap, "w" + round);
                worker.awaitReady();
                // Kill while it is ingesting: once it has recorded a batch of its own, after a random extra moment.
                long before = covered;
                covered = awaitProgress(home, before);
                Thread.sleep(random.nextInt(1500));
                worker.kill();
                covered = covered(home);
                System.out.printf("after kill %d: %,d of %,d records covered by recorded batches%n", round + 1, covered, counts[0]);
                assertThat(covered).as("the worker was killed before it finished").isLessThan(counts[0]);
            }
            Worker last = new Worker(home, bootstrap, "final");
            last.awaitReady();
            awaitConsumed(home, counts[0]);
            awaitAggregated(home, bootstrap);
            last.stop();

            assertEveryGoodRecordOnce(home, copies);
            assertDeadLetters(bootstrap, counts[1]);
            assertOnlineAggregatesMatchBatch(home);
        }
    }

    @Test
    void twoProcessesSplitThePartitionsAndOneTakesOverWhenTheOtherIsKilled() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            String bootstrap = broker.bootstrap();
            Path home = prepare(bootstrap);
            int[] copies = new int[EVENTS];
            long[] counts = produce(bootstrap, copies, 0, EVENTS / 20);
            Worker a = new Worker(home, bootstrap, "a");
            Worker b = new Worker(home, bootstrap, "b");
            a.awaitReady();
            b.awaitReady();
            // Both in the group, each owning some partitions, before the bulk of the events arrives.
            long joined = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(a.owns() && b.owns()) && System.nanoTime() < joined) {
                Thread.sleep(50);
            }
            assertThat(a.assignment + " / " + b.assignment).as("assignments").matches(".*\\d.* / .*\\d.*");
            long[] more = produce(bootstrap, copies, EVENTS / 20, EVENTS / 2);
            counts = new long[] {counts[0] + more[0], counts[1] + more[1]};
            // Both ingest, each its share of the partitions, before one is paused and the other killed.
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            Map<String, Set<Integer>> byProcess = Map.of();
            while (!(byProcess.containsKey("a") && byProcess.containsKey("b")) && System.nanoTime() < deadline) {
                byProcess = partitionsByProcess(home);
                Thread.sleep(100);
            }
            assertThat(byProcess).as("partitions each process recorded batches of").containsKeys("a", "b");
            System.out.printf("two processes: partitions recorded by each before the pause %s%n", byProcess);
            // b stops (SIGSTOP) past the session timeouts, holding records it read and window states it
            // changed: a takes over all partitions. b then wakes (SIGCONT) and flushes what it held; the
            // fences must keep its batches and states from counting anything twice.
            b.pause();
            long takeover = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (partitionsByProcess(home).getOrDefault("a", Set.of()).size() < 4 && System.nanoTime() < takeover) {
                Thread.sleep(200);
            }
            assertThat(partitionsByProcess(home).get("a")).as("a recorded every partition while b was stopped").hasSize(4);
            b.resume();
            awaitRejoined(a, b);
            long[] rest = produce(bootstrap, copies, EVENTS / 2, EVENTS);
            counts = new long[] {counts[0] + rest[0], counts[1] + rest[1]};
            System.out.printf("two processes: partitions recorded by each before the kill %s%n", partitionsByProcess(home));
            a.kill(); // SIGKILL: b takes over a's partitions from what a recorded
            long covered = covered(home);
            System.out.printf("two processes: a killed at %,d of %,d records covered%n", covered, counts[0]);
            assertThat(covered).isLessThan(counts[0]);
            awaitConsumed(home, counts[0]);
            awaitAggregated(home, bootstrap);
            b.stop();

            assertEveryGoodRecordOnce(home, copies);
            assertDeadLetters(bootstrap, counts[1]);
            assertOnlineAggregatesMatchBatch(home);
        }
    }

    /**
     * Waits until b, woken, has found it lost its partitions (its held batches are fenced) and
     * rejoined: a then gives up some of the four partitions it took over, and b reports owning
     * them. Until b rejoins, a owns all four.
     */
    private static void awaitRejoined(Worker a, Worker b) throws InterruptedException {
        long started = System.nanoTime();
        while (!splitBetween(a, b) && System.nanoTime() - started < Duration.ofSeconds(90).toNanos()) {
            Thread.sleep(100);
        }
        assertThat(splitBetween(a, b)).as("b rejoined: partitions of a / b %s / %s", a.assignment, b.assignment).isTrue();
        System.out.printf("two processes: b rejoined after %.1f s, partitions of a / b %s / %s%n",
                (System.nanoTime() - started) / 1e9, a.assignment, b.assignment);
    }

    private static boolean splitBetween(Worker a, Worker b) {
        Set<Integer> ofB = new HashSet<>(Set.of(0, 1, 2, 3));
        ofB.removeAll(a.partitions());
        return !a.partitions().isEmpty() && !ofB.isEmpty() && b.partitions().equals(ofB);
    }

    private static Map<String, Set<Integer>> partitionsByProcess(Path home) {
        try (Catalogs catalogs = new Catalogs(home)) {
            return catalogs.batches().stream().map(b -> b.kafka().orElseThrow()).collect(Collectors.groupingBy(
                    KafkaSpan::ingestedBy, Collectors.mapping(KafkaSpan::partition, Collectors.toSet())));
        }
    }

    /** Creates the 4-partition topic and a home with the repository applied; returns the home. */
    private Path prepare(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("events", 4, (short) 1))).all().get();
        }
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        applyRepository(home);
        return home;
    }

    private static void applyRepository(Path home) throws Exception {
        Path repo = home.resolveSibling("repo");
        Files.createDirectories(repo);
        Files.writeString(repo.resolve("repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - name: events
                    type: kafka
                    topic: events
                    key_field: customer_id      # the producer keys by customer: no repartition
                    timestamp_field: event_ts
                    schema: {event_id: long, customer_id: string, event_ts: timestamp, amount: double}
                feature_views:
                  - name: spend
                    entities: [customer]
                    source: events
                    features:
                      - {name: event_id, type: long}
                      - {name: amount, type: double, checks: {min: 0}}
                    aggregations:
                      - {column: amount, function: sum, window: 7d, step: 1h}
                      - {function: count, window: 1d}
                      - {column: amount, function: max, window: 3d, step: 6h}
                """);
        try (Catalogs catalogs = new Catalogs(home)) {
            new FeatureRegistry(catalogs.catalog).apply(repo, "test");
        }
    }

    /** Produces events {@code from..to-1}; returns {records sent, bad records sent}. */
    private static long[] produce(String bootstrap, int[] copies, int from, int to) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        Random random = new Random(11 + from);
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        long records = 0;
        long bad = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int id = from; id < to; id++) {
                String customer = "c" + random.nextInt(5000);
                String time = start.plusSeconds(random.nextInt(30 * 24 * 3600)).toString(); // out of order
                int kind = random.nextInt(200);
                String value;
                if (kind == 0) {
                    value = "{not json " + id;
                    bad++;
                } else if (kind == 1) {
                    value = event(id, customer, time, -1.0); // fails min: 0
                    bad++;
                } else {
                    value = event(id, customer, time, random.nextInt(10_000) / 100.0);
                    copies[id]++;
                    if (kind == 2) { // the same event sent again, as an at-least-once producer does
                        producer.send(new ProducerRecord<>("events", customer, value));
                        copies[id]++;
                        records++;
                    }
                }
                producer.send(new ProducerRecord<>("events", customer, value));
                records++;
            }
            producer.flush();
        }
        return new long[] {records, bad};
    }

    private static String event(int id, String customer, String time, double amount) {
        return "{\"event_id\": " + id + ", \"customer_id\": \"" + customer + "\", \"event_ts\": \"" + time
                + "\", \"amount\": " + amount + "}";
    }

    /** A worker process; a thread reads what it prints (readiness, then its partitions on each change). */
    private static final class Worker {
        final Process process;
        final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        volatile String assignment = "";

        Worker(Path home, String bootstrap, String name) throws Exception {
            process = JavaProcess.start(StreamWorker.class, List.of(home.toString(), bootstrap, name), Map.of());
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.equals("ready")) {
                            ready.countDown();
                        } else if (line.startsWith("assigned ")) {
                            assignment = line.substring("assigned ".length());
                        }
                    }
                } catch (java.io.IOException e) {
                    // the process ended
                }
            }, "worker-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        void awaitReady() throws InterruptedException {
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("worker ready").isTrue();
        }

        /** Whether it owns at least one partition now, e.g. {@code {events=[0, 1]}}. */
        boolean owns() {
            return assignment.matches(".*\\[\\d.*");
        }

        /** The partitions it last reported owning. */
        Set<Integer> partitions() {
            return Pattern.compile("\\d+").matcher(assignment.replaceAll("^[^\\[]*", "")).results()
                    .map(m -> Integer.valueOf(m.group())).collect(Collectors.toSet());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL, wherever it is
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        void pause() throws Exception {
            signal("STOP");
        }

        void resume() throws Exception {
            signal("CONT");
        }

        private void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + name).isTrue();
        }

        void stop() throws Exception {
            process.getOutputStream().close(); // a clean stop
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static long covered(Path home) {
        try (Catalogs catalogs = new Catalogs(home)) {
            return catalogs.batches().stream().mapToLong(b -> b.kafka().orElseThrow().records()).sum();
        }
    }

    /** Waits until more records are covered than {@code before}; returns how many are. */
    private static long awaitProgress(Path home, long before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            long now = covered(home);
            if (now > before) {
                return now;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the worker made no progress in 90 s");
    }

    /** Waits until recorded batches cover every record sent (good and dead-lettered). */
    private static void awaitConsumed(Path home, long records) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        long covered = 0;
        while (System.nanoTime() < deadline) {
            try (Catalogs catalogs = new Catalogs(home)) {
                covered = catalogs.batches().stream().mapToLong(b -> b.kafka().orElseThrow().records()).sum();
            }
            if (covered >= records) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(covered).as("records covered by recorded batches").isEqualTo(records);
    }

    /** Waits until the aggregation topology has consumed everything ({@link Streaming#windowsCaughtUp}). */
    private static void awaitAggregated(Path home, String bootstrap) throws Exception {
        String application;
        try (Catalogs catalogs = new Catalogs(home)) {
            application = Streaming.windowApplication(catalogs.catalog, "events");
        }
        assertThat(application).as("keyed by customer: aggregated in place").doesNotContain("by-entity");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (System.nanoTime() < deadline) {
                boolean done = Streaming.windowsCaughtUp(admin, application, "events");
                if (done) {
                    return;
                }
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the aggregation topology did not catch up in 5 minutes");
    }

    /**
     * Each worker had its own RocksDB online store (one process per folder); read together, the
     * state written last for each entity wins, as in one shared store. The online aggregates
     * of every entity must equal the batch recomputation at a time after the last event.
     */
    private static void assertOnlineAggregatesMatchBatch(Path home) throws Exception {
        MergedOnline merged = new MergedOnline();
        try (Catalogs catalogs = new Catalogs(home)) {
            String namespace = dev.seer.features.online.WindowTiles.onlineNamespace(
                    dev.seer.features.ingest.StreamRecords.of(catalogs.catalog, "events").windowedViews().get(0).view());
            try (var folders = Files.list(home)) {
                for (Path folder : folders.filter(f -> f.getFileName().toString().startsWith("online-")).toList()) {
                    try (var store = new dev.seer.features.online.RocksDbOnlineStore(folder)) {
                        merged.add(store, namespace, 5000);
                    }
                }
            }
            Ingestor ingestor = new Ingestor(catalogs.catalog, new OfflineStore(home.resolve("offline")), Clock.systemUTC());
            var report = new dev.seer.features.online.ConsistencyCheck(catalogs.catalog, ingestor, merged)
                    .check("spend", 10_000, Instant.parse("2026-03-31T00:01:00Z"));
            System.out.printf("online aggregates against batch: %,d entities compared, %,d values, %,d differ%n",
                    report.compared(), report.values(), report.differences().size());
            assertThat(report.compared()).isEqualTo(5000);
            assertThat(report.skipped()).as("every entity's last event is before the time").isEmpty();
            assertThat(report.missingOnline()).isZero();
            assertThat(report.differences()).isEmpty();
        }
    }

    /** A fake store holding what several real stores hold, merged by the online store's own rule. */
    private static final class MergedOnline implements dev.seer.features.online.OnlineStore {
        private final Map<String, Map<String, dev.seer.features.online.OnlineRecord>> views = new java.util.HashMap<>();

        void add(dev.seer.features.online.OnlineStore store, String view, int customers) {
            List<String> keys = java.util.stream.IntStream.range(0, customers).mapToObj(i -> "c" + i).toList();
            List<java.util.Optional<dev.seer.features.online.OnlineRecord>> records = store.read(view, keys);
            for (int i = 0; i < keys.size(); i++) {
                records.get(i).ifPresent(r -> write(view, List.of(r)));
            }
        }

        @Override
        public void write(String view, List<dev.seer.features.online.OnlineRecord> records) {
            Map<String, dev.seer.features.online.OnlineRecord> stored = views.computeIfAbsent(view, v -> new java.util.HashMap<>());
            for (var record : records) {
                var old = stored.get(record.key());
                if (old == null || record.eventMicros() > old.eventMicros()
                        || (record.eventMicros() == old.eventMicros() && record.createdMicros() >= old.createdMicros())) {
                    stored.put(record.key(), record);
                }
            }
        }

        @Override
        public List<java.util.Optional<dev.seer.features.online.OnlineRecord>> read(String view, List<String> keys) {
            Map<String, dev.seer.features.online.OnlineRecord> stored = views.getOrDefault(view, Map.of());
            return keys.stream().map(k -> java.util.Optional.ofNullable(stored.get(k))).toList();
        }

        @Override
        public void close() {
        }
    }

    private static void assertEveryGoodRecordOnce(Path home, int[] copies) throws Exception {
        List<Path> files;
        try (Catalogs catalogs = new Catalogs(home)) {
            files = new Ingestor(catalogs.catalog, new OfflineStore(home.resolve("offline")), Clock.systemUTC()).viewFiles("spend");
        }
        String list = files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "));
        int[] left = copies.clone();
        long unknown = 0;
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id, count(*) FROM read_parquet([" + list + "]) GROUP BY event_id")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                if (id < 0 || id >= left.length) {
                    unknown++;
                } else {
                    left[(int) id] -= rs.getInt(2);
                }
            }
        }
        assertThat(unknown).isZero();
        long missing = 0;
        long twice = 0;
        for (int count : left) {
            missing += Math.max(0, count);
            twice += Math.max(0, -count);
        }
        assertThat(missing).as("good records missing from the offline store").isZero();
        assertThat(twice).as("good records stored more often than sent").isZero();
    }

    private static void assertDeadLetters(String bootstrap, long bad) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        Set<String> seen = new HashSet<>();
        long withReason = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Streaming.DEAD_LETTER_TOPIC).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    String where = header(record, "seer.partition") + "/" + header(record, "seer.offset");
                    seen.add(where); // a replayed range may have written one twice: count each source record once
                    withReason += header(record, "seer.error") == null ? 0 : 1;
                }
            }
        }
        assertThat((long) seen.size()).as("distinct bad records in the dead-letter topic").isEqualTo(bad);
        assertThat(withReason).isGreaterThanOrEqualTo(bad);
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The home's catalog, opened by the test beside the worker (SQLite allows both). */
    private static final class Catalogs implements AutoCloseable {
        final MetadataDatabase database;
        final AuditLog audit;
        final JdbcCatalog catalog;

        Catalogs(Path home) {
            database = MetadataDatabase.open(MetadataConfig.SECTION.defaults(), home);
            audit = new AuditLog(database, Clock.systemUTC(), AuditConfig.SECTION.defaults());
            catalog = new JdbcCatalog(database, audit, Clock.systemUTC());
        }

        List<BatchRecord> batches() {
            return catalog.latestOfKind("ingest_batch").stream().map(b -> BatchRecord.CODEC.decode(b.body())).toList();
        }

        @Override
        public void close() {
            audit.close();
            database.close();
        }
    }
}
