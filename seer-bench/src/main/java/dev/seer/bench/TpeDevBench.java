package dev.seer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seer.training.tuning.Direction;
import dev.seer.training.tuning.Sampler;
import dev.seer.training.tuning.Study;
import dev.seer.training.tuning.StudyListener;
import dev.seer.training.tuning.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Development runs for choosing TPE settings (not the reported seeds): Seer's TPE variants on
 * Branin and Hartmann-6 over seeds FIRST..FIRST+SEEDS-1, best after 50 and 100 trials (the 50 read
 * from the first 50 trials of the 100-trial study), against Optuna's values read from a file that
 * tuning_peer.py wrote for the same seeds ({@code --optuna FILE}, JSON lines).
 *
 * <p>Run: {@code java -cp ... dev.seer.bench.TpeDevBench --first-seed 200 --seeds 100 --optuna
 * FILE --variants optuna310,optuna310+mv,gp,...} (see {@link TpeVariants}; "gp" is the GP sampler).
 */
public final class TpeDevBench {
    private TpeDevBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int seeds = Integer.parseInt(options.getOrDefault("--seeds", "100"));
        int firstSeed = Integer.parseInt(options.getOrDefault("--first-seed", "200"));
        String[] variants = options.getOrDefault("--variants", "optuna310").split(",");
        Map<String, List<Double>> optuna = new HashMap<>();
        if (options.containsKey("--optuna")) {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(Path.of(options.get("--optuna")))) {
                JsonNode row = json.readTree(line);
                optuna.computeIfAbsent(row.get("function").asText() + "/" + row.get("trials").asInt(), k -> new ArrayList<>())
                        .add(row.get("best").asDouble());
            }
        }
        List<TuningBench.Function> functions = List.of(TuningBench.branin(), TuningBench.hartmann6());
        System.out.printf(Locale.ROOT, "%-40s", "variant");
        for (TuningBench.Function f : functions) {
            System.out.printf(Locale.ROOT, " | %-9s 50 %-9s 100", f.name(), f.name());
        }
        System.out.println();
        if (!optuna.isEmpty()) {
            System.out.printf(Locale.ROOT, "%-40s", "OPTUNA 3.1.0 (python)");
            for (TuningBench.Function f : functions) {
                List<Double> o50 = optuna.getOrDefault(f.name() + "/50", List.of());
                List<Double> o100 = optuna.getOrDefault(f.name() + "/100", List.of());
                System.out.printf(Locale.ROOT, " | %12s %13s", o50.size() == seeds ? fmt(median(o50)) : "n/a(" + o50.size() + ")",
                        o100.size() == seeds ? fmt(median(o100)) : "n/a(" + o100.size() + ")");
            }
            System.out.println();
        }
        for (String variant : variants) {
            System.out.printf(Locale.ROOT, "%-40s", variant);
            for (TuningBench.Function f : functions) {
                List<Double> b50 = new ArrayList<>();
                List<Double> b100 = new ArrayList<>();
                for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
                    List<Trial> done = run(f, TpeVariants.sampler(variant, seed), 100);
                    b50.add(best(done, 50));
                    b100.add(best(done, 100));
                }
                System.out.printf(Locale.ROOT, " | %12s %13s", fmt(median(b50)), fmt(median(b100)));
            }
            System.out.println();
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }

    private static List<Trial> run(TuningBench.Function function, Sampler tpe, int trials) {
        Study study = new Study(function.space(), Direction.MINIMIZE, tpe, null, 1, StudyListener.NONE, Clock.systemUTC());
        return study.optimize(t -> {
            double[] x = function.space().params().stream().mapToDouble(p -> (Double) t.params().get(p.name())).toArray();
            return function.f().applyAsDouble(x);
        }, trials, null);
    }

    private static double best(List<Trial> done, int count) {
        return done.stream().limit(count).filter(t -> t.value().isPresent()).mapToDouble(t -> t.value().getAsDouble()).min().orElse(Double.NaN);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
