package dev.seer.serving.log;

import dev.seer.core.audit.AuditSink;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Figures, not a test: {@code threads} threads each append one prediction at a time, waiting for
 * each, for {@code seconds}; prints appends/s and the median and p99 append latency, with the
 * audit entries going to an in-memory sink and to the real audit log on SQLite.
 *
 * <p>Arguments: threads (16), seconds (5).
 */
public final class PredictionLogLoad {
    private PredictionLogLoad() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path home = Files.createTempDirectory("predlog-load");
        run("warm-up (not a figure)", home.resolve("w"), new CollectingAudit(), threads, 3);
        CollectingAudit inMemory = new CollectingAudit();
        run("in-memory audit", home.resolve("a"), inMemory, threads, seconds);
        System.out.printf("  %d batches (syncs)%n", inMemory.batches().size());
        try (MetadataDatabase database = MetadataDatabase.open(new MetadataConfig("jdbc:sqlite:" + home.resolve("metadata.db"), "", "", 4), home);
                AuditLog audit = new AuditLog(database, Clock.systemUTC(), new AuditConfig(500, 10_000))) {
            run("SQLite audit log", home.resolve("b"), audit, threads, seconds);
        }
    }

    private static void run(String label, Path dir, AuditSink audit, int threads, int seconds) throws Exception {
        List<long[]> latencies = new ArrayList<>();
        long start;
        long end;
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT, audit, Clock.systemUTC())) {
            start = System.nanoTime();
            long deadline = start + seconds * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long[] mine = new long[2_000_000];
                latencies.add(mine);
                int thread = t;
                Thread worker = new Thread(() -> {
                    int n = 0;
                    while (System.nanoTime() < deadline && n < mine.length - 1) {
                        Prediction p = Predictions.of(log.nextId(), thread * 1_000_000 + n);
                        long t0 = System.nanoTime();
                        log.append(List.of(p)).join();
                        mine[++n] = System.nanoTime() - t0;
                    }
                    mine[0] = n;
                });
                workers.add(worker);
                worker.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            end = System.nanoTime();
        }
        long total = latencies.stream().mapToLong(l -> l[0]).sum();
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 1, all, k, (int) l[0]);
            k += (int) l[0];
        }
        Arrays.sort(all);
        double secondsTaken = (end - start) / 1e9;
        System.out.printf("%s: %d threads, %d appends in %.1f s = %.0f appends/s; latency median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                label, threads, total, secondsTaken, total / secondsTaken, all[all.length / 2] / 1e6,
                all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
    }
}
