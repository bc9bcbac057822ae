package dev.seer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seer.core.home.SeerHome;
import dev.seer.datasets.DatasetManifest;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.DatasetVersion;
import dev.seer.datasets.SplitSpec;
import dev.seer.duckdb.DuckEngine;
import dev.seer.server.ConfigSections;
import dev.seer.server.SeerServices;
import dev.seer.training.AutoMl;
import dev.seer.training.Training;
import dev.seer.training.TrainingSpec;
import dev.seer.training.data.DatasetSource;
import dev.seer.training.evaluation.CandidateResult;
import dev.seer.training.evaluation.EvaluationReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Seer's AutoML against Optuna-tuned Python XGBoost with the same time budget (issue 15), on
 * scikit-learn's breast cancer (binary, ROC AUC) and diabetes (regression, RMSE) sets and a
 * seeded 100,000-row binary task.
 *
 * <p>Each file (written by automl_peer.py, with an {@code id} column) is imported as a real
 * dataset version in a fresh Seer home, split by key on {@code id} 60/20/20. Both sides are judged
 * on the version's test split; the Python side gets Seer's train and validation splits as its
 * training rows, exported from the stored split files. Per seed, Seer then the peer (alternating,
 * so load drifts touch both): Seer runs {@code AutoMl.spec(snapshot, empty, empty, budget, seed)}
 * through {@code Training.train} into the home's tracking store, and its held-out value is the
 * best candidate's test value in the evaluation report; the peer tunes xgboost with Optuna's TPE
 * for the budget, refits the best on all training rows and scores the test rows. Wall times of both
 * are reported as measured: neither budget is a hard stop (Seer's evaluation runs after its tuning
 * half; the peer refits after its timeout).
 *
 * <p>Run: {@code java -cp "seer-bench/target/classes:seer-bench/target/lib/*" dev.seer.bench.AutoMlBench
 * [--seeds 3] [--budgets breast_cancer=30,diabetes=30,synthetic100k=90] [--threads 1] [--dir /tmp/automl-bench] [--asha yes|no] [--peer yes|no]}; {@code --asha no --peer no}
 * is the ablation: Seer alone, its AutoML spec with the study's ASHA turned off.
 */
public final class AutoMlBench {
    private AutoMlBench() {}

    /** One side's result on one seed. */
    private record Result(double value, double wallSeconds, String detail) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int seeds = Integer.parseInt(options.getOrDefault("--seeds", "3"));
        int threads = Integer.parseInt(options.getOrDefault("--threads", "1"));
        boolean asha = options.getOrDefault("--asha", "yes").equals("yes");
        boolean withPeer = options.getOrDefault("--peer", "yes").equals("yes");
        Path dir = Files.createDirectories(Path.of(options.getOrDefault("--dir", "/tmp/automl-bench")));
        Map<String, Integer> budgets = new LinkedHashMap<>();
        for (String pair : options.getOrDefault("--budgets", "breast_cancer=30,diabetes=30,synthetic100k=90").split(",")) {
            String[] parts = pair.split("=");
            budgets.put(parts[0], Integer.parseInt(parts[1]));
        }
        run("/usr/bin/python3", script(), "data", dir.toString());
        List<String> summary = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : budgets.entrySet()) {
            summary.add(dataset(dir, entry.getKey(), entry.getValue(), seeds, threads, asha, withPeer));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-14s %6s %7s | %-9s %10s %10s | %-8s | %-17s%n", "data set", "budget", "rows", "metric",
                "Seer", "Optuna", "Seer >=", "wall s Seer/Optuna");
        summary.forEach(System.out::println);
    }

    private static String dataset(Path dir, String name, int budget, int seeds, int threads, boolean asha, boolean withPeer) throws Exception {
        Path home = dir.resolve("home-" + name);
        if (Files.exists(home)) {
            BenchFiles.deleteTree(home);
        }
        try (SeerServices services = SeerServices.open(SeerHome.create(home), ConfigSections.defaults(), Clock.systemUTC())) {
            DatasetStore datasets = services.datasets();
            DatasetVersion version = datasets.importFile(name, new DatasetStore.ImportRequest(dir.resolve(name + ".csv"),
                    List.of("id"), Optional.of("label"), Optional.of(SplitSpec.parse(SplitSpec.Method.KEY, List.of("id"),
                            "0.6,0.2,0.2"))), "bench", step -> { }).version();
            DatasetSource.Snapshot snapshot = snapshot(datasets, version);
            Path development = dir.resolve(name + "-train.csv");
            Path test = dir.resolve(name + "-test.csv");
            export(List.of(snapshot.splits().get("train"), snapshot.splits().get("validation")), development);
            export(List.of(snapshot.splits().get("test")), test);
            DatasetSource source = ref -> snapshot;
            List<Result> seer = new ArrayList<>();
            List<Result> peer = new ArrayList<>();
            String metric = "";
            boolean higher = true;
            for (int seed = 0; seed < seeds; seed++) {
                TrainingSpec spec = AutoMl.spec(snapshot, Optional.empty(), Optional.empty(), Duration.ofSeconds(budget), seed);
                if (!asha) { // the ablation: the same spec, its study without ASHA
                    spec = TrainingSpec.parse(spec.name() + ".yaml", spec.text().replace("early_stopping: asha", "early_stopping: none"));
                }
                Path log = dir.resolve(name + "-seer-" + seed + ".log");
                long start = System.nanoTime();
                EvaluationReport report;
                try (PrintWriter progress = new PrintWriter(Files.newBufferedWriter(log))) {
                    report = new Training(source, services.tracking(), services.artifacts(), Clock.systemUTC(), threads).train(spec,
                            Training.ReferenceLookup.NONE, "bench", m -> progress.printf(Locale.ROOT, "%8.2f %s%n",
                                    (System.nanoTime() - start) / 1e9, m)).report();
                }
                double wall = (System.nanoTime() - start) / 1e9;
                metric = report.metric().id();
                higher = report.metric().higherIsBetter();
                StringBuilder detail = new StringBuilder("best " + report.best() + ";");
                for (CandidateResult c : report.candidates()) {
                    detail.append(String.format(Locale.ROOT, " %s cv %.4f test %.4f fit %.1fs;", c.name(), c.cvMean(),
                            c.test().get(metric).value(), c.trainingSeconds()));
                }
                seer.add(new Result(report.candidate(report.best()).test().get(metric).value(), wall, detail.toString()));
                if (!withPeer) {
                    peer.add(new Result(Double.NaN, 0, ""));
                    System.out.printf(Locale.ROOT, "%s seed %d: Seer %s %.4f (%.1f s; %s)%n", name, seed, metric, seer.get(seed).value(),
                            wall, detail);
                    continue;
                }
                JsonNode row = new ObjectMapper().readTree(run("/usr/bin/python3", script(), "tune", development.toString(),
                        test.toString(), report.metric().id().equals("rmse") ? "regression" : "binary", Integer.toString(budget),
                        Integer.toString(seed)));
                peer.add(new Result(row.get("value").asDouble(), row.get("wall_seconds").asDouble(), row.toString()));
                System.out.printf(Locale.ROOT, "%s seed %d: Seer %s %.4f (%.1f s; %s) | Optuna %.4f (%.1f s; %s)%n", name, seed,
                        metric, seer.get(seed).value(), wall, detail, peer.get(seed).value(), peer.get(seed).wallSeconds(), row);
            }
            double ours = median(seer.stream().mapToDouble(Result::value).toArray());
            double theirs = median(peer.stream().mapToDouble(Result::value).toArray());
            int wins = 0;
            for (int i = 0; i < seeds; i++) {
                wins += (higher ? seer.get(i).value() >= peer.get(i).value() : seer.get(i).value() <= peer.get(i).value()) ? 1 : 0;
            }
            return String.format(Locale.ROOT, "%-14s %5ds %7d | %-9s %10.4f %10.4f | %s %d/%d | %7.1f %7.1f", name, budget,
                    version.rows(), metric, ours, theirs, (higher ? ours >= theirs : ours <= theirs) ? "yes" : "no ", wins, seeds,
                    median(seer.stream().mapToDouble(Result::wallSeconds).toArray()),
                    median(peer.stream().mapToDouble(Result::wallSeconds).toArray()));
        }
    }

    /** The version as training reads it, as seer-server's adapter builds it: recorded facts and hash-checked split files. */
    private static DatasetSource.Snapshot snapshot(DatasetStore datasets, DatasetVersion version) {
        DatasetManifest manifest = version.manifest();
        Map<String, Path> splits = new LinkedHashMap<>();
        manifest.splits().ifPresent(s -> s.parts().keySet().forEach(split -> splits.put(split,
                datasets.file(version, Optional.of(split)))));
        List<DatasetSource.Column> columns = manifest.schema().stream().map(c -> new DatasetSource.Column(c.name(), c.type()))
                .toList();
        return new DatasetSource.Snapshot(version.toString(), version.contentHash(), manifest.label(), manifest.key(), columns,
                splits);
    }

    private static void export(List<Path> parquet, Path csv) throws Exception {
        StringBuilder files = new StringBuilder();
        for (Path p : parquet) {
            files.append(files.length() == 0 ? "" : ", ").append(DuckEngine.literal(p.toString()));
        }
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT * FROM read_parquet([" + files + "]) ORDER BY id) TO " + DuckEngine.literal(csv.toString())
                    + " (HEADER)");
        }
    }

    private static String script() {
        return System.getProperty("seer.bench.automl", "seer-bench/src/main/python/automl_peer.py");
    }

    /** Runs a command and returns its last line of output. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                last = line;
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
        return last;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
