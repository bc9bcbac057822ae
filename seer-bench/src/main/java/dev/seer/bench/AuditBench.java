package dev.seer.bench;

import dev.seer.core.Json;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.home.SeerHome;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.MetadataDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Audit log benchmarks (issue 2).
 *
 * <p>{@code append}: producer threads keep up to {@code --inflight} appends outstanding (as many
 * concurrent requests would) for {@code --seconds}, against SQLite (WAL, synchronous=FULL) and
 * PostgreSQL, with group commit and, as the baseline, with one commit per entry. Reports
 * entries/s and the append-to-acknowledgement latency (p50, p99, max).
 *
 * <p>{@code verify}: fills a home with {@code --entries} entries, then times a full verify
 * (chain, head, Merkle root) {@code --runs} times and reports the median. The home is kept, so
 * the CLI can be timed on it too: {@code time ./seer --home DIR audit verify}.
 */
public final class AuditBench {
    private static final String PG_USER = BenchDatabase.PG_USER;

    private AuditBench() {}

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        switch (options.mode) {
            case "append" -> append(options);
            case "verify" -> verify(options);
            default -> throw new IllegalArgumentException("mode must be append or verify, got " + options.mode);
        }
    }

    private static void append(Options options) throws Exception {
        System.out.printf(Locale.ROOT, "%-11s %-13s %12s %10s %10s %10s%n", "backend", "commit", "entries/s", "p50 ms",
                "p99 ms", "max ms");
        for (String backend : options.backends) {
            for (int batch : options.batches) {
                try (BenchDatabase store = BenchDatabase.open(backend)) {
                    Result r = runAppends(store.database, batch, options);
                    System.out.printf(Locale.ROOT, "%-11s %-13s %12.0f %10.2f %10.2f %10.2f%n  %s%n", backend,
                            batch == 1 ? "per entry" : "group (" + batch + ")", r.perSecond, r.p50, r.p99, r.max, r.cpu);
                }
            }
        }
    }

    private record Result(double perSecond, double p50, double p99, double max, String cpu) {}

    private static Result runAppends(MetadataDatabase database, int batch, Options options) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicLong acknowledged = new AtomicLong();
        Semaphore inflight = new Semaphore(options.inflight);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        try (AuditLog audit = new AuditLog(database, Clock.systemUTC(), new AuditConfig(batch, options.inflight * 2))) {
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < options.producers; p++) {
                int producer = p;
                Thread thread = new Thread(() -> produce(audit, producer, inflight, running, measuring, recorder, acknowledged));
                producers.add(thread);
                thread.start();
            }
            Thread.sleep(options.warmupSeconds * 1000L);
            recorder.reset();
            long startCount = acknowledged.get();
            long start = System.nanoTime();
            measuring.set(true);
            String cpu;
            try (CpuUse use = CpuUse.start()) {
                Thread.sleep(options.seconds * 1000L);
                cpu = use.report("the appends");
            }
            long count = acknowledged.get() - startCount;
            double elapsed = (System.nanoTime() - start) / 1e9;
            Histogram histogram = recorder.getIntervalHistogram();
            running.set(false);
            for (Thread thread : producers) {
                thread.join();
            }
            inflight.acquire(options.inflight); // let every outstanding append finish before closing
            return new Result(count / elapsed, histogram.getValueAtPercentile(50) / 1e6,
                    histogram.getValueAtPercentile(99) / 1e6, histogram.getMaxValue() / 1e6, cpu);
        }
    }

    private static void produce(AuditLog audit, int producer, Semaphore inflight, AtomicBoolean running,
            AtomicBoolean measuring, Recorder recorder, AtomicLong acknowledged) {
        long i = 0;
        while (running.get()) {
            try {
                inflight.acquire();
            } catch (InterruptedException e) {
                return;
            }
            long started = System.nanoTime();
            audit.append(record(producer, i++)).whenComplete((entry, error) -> {
                inflight.release();
                if (error == null) {
                    acknowledged.incrementAndGet();
                    if (measuring.get()) {
                        recorder.recordValue(System.nanoTime() - started);
                    }
                }
            });
        }
    }

    private static AuditRecord record(int producer, long i) {
        return new AuditRecord("token:bench-" + producer, "prediction.logged", "deployment", "churn-champion",
                Json.object().put("batch", i).put("rows", 500).put("model", "churn:v7"));
    }

    private static void verify(Options options) throws Exception {
        for (String backend : options.backends) {
            Path homeDir = options.home.resolve(backend);
            SeerHome home;
            if (Files.exists(homeDir.resolve(SeerHome.CONFIG_FILE))) {
                home = SeerHome.open(homeDir);
            } else {
                home = SeerHome.create(homeDir);
            }
            try (BenchDatabase store = backend.equals("sqlite") ? BenchDatabase.sqlite(homeDir) : BenchDatabase.open(backend)) {
                if (backend.equals("postgresql")) {
                    Files.writeString(home.configFile(), "metadata:\n  url: \"" + store.url + "\"\n  username: " + PG_USER + "\n");
                }
                fill(store.database, options.entries);
                long[] millis = new long[options.runs];
                AuditVerification last = null;
                String cpu;
                try (CpuUse use = CpuUse.start(); AuditLog audit = new AuditLog(store.database, Clock.systemUTC(), new AuditConfig(1000, 1000))) {
                    for (int run = 0; run < options.runs; run++) {
                        long start = System.nanoTime();
                        last = audit.verify();
                        millis[run] = (System.nanoTime() - start) / 1_000_000;
                    }
                    cpu = use.report("the verify runs");
                }
                Arrays.sort(millis);
                System.out.printf(Locale.ROOT, "%-11s verify of %,d entries: median %.2f s (runs: %s), ok=%s%n", backend,
                        last.entriesChecked(), millis[millis.length / 2] / 1000.0, Arrays.toString(millis), last.ok());
                System.out.println("  " + cpu);
                System.out.println("  home kept at " + homeDir + (backend.equals("postgresql") ? " (schema kept: "
                        + store.schema + ")" : ""));
                store.keep = true;
            }
        }
    }

    private static void fill(MetadataDatabase database, long entries) throws Exception {
        try (AuditLog audit = new AuditLog(database, Clock.systemUTC(), new AuditConfig(5000, 50_000))) {
            long existing = audit.verify().entriesChecked();
            Semaphore inflight = new Semaphore(20_000);
            long started = System.nanoTime();
            for (long i = existing; i < entries; i++) {
                inflight.acquire();
                audit.append(record((int) (i % 16), i)).whenComplete((e, error) -> inflight.release());
                if (i % 200_000 == 0 && i > existing) {
                    System.err.printf(Locale.ROOT, "  filled %,d of %,d%n", i, entries);
                }
            }
            inflight.acquire(20_000);
            if (entries > existing) {
                System.err.printf(Locale.ROOT, "  filled %,d entries in %.1f s%n", entries - existing,
                        (System.nanoTime() - started) / 1e9);
            }
        }
    }

    private static final class Options {
        String mode;
        List<String> backends = List.of("sqlite", "postgresql");
        List<Integer> batches = List.of(1000, 1);
        int seconds = 15;
        int warmupSeconds = 3;
        int inflight = 4096;
        int producers = 4;
        long entries = 1_000_000;
        int runs = 5;
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "seer-bench-verify");

        Options(String[] args) {
            mode = args.length > 0 ? args[0] : "append";
            for (int i = 1; i < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--backend" -> backends = List.of(value.split(","));
                    case "--batch" -> batches = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--warmup" -> warmupSeconds = Integer.parseInt(value);
                    case "--inflight" -> inflight = Integer.parseInt(value);
                    case "--producers" -> producers = Integer.parseInt(value);
                    case "--entries" -> entries = Long.parseLong(value);
                    case "--runs" -> runs = Integer.parseInt(value);
                    case "--home" -> home = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        }
    }
}
