package dev.seer.bench;

import dev.seer.core.Role;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import dev.seer.streaming.KafkaBroker;
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
 *   <li>Stream ingestion: {@code --events} JSON events on a 4-partition topic, read by Seer's
 *       ingestion (checks, dead letters, Parquet micro-batches, catalog records) until every
 *       record is covered, beside Kafka's own {@code ConsumerPerformance} (the class behind
 *       {@code kafka-consumer-perf-test}) reading the same topic in a second JVM, in the same run.
 *   <li>Push: {@code POST /api/v1/push/SOURCE} with one record per request at a fixed rate
 *       ({@link LoadGen}, a second JVM), each answered after the transaction commit (acks=all).
 * </ol>
 * Usage: {@code StreamBench [--dir D] [--events N] [--runs R] [--push-rate R] [--push-seconds S]}.
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
        int pushRate = Integer.parseInt(options.getOrDefault("--push-rate", "500"));
        int pushSeconds = Integer.parseInt(options.getOrDefault("--push-seconds", "15"));
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
            List<Double> seer = new ArrayList<>();
            List<Double> peer = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                peer.add(consumerPerformance(bootstrap, events, run));
                seer.add(seerIngestion(dir.resolve("run-" + run), bootstrap, events));
                System.out.printf(Locale.ROOT, "run %d: kafka ConsumerPerformance %,.0f events/s, seer ingestion %,.0f events/s%n",
                        run + 1, peer.get(run), seer.get(run));
            }
            double seerMedian = median(seer);
            double peerMedian = median(peer);
            System.out.printf(Locale.ROOT, "stream ingestion median %,.0f events/s %s; ConsumerPerformance median %,.0f events/s %s;"
                    + " ratio %.2f%n", seerMedian, seer, peerMedian, peer, seerMedian / peerMedian);
            push(dir.resolve("push"), bootstrap, pushRate, pushSeconds);
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

    /** Seer's stream ingestion of the topic into a fresh home; returns events per second until all are recorded. */
    private static double seerIngestion(Path dir, String bootstrap, int events) throws Exception {
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - name: events
                    type: kafka
                    topic: bench.events
                    timestamp_field: event_ts
                    schema: {event_id: long, customer_id: string, event_ts: timestamp, amount: double, page: string}
                feature_views:
                  - name: activity
                    entities: [customer]
                    source: events
                    features:
                      - {name: amount, type: double, checks: {min: 0}}
                      - {name: page, type: string}
                """);
        SeerHome home = SeerHome.create(dir.resolve("home"));
        SeerConfig defaults = SeerConfig.defaults();
        SeerConfig config = new SeerConfig(defaults.server(), defaults.metadata(), defaults.audit(), defaults.online(),
                new SeerConfig.Kafka(bootstrap, 4));
        try (SeerServices services = SeerServices.open(home, config, Clock.systemUTC())) {
            services.features().apply(dir.resolve("repo"), "bench");
            long started = System.nanoTime();
            services.streaming().refresh();
            while (covered(services) < events) {
                Thread.sleep(20);
            }
            return events / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static long covered(SeerServices services) {
        return services.ingestor().batches("events").stream()
                .mapToLong(b -> b.body().path("lineage").path("records").asLong()).sum();
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
        SeerConfig defaults = SeerConfig.defaults();
        SeerConfig config = new SeerConfig(new SeerConfig.Server("127.0.0.1", 0), defaults.metadata(), defaults.audit(),
                defaults.online(), new SeerConfig.Kafka(bootstrap, 4));
        try (SeerServices services = SeerServices.open(home, config, Clock.systemUTC())) {
            services.features().apply(dir.resolve("repo"), "bench");
            String token = services.tokens().create(Role.OPERATOR, "bench", "bench").secret();
            try (SeerServer server = SeerServer.start(services)) {
                String body = "{\"customer_id\": \"c%d\", \"event_ts\": \"2026-03-01T00:00:00Z\", \"amount\": 1.5}";
                List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                        "-Dwarmup=10", "-cp", System.getProperty("java.class.path"), LoadGen.class.getName(),
                        server.url() + "/api/v1/push/clicks", Integer.toString(rate), Integer.toString(seconds), "8", token,
                        body, "100000");
                Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String result = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                process.waitFor();
                System.out.printf(Locale.ROOT, "POST /api/v1/push/clicks (1 record, acks=all, one transaction) %s (ms)%n", result);
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
