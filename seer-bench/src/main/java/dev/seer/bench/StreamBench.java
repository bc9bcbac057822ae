package dev.seer.bench;

import static dev.seer.bench.BenchFiles.deleteTree;
import static dev.seer.bench.BenchFiles.median;

import dev.seer.core.Role;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.features.stream.KafkaBroker;
import dev.seer.features.stream.KafkaConfig;
import dev.seer.server.ConfigSections;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import dev.seer.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Streaming benchmarks (issue 4), on one broker started here (the embedded one):
 * <ol>
 *   <li>Stream ingestion: {@code --events} JSON events on a 4-partition topic, read by Seer
 *       (ingestion: checks, dead letters, Parquet micro-batches, catalog records, latest rows
 *       online; and the Kafka Streams topology of three window aggregations into the online
 *       store) until both have consumed every record, beside Kafka's own
 *       {@code ConsumerPerformance} (the class behind {@code kafka-consumer-perf-test}) reading
 *       the same topic in a second JVM, in the same run.
 *   <li>Freshness: events stamped with the current time, produced at half the measured rate
 *       ({@code --fresh-rate} to choose) for {@code --fresh-seconds}, and the time from each
 *       event's time to its online availability, as rows and as window aggregates.
 *   <li>Push: {@code POST /api/v1/push/SOURCE} with one record per request at a fixed rate
 *       ({@link LoadGen}, a second JVM), each answered after the transaction commit (acks=all).
 * </ol>
 * The measured runs follow {@code --warmup-runs} (default 1) uncounted ones in the same JVM, so
 * that the figure is the sustained rate of compiled code, not of the JIT at work (a cold first
 * run measured a quarter to a third slower).
 * Usage: {@code StreamBench [--dir D] [--events N] [--warmup-runs W] [--runs R] [--push-rate R]
 * [--push-seconds S] [--fresh-rate R] [--fresh-seconds S]}.
 */
public final class StreamBench {
    private StreamBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path dir = Path.of(options.getOrDefault("--dir", "/tmp/seer-bench-stream"));
        int events = Integer.parseInt(options.getOrDefault("--events", "2000000"));
        int runs = Integer.parseInt(options.getOrDefault("--runs", "3"));
        int warmups = Integer.parseInt(options.getOrDefault("--warmup-runs", "1"));
        int pushRate = Integer.parseInt(options.getOrDefault("--push-rate", "500"));
        int pushSeconds = Integer.parseInt(options.getOrDefault("--push-seconds", "15"));
        int freshSeconds = Integer.parseInt(options.getOrDefault("--fresh-seconds", "30"));
        deleteTree(dir);
        Files.createDirectories(dir);
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            String bootstrap = broker.bootstrap();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("bench.events", 4, (short) 1))).all().get();
            }
            long started = System.nanoTime();
            long bytes = produce(bootstrap, events);
            System.out.printf(Locale.ROOT, "produced %,d events (%,d MB) in %.1f s%n", events, bytes >> 20,
                    (System.nanoTime() - started) / 1e9);
            for (int run = 0; run < warmups; run++) {
                double[] rates = seerIngestion(dir.resolve("warmup-" + run), bootstrap, "bench.events", "warmup" + run, events);
                System.out.printf(Locale.ROOT, "warm-up %d (not counted): seer both done at %,.0f events/s%n", run + 1, rates[1]);
            }
            List<Double> seer = new ArrayList<>();
            List<Double> rowsOnly = new ArrayList<>();
            List<Double> peer = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                CpuUse cpu = CpuUse.start();
                peer.add(consumerPerformance(bootstrap, events, run));
                double[] rates = seerIngestion(dir.resolve("run-" + run), bootstrap, "bench.events", "events" + run, events);
                rowsOnly.add(rates[0]);
                seer.add(rates[1]);
                System.out.printf(Locale.ROOT, "run %d: kafka ConsumerPerformance %,.0f events/s; seer: offline store (ingestion)"
                        + " done at %,.0f events/s, ingestion and window aggregates both done at %,.0f events/s%n",
                        run + 1, peer.get(run), rates[0], rates[1]);
                System.out.println("  " + cpu.report("run " + (run + 1) + " (ConsumerPerformance, then seer)"));
                cpu.close();
            }
            double seerMedian = median(seer);
            double peerMedian = median(peer);
            System.out.printf(Locale.ROOT, "stream ingestion + 3 window aggregations median %,.0f events/s %s (ingestion alone"
                    + " %,.0f %s); ConsumerPerformance median %,.0f events/s %s; ratio %.2f%n", seerMedian, seer,
                    median(rowsOnly), rowsOnly, peerMedian, peer, seerMedian / peerMedian);
            int freshRate = Integer.parseInt(options.getOrDefault("--fresh-rate", Long.toString(Math.round(seerMedian / 2))));
            if (freshSeconds > 0) {
                freshness(dir.resolve("fresh"), bootstrap, freshRate, freshSeconds);
            }
            if (pushSeconds > 0) {
                push(dir.resolve("push"), bootstrap, pushRate, pushSeconds);
            }
        }
    }

    private static long produce(String bootstrap, int events) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "20");
        p.put("batch.size", "524288");
        p.put("compression.type", "lz4");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        Random random = new Random(7);
        Instant start = Instant.parse("2026-03-01T00:00:00Z");
        long bytes = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < events; i++) {
                String customer = "c" + random.nextInt(100_000);
                String value = "{\"event_id\": " + i + ", \"customer_id\": \"" + customer + "\", \"event_ts\": \""
                        + start.plusSeconds(random.nextInt(30 * 24 * 3600)) + "\", \"amount\": "
                        + random.nextInt(100_000) / 100.0 + ", \"page\": \"p" + random.nextInt(50) + "\"}";
                bytes += value.length();
                producer.send(new ProducerRecord<>("bench.events", customer, value));
            }
            producer.flush();
        }
        return bytes;
    }

    /** Kafka's consumer benchmark in a second JVM; returns its messages per second. */
    private static double consumerPerformance(String bootstrap, int events, int run) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", bootstrap, "--topic", "bench.events", "--messages", Integer.toString(events),
                "--group", "perf-" + run, "--hide-header");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("ConsumerPerformance failed: " + out);
        }
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
        String[] fields = out.lines().reduce((a, b) -> b).orElseThrow().split(",\\s*");
        return Double.parseDouble(fields[5]);
    }

    /**
     * The benchmark's repository: kafka source {@code source} on {@code topic} and a view with
     * three window aggregations. Each run has its own source name, so its own consumer group and
     * Kafka Streams application: nothing committed by an earlier run is reused.
     */
    private static void repository(Path dir, String topic, String source) throws Exception {
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - name: %s
                    type: kafka
                    topic: %s
                    key_field: customer_id
                    timestamp_field: event_ts
                    schema: {event_id: long, customer_id: string, event_ts: timestamp, amount: double, page: string}
                feature_views:
                  - name: activity
                    entities: [customer]
                    source: %s
                    features:
                      - {name: amount, type: double, checks: {min: 0}}
                      - {name: page, type: string}
                    aggregations:
                      - {column: amount, function: sum, window: 7d, step: 1h}
                      - {function: count, window: 1d}
                      - {column: amount, function: max, window: 3d, step: 6h}
                """.formatted(source, topic, source));
    }

    private static SeerServices services(Path dir, String bootstrap) throws Exception {
        SeerHome home = SeerHome.create(dir.resolve("home"));
        SeerConfig defaults = ConfigSections.defaults();
        SeerConfig config = defaults.with(KafkaConfig.SECTION, new KafkaConfig(bootstrap, 4));
        SeerServices services = SeerServices.open(home, config, Clock.systemUTC());
        services.features().apply(dir.resolve("repo"), "bench");
        return services;
    }

    /**
     * Seer on the topic in a fresh home; returns events per second until ingestion has recorded
     * every record, and until both ingestion and the window aggregation topology are done.
     */
    private static double[] seerIngestion(Path dir, String bootstrap, String topic, String source, int events) throws Exception {
        repository(dir, topic, source);
        try (SeerServices services = services(dir, bootstrap);
                Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long started = System.nanoTime();
            services.streaming().refresh();
            long ingested = 0;
            long aggregated = 0;
            while (ingested == 0 || aggregated == 0) {
                Thread.sleep(100); // each look reads the catalog: not too often, it shares the two cores
                long now = System.nanoTime();
                if (ingested == 0 && covered(services, source) >= events) {
                    ingested = now;
                }
                if (aggregated == 0 && dev.seer.features.stream.Streaming.windowsCaughtUp(admin,
                        dev.seer.features.stream.Streaming.windowApplication(services.catalog(), source), topic)) {
                    aggregated = now;
                }
            }
            return new double[] {events / ((ingested - started) / 1e9), events / ((Math.max(ingested, aggregated) - started) / 1e9)};
        }
    }

    /**
     * Freshness at a fixed rate: events stamped with the time they are sent, produced at
     * {@code rate} per second for a 5 s warm-up and then {@code seconds}; quoted over the events
     * of the measured part: event time to online, as rows (ingestion micro-batches) and as
     * window aggregates (Kafka Streams commits).
     */
    private static void freshness(Path dir, String bootstrap, int rate, int seconds) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("bench.live", 4, (short) 1))).all().get();
        }
        repository(dir, "bench.live", "live");
        List<Double> rows = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Double> windows = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
        try (SeerServices services = services(dir, bootstrap)) {
            services.streaming().onFreshness(s -> {
                if (measuring.get()) {
                    rows.add(s);
                }
            });
            services.streaming().onWindowFreshness(s -> {
                if (measuring.get()) {
                    windows.add(s);
                }
            });
            services.streaming().refresh();
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("acks", "all");
            p.put("linger.ms", "5");
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", StringSerializer.class.getName());
            Random random = new Random(9);
            CpuUse use = null;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                long start = System.nanoTime();
                long total = (long) rate * (5 + seconds);
                for (long i = 0; i < total; i++) {
                    long due = start + i * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    if (i == (long) rate * 5) {
                        measuring.set(true);
                        use = CpuUse.start();
                    }
                    String customer = "c" + random.nextInt(100_000);
                    producer.send(new ProducerRecord<>("bench.live", customer, "{\"event_id\": " + i + ", \"customer_id\": \""
                            + customer + "\", \"event_ts\": \"" + Instant.now() + "\", \"amount\": " + random.nextInt(100_000) / 100.0
                            + ", \"page\": \"p" + random.nextInt(50) + "\"}"));
                }
            }
            Thread.sleep(3000); // the last events reach online
            measuring.set(false);
            String cpu = use.report("the measured pushes to online");
            use.close();
            System.out.printf(Locale.ROOT, "freshness at %,d events/s for %d s (event time to online): rows p50 %.3f s p99 %.3f s"
                    + " (%,d samples); window aggregates p50 %.3f s p99 %.3f s (%,d samples)%n", rate, seconds,
                    percentile(rows, 0.5), percentile(rows, 0.99), rows.size(), percentile(windows, 0.5),
                    percentile(windows, 0.99), windows.size());
            System.out.println("  " + cpu);
        }
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        sorted.sort(null);
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    private static long covered(SeerServices services, String source) {
        return services.ingestor().records(source).stream().mapToLong(b -> b.kafka().map(k -> k.records()).orElse(0L)).sum();
    }

    /** Push requests of one record at a fixed rate through a real server. */
    private static void push(Path dir, String bootstrap, int rate, int seconds) throws Exception {
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - name: clicks
                    type: push
                    timestamp_field: event_ts
                    schema: {customer_id: string, event_ts: timestamp, amount: double}
                feature_views:
                  - name: clicks
                    entities: [customer]
                    source: clicks
                    features:
                      - {name: amount, type: double, checks: {min: 0}}
                """);
        SeerHome home = SeerHome.create(dir.resolve("home"));
        SeerConfig defaults = ConfigSections.defaults();
        SeerConfig config = defaults.with(ServerConfig.SECTION, new ServerConfig("127.0.0.1", 0))
                .with(KafkaConfig.SECTION, new KafkaConfig(bootstrap, 4));
        try (SeerServices services = SeerServices.open(home, config, Clock.systemUTC())) {
            services.features().apply(dir.resolve("repo"), "bench");
            String token = services.tokens().create(Role.OPERATOR, "bench", "bench").secret();
            try (SeerServer server = SeerServer.start(services)) {
                String body = "{\"customer_id\": \"c%d\", \"event_ts\": \"2026-03-01T00:00:00Z\", \"amount\": 1.5}";
                List<String> command = LoadGen.command("-Dwarmup=10");
                command.addAll(List.of(server.url() + "/api/v1/push/clicks", Integer.toString(rate), Integer.toString(seconds), "8", token,
                        body, "100000"));
                LoadGen.Measured measured = LoadGen.measure(command, "the pushes");
                System.out.printf(Locale.ROOT, "POST /api/v1/push/clicks (1 record, acks=all, one transaction) %s (ms)%n  %s%n",
                        measured.result(), measured.cpu());
            }
        }
    }
}
