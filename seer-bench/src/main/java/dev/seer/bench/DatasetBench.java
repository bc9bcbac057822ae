package dev.seer.bench;

import static dev.seer.bench.BenchFiles.deleteTree;
import static dev.seer.bench.BenchFiles.median;

import dev.seer.core.home.SeerHome;
import dev.seer.datasets.DatasetDiff;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.DatasetStore;
import dev.seer.duckdb.DuckEngine;
import dev.seer.server.ConfigSections;
import dev.seer.server.SeerServices;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Dataset benchmarks (issue 5):
 * <ol>
 *   <li>Hashing and storing: a Parquet file of {@code --gb} GB imported with
 *       {@code seer dataset import} (the same code), timed from the start of storing its data
 *       object to its end (SHA-256 while copying into the object store, synced, renamed), beside
 *       {@code sha256sum} on the same file, alternating, {@code --runs} times each, each Seer run
 *       into a fresh store; the file is read once before, so all read it from the page cache.
 *       Also beside {@code dd conv=fdatasync} copying the file on the same file system: the
 *       disk's rate for a synced copy, which storing cannot beat. The whole import (with the
 *       column profile) is timed too.
 *   <li>Diff: two versions of {@code --rows} rows differing in 1% of rows (0.4% changed, 0.3%
 *       removed, 0.3% added), imported with key {@code id}, diffed in a fresh JVM each run
 *       ({@code --runs} times), timing the diff and reading the process's peak resident memory
 *       (VmHWM, Java heap and DuckDB's native memory together).
 * </ol>
 * Usage: {@code DatasetBench [--dir D] [--gb 5] [--rows 10000000] [--runs 3] [--phase all|store|diff]}.
 */
public final class DatasetBench {
    private DatasetBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("diff-child")) {
            diffChild(Path.of(args[1]));
            return;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path dir = Path.of(options.getOrDefault("--dir", "/tmp/seer-bench-datasets"));
        double gb = Double.parseDouble(options.getOrDefault("--gb", "5"));
        long rows = Long.parseLong(options.getOrDefault("--rows", "10000000"));
        int runs = Integer.parseInt(options.getOrDefault("--runs", "3"));
        String phase = options.getOrDefault("--phase", "all");
        deleteTree(dir);
        Files.createDirectories(dir);
        if (!phase.equals("diff")) {
            store(dir.resolve("store"), gb, runs);
        }
        if (!phase.equals("store")) {
            diff(dir.resolve("diff"), rows, runs);
        }
    }

    private static void store(Path dir, double gb, int runs) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("big.parquet");
        long started = System.nanoTime();
        // About 90 bytes a row that neither compression nor dictionaries shrink: random doubles and hex digests.
        long rows = (long) (gb * 1e9 / 90);
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT i AS id, random() AS a, random() AS b, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s"
                    + " FROM range(" + rows + ") r(i)) TO " + DuckEngine.literal(file.toString())
                    + " (FORMAT parquet, COMPRESSION uncompressed)");
        }
        long bytes = Files.size(file);
        System.out.printf(Locale.ROOT, "generated %s: %,d bytes (%,d rows) in %.1f s%n", file, bytes, rows,
                (System.nanoTime() - started) / 1e9);
        readOnce(file);
        List<Double> sha256sum = new ArrayList<>();
        List<Double> dd = new ArrayList<>();
        List<Double> seer = new ArrayList<>();
        List<Double> wholeImport = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            CpuUse cpu = CpuUse.start();
            sha256sum.add(rate(bytes, "sha256sum", file.toString()));
            Path copy = dir.resolve("dd.copy");
            dd.add(rate(bytes, "dd", "if=" + file, "of=" + copy, "bs=4M", "conv=fdatasync", "status=none"));
            Files.delete(copy);
            Path home = dir.resolve("home-" + run); // a fresh store each run: the content is new to it
            double[] seconds;
            try (SeerServices services = services(home)) {
                seconds = importTimed(services.datasets(), file);
            }
            deleteTree(home);
            seer.add(bytes / 1e6 / seconds[0]);
            wholeImport.add(seconds[1]);
            System.out.printf(Locale.ROOT, "run %d: sha256sum %.0f MB/s; dd conv=fdatasync %.0f MB/s; seer hash+store %.0f MB/s"
                    + " (%.2f s); whole import with profile %.1f s%n", run + 1, sha256sum.get(run), dd.get(run), seer.get(run),
                    seconds[0], seconds[1]);
            System.out.println("  " + cpu.report("run " + (run + 1) + " (sha256sum, dd, seer)"));
            cpu.close();
        }
        System.out.printf(Locale.ROOT, "hash and store %,d bytes: seer median %.0f MB/s %s; sha256sum median %.0f MB/s %s;"
                + " ratio %.2f; dd (copy, synced) median %.0f MB/s %s, ratio %.2f; whole import median %.1f s %s%n", bytes,
                median(seer), seer, median(sha256sum), sha256sum, median(seer) / median(sha256sum), median(dd), dd,
                median(seer) / median(dd), median(wholeImport), wholeImport);
    }

    /** Seconds storing the data object (from its "storing [FILE]" step to "profiling the columns"), and the whole import. */
    private static double[] importTimed(DatasetStore datasets, Path file) {
        long[] marks = new long[2];
        long started = System.nanoTime();
        datasets.importFile("big", new DatasetStore.ImportRequest(file, List.of("id"), Optional.empty(), Optional.empty()),
                "bench", step -> { // an imported Parquet file is stored first, then profiled
                    if (step.startsWith("storing [") && marks[0] == 0) {
                        marks[0] = System.nanoTime();
                    } else if (step.equals("profiling the columns")) {
                        marks[1] = System.nanoTime();
                    }
                });
        long ended = System.nanoTime();
        return new double[] {(marks[1] - marks[0]) / 1e9, (ended - started) / 1e9};
    }

    /** MB/s of a command over {@code bytes}, timed from start to exit. */
    private static double rate(long bytes, String... command) throws Exception {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command[0] + " failed: " + out);
        }
        return bytes / 1e6 / ((System.nanoTime() - started) / 1e9);
    }

    private static void readOnce(Path file) throws Exception {
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            while (in.read(buffer) > 0) {
                // into the page cache
            }
        }
    }

    private static void diff(Path dir, long rows, int runs) throws Exception {
        Files.createDirectories(dir);
        Path a = dir.resolve("a.parquet");
        Path b = dir.resolve("b.parquet");
        long started = System.nanoTime();
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE a AS SELECT i AS id, hash(i) % 1000 AS x, random() AS y, 'c' || (i % 97) AS category,"
                    + " TIMESTAMP '2026-01-01' + INTERVAL (i % 86400) SECOND AS ts FROM range(" + rows + ") r(i)");
            s.execute("COPY (SELECT * FROM a ORDER BY id) TO " + DuckEngine.literal(a.toString()) + " (FORMAT parquet)");
            // 1% of rows differ: ids ending 0..3 of every 1000 changed, 4..6 removed, and as many added past the end.
            s.execute("COPY (SELECT id, CAST(CASE WHEN id % 1000 < 4 THEN x + 1 ELSE x END AS UBIGINT) AS x, y, category, ts"
                    + " FROM a WHERE NOT (id % 1000 BETWEEN 4 AND 6) UNION ALL SELECT " + rows + " + i, 1::UBIGINT, 0.5::DOUBLE, 'new',"
                    + " TIMESTAMP '2026-02-01' FROM range(" + rows * 3 / 1000 + ") r(i) ORDER BY id) TO "
                    + DuckEngine.literal(b.toString()) + " (FORMAT parquet)");
        }
        System.out.printf(Locale.ROOT, "generated two versions of %,d rows (%,d and %,d bytes) in %.1f s%n", rows, Files.size(a),
                Files.size(b), (System.nanoTime() - started) / 1e9);
        Path home = dir.resolve("home");
        try (SeerServices services = services(home)) {
            for (Path file : List.of(a, b)) {
                long t = System.nanoTime();
                services.datasets().importFile("events", new DatasetStore.ImportRequest(file, List.of("id"), Optional.empty(),
                        Optional.empty()), "bench", step -> { });
                System.out.printf(Locale.ROOT, "imported %s in %.1f s%n", file.getFileName(), (System.nanoTime() - t) / 1e9);
            }
        }
        List<Double> seconds = new ArrayList<>();
        List<Double> peaks = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            CpuUse cpu = CpuUse.start();
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g", "-cp",
                    System.getProperty("java.class.path"), DatasetBench.class.getName(), "diff-child", home.toString());
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("diff child failed: " + out);
            }
            String last = out.lines().reduce((x, y) -> y).orElseThrow();
            String[] fields = last.split(" ");
            seconds.add(Double.parseDouble(fields[1]));
            peaks.add(Double.parseDouble(fields[3]));
            System.out.printf(Locale.ROOT, "run %d: %s%n  %s%n", run + 1, out.replace("\n", "; "), cpu.report("the diff"));
            cpu.close();
        }
        System.out.printf(Locale.ROOT, "diff of two %,d-row versions differing in 1%%: median %.2f s %s, peak resident memory"
                + " median %.0f MB %s%n", rows, median(seconds), seconds, median(peaks), peaks);
    }

    /** One diff in this fresh JVM: prints the rows counted, then {@code seconds S peak_mb M}. */
    private static void diffChild(Path home) throws Exception {
        try (SeerServices services = SeerServices.open(SeerHome.open(home), ConfigSections.defaults(), Clock.systemUTC())) {
            long started = System.nanoTime();
            DatasetDiff diff = services.datasets().diff(DatasetRef.parse("events:1"), DatasetRef.parse("events:2"), List.of());
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "rows added %d, removed %d, changed %d%n", diff.rows().added(),
                    diff.rows().removed(), diff.rows().changed());
            System.out.printf(Locale.ROOT, "seconds %.3f peak_mb %.0f%n", seconds, peakMegabytes());
        }
    }

    private static double peakMegabytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static SeerServices services(Path home) {
        SeerHome seerHome = SeerHome.create(home);
        return SeerServices.open(seerHome, ConfigSections.defaults(), Clock.systemUTC());
    }
}
