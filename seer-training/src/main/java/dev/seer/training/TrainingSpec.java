package dev.seer.training;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.Sha256;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.metrics.Metric;
import dev.seer.training.tuning.SearchSpace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to train, read from YAML by {@link #read(Path)} or {@link #parse}: the dataset version, the
 * label and task, the candidates (fixed parameters: manual mode; a search space: tuned), how every
 * candidate is evaluated, and how tuning runs. Everything is checked when the spec is read, before
 * any data is: an unknown key, algorithm or parameter, an empty or reversed range, a metric of
 * another task.
 *
 * @param model the registered model a trained version goes to (default: {@code name}, or with
 *     {@code continueFrom} the continued version's model, the only one it may name)
 * @param continueFrom a registered XGBoost version, {@code MODEL:VERSION}, whose model this spec
 *     trains further (more boosting rounds on {@code dataset}) instead of training from scratch
 * @param text the spec as written, hashed into the run's provenance
 */
public record TrainingSpec(String name, String dataset, Optional<String> label, Task task, List<String> features,
        Evaluation evaluation, List<Candidate> candidates, Optional<Tuning> tuning, long seed, String model,
        Optional<String> continueFrom, String text) {
    public TrainingSpec {
        requireNonNull(name, "name is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(label, "label is null");
        requireNonNull(task, "task is null");
        features = List.copyOf(features);
        requireNonNull(evaluation, "evaluation is null");
        candidates = List.copyOf(candidates);
        requireNonNull(tuning, "tuning is null");
        requireNonNull(model, "model is null");
        requireNonNull(continueFrom, "continueFrom is null");
        requireNonNull(text, "text is null");
    }

    /** Reads and checks a spec file. */
    public static TrainingSpec read(Path file) {
        return SpecReader.read(file);
    }

    /** Reads and checks spec text; {@code source} names it in errors. */
    public static TrainingSpec parse(String source, String text) {
        Path name;
        try {
            name = Path.of(source);
        } catch (java.nio.file.InvalidPathException e) {
            throw new SeerException(TrainingErrorCode.INVALID_SPEC, "The spec's source name is not a file name: "
                    + e.getReason(), Map.of("field", "source"));
        }
        return SpecReader.parse(name, text);
    }

    /** The SHA-256 of the spec's text, as recorded in provenance. */
    public String sha256() {
        return Sha256.hex(text);
    }

    /**
     * How every candidate is judged.
     *
     * @param folds the cross-validation folds over the train and validation rows
     * @param metric the metric candidates are ranked and compared by
     * @param alpha the significance level of every comparison, after Holm's correction
     * @param bootstrap the resamples of each confidence interval and paired bootstrap
     * @param reference the registered model's alias to compare against ({@code champion}), if it exists
     */
    public record Evaluation(int folds, Metric metric, double alpha, int bootstrap, String reference) {
        public Evaluation {
            requireNonNull(metric, "metric is null");
            requireNonNull(reference, "reference is null");
        }
    }

    /** One algorithm with fixed parameters and, to tune, a search space over others. */
    public record Candidate(Algorithm algorithm, Map<String, Object> params, Optional<SearchSpace> search) {
        public Candidate {
            requireNonNull(algorithm, "algorithm is null");
            params = Map.copyOf(params);
            requireNonNull(search, "search is null");
        }

        public boolean tuned() {
            return search.isPresent();
        }
    }

    /**
     * How tuned candidates are searched.
     *
     * @param trials per tuned candidate
     * @param seed the study's seed (the spec's, unless tuning names its own): the same seed, the same trials
     */
    public record Tuning(Strategy strategy, int trials, Optional<Duration> timeout, boolean asha, int parallelism,
            long seed) {
        public Tuning {
            requireNonNull(strategy, "strategy is null");
            requireNonNull(timeout, "timeout is null");
        }
    }

    /** The samplers a study may use: TPE (the default), random search, Gaussian-process Bayesian optimisation. */
    public enum Strategy { TPE, RANDOM, GP }
}
