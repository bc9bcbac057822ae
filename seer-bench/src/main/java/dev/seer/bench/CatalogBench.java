package dev.seer.bench;

import static dev.seer.bench.BenchFiles.deleteTree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Ids;
import dev.seer.core.Sha256;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.provenance.BatchRecord.KafkaSpan;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.online.Materializer;
import dev.seer.features.online.RocksDbOnlineStore;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A catalog that does not slow with age (issue 13): what a stream flush and a stream consumer do
 * with the catalog, with {@code --young} (10) and with {@code --batches} (100,000) micro-batches
 * already recorded, on SQLite and on PostgreSQL, measured side by side in one run (young, aged,
 * young, aged, so that drift of the machine falls on both).
 *
 * <p>Measured, each in its own window with {@link CpuUse}:
 * <ol>
 *   <li>Flush: a real micro-batch of {@code --records} records staged as JSONL, ingested with
 *       {@link Ingestor#ingestStaged} (the commit point) and materialised with
 *       {@link Materializer#materializeStagedBatch}, as {@code StreamIngestion.flush} does; the
 *       time inside the catalog is taken apart by a timing proxy around it.
 *   <li>Resume: {@code StreamIngestion.lastRecorded} for each partition, what a consumer reads on
 *       assignment and after a lost race, and {@code seer features status} per partition.
 *   <li>View files: {@link Ingestor#viewFiles} of a view of another (file) source, what
 *       historical retrieval, materialisation and the consistency check read.
 * </ol>
 * The aged catalog is made by one real ingestion whose record is then copied with a new batch id,
 * content hash, offsets, time and file names, recorded through the catalog API in parallel (100,000
 * real ingestions would take hours), filed under the same terms as real batches (found
 * reflectively: the same harness runs against main's code before issue 13, which has none).
 * Usage: {@code CatalogBench [--dir D] [--batches N] [--young N] [--flushes F] [--records R]
 * [--rounds R] [--backends sqlite,postgresql] [--postgres-url URL] [--postgres-user U]}.
 */
public final class CatalogBench {
    private static final String SOURCE = "clicks";
    private static final String TOPIC = "bench.events";
    private static final int PARTITIONS = 4;
    private static final long RESUME_BUDGET_NANOS = 2_000_000_000L;

    private CatalogBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path dir = Path.of(options.getOrDefault("--dir", "/tmp/seer-bench-catalog"));
        int aged = Integer.parseInt(options.getOrDefault("--batches", "100000"));
        int young = Integer.parseInt(options.getOrDefault("--young", "10"));
        int flushes = Integer.parseInt(options.getOrDefault("--flushes", "40"));
        int records = Integer.parseInt(options.getOrDefault("--records", "100"));
        int rounds = Integer.parseInt(options.getOrDefault("--rounds", "2"));
        String pgUrl = options.getOrDefault("--postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
        String pgUser = options.getOrDefault("--postgres-user", "postgres");
        deleteTree(dir);
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "code: %s; %d cores%n", hasTerms() ? "batches filed under terms (issue 13)"
                : "before issue 13 (no terms)", Runtime.getRuntime().availableProcessors());
        for (String backend : options.getOrDefault("--backends", "sqlite,postgresql").split(",")) {
            List<Setup> setups = new ArrayList<>();
            try {
                for (int batches : List.of(young, aged)) {
                    setups.add(Setup.open(dir.resolve(backend + "-" + batches), backend, batches, pgUrl, pgUser));
                    setups.get(setups.size() - 1).prerecord(batches, records);
                }
                for (Setup setup : setups) { // warm-up, not counted: the JIT, the database's caches
                    setup.flushes(10, records);
                    setup.resumes();
                    setup.viewFiles();
                }
                Map<String, List<double[]>> results = new HashMap<>();
                for (int round = 1; round <= rounds; round++) {
                    for (Setup setup : setups) {
                        String label = backend + ", " + String.format(Locale.ROOT, "%,d", setup.batches) + " batches recorded";
                        double[] flush = setup.measureFlushes(flushes, records, label + ", round " + round);
                        double resume = setup.measureResumes(label + ", round " + round);
                        double files = setup.measureViewFiles(label + ", round " + round);
                        results.computeIfAbsent(backend + ":" + setup.batches, k -> new ArrayList<>())
                                .add(new double[] {flush[0], flush[1], resume, files});
                    }
                }
                summary(backend, young, aged, results);
            } finally {
                for (Setup setup : setups) {
                    setup.close();
                }
            }
        }
    }

    /** Per backend: the medians over rounds, and aged against young as a rate (young time / aged time). */
    private static void summary(String backend, int young, int aged, Map<String, List<double[]>> results) {
        double[] y = medians(results.get(backend + ":" + young));
        double[] a = medians(results.get(backend + ":" + aged));
        String[] names = {"flush (ms)", "catalog per flush (ms)", "resume, per partition (ms)", "view files (ms)"};
        System.out.printf(Locale.ROOT, "%n== %s: %,d vs %,d batches recorded (median of rounds) ==%n", backend, young, aged);
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "  %-28s %10.3f %10.3f   rate aged/young %.2f%n", names[i], y[i], a[i], y[i] / a[i]);
        }
        System.out.println();
    }

    private static double[] medians(List<double[]> rows) {
        double[] out = new double[rows.get(0).length];
        for (int i = 0; i < out.length; i++) {
            List<Double> column = new ArrayList<>();
            for (double[] row : rows) {
                column.add(row[i]);
            }
            out[i] = BenchFiles.median(column);
        }
        return out;
    }

    /** Whether the catalog files entries under terms (the code of issue 13). */
    private static boolean hasTerms() {
        return termsMethod() != null;
    }

    /** {@code Ingestor.terms(BatchRecord)}: how a real batch record is filed; null in main's code before issue 13. */
    private static Method termsMethod() {
        try {
            Method m = Ingestor.class.getDeclaredMethod("terms", BatchRecord.class);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** A catalog in a fresh store, with the ingestor and materialiser of a stream, and {@code batches} recorded. */
    private static final class Setup implements AutoCloseable {
        final int batches;
        final String backend;
        final String schema;
        final String pgUrl;
        final String pgUser;
        final Path dir;
        final MetadataDatabase database;
        final AuditLog audit;
        final JdbcCatalog jdbc;
        final AtomicLong catalogNanos = new AtomicLong();
        /** Per catalog method, its total time: which call a slower flush spends it in. */
        final Map<String, AtomicLong> methodNanos = new java.util.concurrent.ConcurrentHashMap<>();
        final Catalog timed;
        final Ingestor ingestor;
        final Materializer materializer;
        final RocksDbOnlineStore online;
        final Map<Integer, Long> next = new HashMap<>();
        final Method lastRecorded;
        int staged;

        private Setup(Path dir, String backend, int batches, String schema, String pgUrl, String pgUser,
                MetadataConfig config) throws Exception {
            this.dir = dir;
            this.backend = backend;
            this.batches = batches;
            this.schema = schema;
            this.pgUrl = pgUrl;
            this.pgUser = pgUser;
            Files.createDirectories(dir);
            Clock clock = Clock.systemUTC();
            this.database = MetadataDatabase.open(config, dir);
            this.audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
            this.jdbc = new JdbcCatalog(database, audit, clock);
            this.timed = timing(jdbc, catalogNanos, methodNanos);
            this.ingestor = new Ingestor(timed, new OfflineStore(dir.resolve("offline")), clock);
            this.online = new RocksDbOnlineStore(dir.resolve("online"));
            this.materializer = new Materializer(timed, ingestor, online);
            this.lastRecorded = Class.forName("dev.seer.features.stream.StreamIngestion")
                    .getDeclaredMethod("lastRecorded", Ingestor.class, String.class, String.class, int.class);
            lastRecorded.setAccessible(true);
        }

        static Setup open(Path dir, String backend, int batches, String pgUrl, String pgUser) throws Exception {
            if (backend.equals("sqlite")) {
                return new Setup(dir, backend, batches, null, pgUrl, pgUser, new MetadataConfig("", "", "", 8));
            }
            String schema = "seer_bench_catalog_" + batches;
            try (Connection c = DriverManager.getConnection(pgUrl, pgUser, ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                s.execute("CREATE SCHEMA " + schema);
            }
            String url = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            return new Setup(dir, backend, batches, schema, pgUrl, pgUser, new MetadataConfig(url, pgUser, "", 8));
        }

        /**
         * The repository, one real batch of the file source and one of the stream, then copies of
         * the stream batch's record until {@code count} stream batches are recorded, round-robin
         * over the partitions.
         */
        void prerecord(int count, int records) throws Exception {
            Files.createDirectories(dir.resolve("repo"));
            Files.writeString(dir.resolve("repo/orders.csv"), "customer_id,event_ts,total\nc1,2026-03-01T00:00:00Z,3.5\n");
            Files.writeString(dir.resolve("repo/repo.yaml"), """
                    entities:
                      - {name: customer, join_keys: [customer_id]}
                    sources:
                      - name: %s
                        type: kafka
                        topic: %s
                        key_field: customer_id
                        timestamp_field: event_ts
                        schema: {customer_id: string, event_ts: timestamp, amount: double, page: string}
                      - {name: orders, path: orders.csv, timestamp_field: event_ts}
                    feature_views:
                      - name: activity
                        entities: [customer]
                        source: %s
                        features:
                          - {name: amount, type: double, checks: {min: 0}}
                          - {name: page, type: string}
                      - name: order_totals
                        entities: [customer]
                        source: orders
                        features:
                          - {name: total, type: double}
                    """.formatted(SOURCE, TOPIC, SOURCE));
            new FeatureRegistry(jdbc).apply(dir.resolve("repo"), "bench");
            ingestor.ingest("orders", Optional.empty(), "bench");
            flush(0, records);
            BatchRecord template = ingestor.records(SOURCE).get(0);
            long started = System.nanoTime();
            Method terms = termsMethod();
            Ids ids = new Ids(Clock.systemUTC());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> done = new ArrayList<>();
            AtomicLong recorded = new AtomicLong(1);
            for (int k = 1; k < count; k++) {
                int partition = k % PARTITIONS;
                long first = next.getOrDefault(partition, 0L);
                next.put(partition, first + records);
                BatchRecord body = copy(template, ids.next("batch"), partition, first, first + records - 1);
                String name = SOURCE + "@" + TOPIC + "/" + partition + "/" + first;
                done.add(pool.submit(() -> {
                    record(name, body, terms);
                    long n = recorded.incrementAndGet();
                    if (n % 10_000 == 0) {
                        System.out.printf(Locale.ROOT, "  %s: %,d batches recorded (%.0f s)%n", backend, n,
                                (System.nanoTime() - started) / 1e9);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            System.out.printf(Locale.ROOT, "%s: %,d stream batches recorded in %.1f s (all but one copied through the catalog API)%n",
                    backend, ingestor.records(SOURCE).size(), (System.nanoTime() - started) / 1e9);
        }

        private void record(String name, BatchRecord batch, Method terms) throws Exception {
            ObjectNode body = BatchRecord.CODEC.encode(batch);
            if (terms == null) {
                jdbc.create("ingest_batch", name, body, "system:stream-ingestion");
                return;
            }
            List<?> filed = (List<?>) terms.invoke(null, batch);
            Method create = Catalog.class.getMethod("create", String.class, String.class, JsonNode.class, List.class,
                    String.class);
            create.invoke(jdbc, "ingest_batch", name, body, filed, "system:stream-ingestion");
        }

        /** The real record with what differs from batch to batch replaced, as the next ingestion would write it. */
        private BatchRecord copy(BatchRecord template, String batchId, int partition, long first, long last) {
            KafkaSpan span = template.kafka().orElseThrow();
            return new BatchRecord(batchId, template.source(), template.sourceVersion(), Sha256.hex(batchId),
                    Optional.of(dir.resolve("staging").resolve(TOPIC + "-" + partition + "-" + first + "-" + last + ".jsonl")
                            .toString()), template.rowsRead(), Instant.now(),
                    Optional.of(new KafkaSpan(span.topic(), partition, first, last, span.records(), span.deadLettered(),
                            span.ingestedBy(), span.watermarkMicros())),
                    template.views(), template.files().stream().map(f -> f.replace(template.batchId(), batchId)).toList(),
                    template.rowsWritten(), template.rowsQuarantined());
        }

        void flushes(int count, int records) throws Exception {
            for (int i = 0; i < count; i++) {
                flush(0, records);
            }
        }

        /** What {@code StreamIngestion.flush} does with a partition's micro-batch once its dead letters are written. */
        private void flush(int partition, int records) throws Exception {
            long first = next.getOrDefault(partition, 0L);
            long last = first + records - 1;
            Path file = dir.resolve("staging").resolve(TOPIC + "-" + partition + "-" + first + "-" + last + ".jsonl");
            Files.createDirectories(file.getParent());
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < records; i++) {
                lines.append(String.format(Locale.ROOT, "{\"customer_id\":\"c%d\",\"event_ts\":\"2026-03-01T%02d:%02d:00Z\","
                        + "\"amount\":%d.5,\"page\":\"p%d\"}%n", (staged + i) % 1000, i / 60 % 24, i % 60, i, i % 7));
            }
            staged += records;
            Files.writeString(file, lines);
            KafkaSpan span = new KafkaSpan(TOPIC, partition, first, last, records, 0, "bench", 1_772_323_200_000_000L);
            String origin = TOPIC + "/" + partition + "/" + first;
            if (ingestor.ingestStaged(SOURCE, file, origin, span, "system:stream-ingestion").alreadyIngested()) {
                throw new IllegalStateException("Batch [" + origin + "] was recorded before");
            }
            materializer.materializeStagedBatch(SOURCE, origin, Instant.now(), Set.of());
            Files.deleteIfExists(file);
            next.put(partition, last + 1);
        }

        /** Median and per-flush catalog time, in ms. */
        double[] measureFlushes(int count, int records, String label) throws Exception {
            List<Double> times = new ArrayList<>();
            List<Double> inCatalog = new ArrayList<>();
            methodNanos.clear();
            CpuUse cpu = CpuUse.start();
            for (int i = 0; i < count; i++) {
                long before = catalogNanos.get();
                long started = System.nanoTime();
                flush(0, records);
                times.add((System.nanoTime() - started) / 1e6);
                inCatalog.add((catalogNanos.get() - before) / 1e6);
            }
            String report = cpu.report(count + " flushes");
            cpu.close();
            double median = BenchFiles.median(times);
            double catalogMedian = BenchFiles.median(inCatalog);
            System.out.printf(Locale.ROOT, "%s: flush of %d records median %.2f ms, p90 %.2f ms (%.1f flushes/s); in the"
                    + " catalog median %.3f ms per flush%n  %s%n", label, records, median, percentile(times, 0.9),
                    1000 / median, catalogMedian, report);
            StringBuilder calls = new StringBuilder("  catalog ms per flush by call (mean):");
            new java.util.TreeMap<>(methodNanos).forEach((call, nanos) -> calls.append(String.format(Locale.ROOT, " %s %.3f;",
                    call, nanos.get() / 1e6 / count)));
            System.out.println(calls);
            return new double[] {median, catalogMedian};
        }

        void resumes() throws Exception {
            for (int p = 0; p < PARTITIONS; p++) {
                resume(p);
            }
        }

        private long resume(int partition) throws Exception {
            try {
                @SuppressWarnings("unchecked")
                Optional<KafkaSpan> span = (Optional<KafkaSpan>) lastRecorded.invoke(null, ingestor, SOURCE, TOPIC, partition);
                long resumeAt = span.orElseThrow().lastOffset() + 1;
                if (resumeAt != next.getOrDefault(partition, 0L)) {
                    throw new IllegalStateException("Partition " + partition + " resumes at " + resumeAt + ", expected "
                            + next.get(partition));
                }
                return resumeAt;
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        /** Median ms of one partition's recorded position. */
        double measureResumes(String label) throws Exception {
            List<Double> times = new ArrayList<>();
            CpuUse cpu = CpuUse.start();
            long started = System.nanoTime();
            while (times.size() < 8 || (System.nanoTime() - started < RESUME_BUDGET_NANOS && times.size() < 2000)) {
                long t = System.nanoTime();
                resume(times.size() % PARTITIONS);
                times.add((System.nanoTime() - t) / 1e6);
            }
            String report = cpu.report(times.size() + " resumes");
            cpu.close();
            double median = BenchFiles.median(times);
            System.out.printf(Locale.ROOT, "%s: resume position of a partition median %.3f ms, p90 %.3f ms (%d reads)%n  %s%n",
                    label, median, percentile(times, 0.9), times.size(), report);
            return median;
        }

        void viewFiles() {
            if (ingestor.viewFiles("order_totals").isEmpty()) {
                throw new IllegalStateException("View [order_totals] has no files");
            }
        }

        /** Median ms of the files of the file source's view. */
        double measureViewFiles(String label) {
            List<Double> times = new ArrayList<>();
            CpuUse cpu = CpuUse.start();
            long started = System.nanoTime();
            while (times.size() < 5 || (System.nanoTime() - started < RESUME_BUDGET_NANOS && times.size() < 2000)) {
                long t = System.nanoTime();
                viewFiles();
                times.add((System.nanoTime() - t) / 1e6);
            }
            String report = cpu.report(times.size() + " view-file reads");
            cpu.close();
            double median = BenchFiles.median(times);
            System.out.printf(Locale.ROOT, "%s: files of view [order_totals] median %.3f ms (%d reads)%n  %s%n", label, median,
                    times.size(), report);
            return median;
        }

        @Override
        public void close() throws Exception {
            online.close();
            audit.close();
            database.close();
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(pgUrl, pgUser, ""); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    /** The catalog with the time spent in each call added to {@code nanos}: what a flush costs in the catalog. */
    private static Catalog timing(Catalog catalog, AtomicLong nanos, Map<String, AtomicLong> byMethod) {
        InvocationHandler handler = (proxy, method, args) -> {
            long started = System.nanoTime();
            try {
                return method.invoke(catalog, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                long took = System.nanoTime() - started;
                nanos.addAndGet(took);
                String key = method.getName() + (args == null ? "" : "(" + args[0] + ")");
                byMethod.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(took);
            }
        };
        return (Catalog) Proxy.newProxyInstance(Catalog.class.getClassLoader(), new Class<?>[] {Catalog.class}, handler);
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }
}
