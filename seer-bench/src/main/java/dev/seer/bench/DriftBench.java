package dev.seer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.monitoring.drift.ColumnDrift;
import dev.seer.monitoring.drift.DatasetDrift;
import dev.seer.monitoring.drift.DriftTest;
import dev.seer.monitoring.drift.DriftTests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 18's drift report benchmark: FEATURES numeric columns of ROWS rows each, a reference and a
 * current sample of the same size, some columns shifted. Seer's report (each column's default test,
 * which for samples this large is Evidently's normed Wasserstein distance, then the dataset rule)
 * runs one task per column on THREADS threads; its wall time, and the process's peak resident
 * memory, are the figures the goal (under 10 s for 1,000,000 x 50) is about. Then, side by
 * side with SciPy 1.10.1 (drift_peer.py, one thread, as SciPy runs), each kind of statistic over
 * all columns on one thread: KS statistic and p-value, Wasserstein, and Jensen-Shannon and PSI over
 * Evidently's bins, with the largest difference between the two for each.
 *
 * <p>Arguments: work directory, features (50), rows (1000000), threads (2), repeats (3). The columns
 * are written as little-endian float64 files the Python peer reads.
 */
public final class DriftBench {
    private DriftBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/seer-bench-drift");
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        BenchFiles.deleteTree(dir);
        Files.createDirectories(dir);
        double[][] reference = new double[features][];
        double[][] current = new double[features][];
        for (int f = 0; f < features; f++) {
            reference[f] = column(new Random(2 * f), rows, 0);
            current[f] = column(new Random(2 * f + 1), rows, f % 5 == 0 ? 0.15 * (1 + f / 5) : 0); // every fifth shifted
            write(dir.resolve("ref_" + f + ".f64"), reference[f]);
            write(dir.resolve("cur_" + f + ".f64"), current[f]);
        }
        System.out.printf(Locale.ROOT, "%d features x %,d rows, reference and current; %d threads; heap in use %.0f MB%n",
                features, rows, threads, used() / 1e6);

        List<Double> reports = new ArrayList<>();
        DatasetDrift drift = null;
        String cpu;
        try (CpuUse use = CpuUse.start()) {
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                drift = report(DriftTests.defaults(), reference, current, threads);
                reports.add((System.nanoTime() - start) / 1e9);
            }
            cpu = use.report("the drift reports");
        }
        System.out.printf(Locale.ROOT, "drift report (default tests, %d threads): median %.2f s of %s; %d of %d columns"
                + " drifted, dataset drift %s; peak resident memory of this JVM %.0f MB%n", threads,
                BenchFiles.median(reports), reports, drift.columns().stream().filter(ColumnDrift::drifted).count(), features,
                drift.drifted(), peakResidentBytes() / 1e6);
        System.out.println("  " + cpu);

        JsonNode peer = python(dir, features);
        JsonNode peerColumns = peer.get("features");
        for (DriftTest test : List.of(DriftTest.KS, DriftTest.WASSERSTEIN, DriftTest.JENSEN_SHANNON, DriftTest.PSI)) {
            DriftTests tests = forAll(test, features);
            List<Double> times = new ArrayList<>();
            List<ColumnDrift> columns = null;
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                columns = oneThread(tests, reference, current);
                times.add((System.nanoTime() - start) / 1e9);
            }
            String field = switch (test) {
                case KS -> "ks_statistic";
                case WASSERSTEIN -> "wasserstein_normed";
                case JENSEN_SHANNON -> "jensenshannon";
                default -> "psi";
            };
            double diff = 0;
            double pDiff = 0;
            for (int f = 0; f < features; f++) {
                diff = Math.max(diff, Math.abs(columns.get(f).statistic() - peerColumns.get(f).get(field).asDouble()));
                if (test == DriftTest.KS) {
                    double p = peerColumns.get(f).get("ks_pvalue").asDouble();
                    pDiff = Math.max(pDiff, Math.abs(columns.get(f).pValue() - p) / Math.max(p, Double.MIN_NORMAL));
                }
            }
            String peerKind = switch (test) {
                case KS -> "ks";
                case WASSERSTEIN -> "wasserstein";
                default -> "binned_js_psi";
            };
            System.out.printf(Locale.ROOT, "%-32s Seer, one thread: median %.2f s %s; SciPy (%s): %.2f s;"
                    + " largest |difference| of the statistic %.3g%s%n", test.name(), BenchFiles.median(times), times,
                    peerKind, peer.get("seconds").get(peerKind).asDouble(), diff,
                    test == DriftTest.KS ? String.format(Locale.ROOT, ", of the p-value (relative) %.3g", pDiff) : "");
        }
        System.out.printf(Locale.ROOT, "SciPy's peak resident memory %.0f MB%n", peer.get("peak_resident_bytes").asDouble() / 1e6);
    }

    /** A column: a mixture of two normals (so its shape is not a textbook one), shifted by {@code shift}. */
    private static double[] column(Random random, int rows, double shift) {
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = (random.nextDouble() < 0.3 ? 2 + 0.5 * random.nextGaussian() : random.nextGaussian()) + shift;
        }
        return values;
    }

    private static DatasetDrift report(DriftTests tests, double[][] reference, double[][] current, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<ColumnDrift>> futures = new ArrayList<>();
            for (int f = 0; f < reference.length; f++) {
                int column = f;
                futures.add(pool.submit(() -> tests.numeric("f" + column, reference[column], current[column])));
            }
            List<ColumnDrift> columns = new ArrayList<>();
            for (Future<ColumnDrift> future : futures) {
                columns.add(future.get());
            }
            return tests.dataset(columns);
        } finally {
            pool.shutdown();
        }
    }

    private static DriftTests forAll(DriftTest test, int features) {
        DriftTests.Builder builder = DriftTests.builder();
        for (int f = 0; f < features; f++) {
            builder.test("f" + f, test);
        }
        return builder.build();
    }

    private static List<ColumnDrift> oneThread(DriftTests tests, double[][] reference, double[][] current) {
        List<ColumnDrift> columns = new ArrayList<>();
        for (int f = 0; f < reference.length; f++) {
            columns.add(tests.numeric("f" + f, reference[f], current[f]));
        }
        return columns;
    }

    private static void write(Path file, double[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static JsonNode python(Path dir, int features) throws Exception {
        Path script = Path.of(System.getProperty("seer.bench.python", "seer-bench/src/main/python/drift_peer.py"));
        Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), dir.toString(), Integer.toString(features))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("drift_peer.py failed: " + out);
        }
        return Json.parse(out);
    }

    private static long used() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** This process's peak resident set ({@code VmHWM} in /proc/self/status), or -1 where there is no /proc. */
    private static long peakResidentBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }
}
