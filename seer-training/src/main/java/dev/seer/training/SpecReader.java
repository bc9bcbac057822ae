package dev.seer.training;

import dev.seer.core.SeerException;
import dev.seer.core.yaml.YamlNode;
import dev.seer.training.TrainingSpec.Candidate;
import dev.seer.training.TrainingSpec.Evaluation;
import dev.seer.training.TrainingSpec.Strategy;
import dev.seer.training.TrainingSpec.Tuning;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.metrics.Metric;
import dev.seer.training.tuning.CategoricalParam;
import dev.seer.training.tuning.FloatParam;
import dev.seer.training.tuning.IntParam;
import dev.seer.training.tuning.Param;
import dev.seer.training.tuning.SearchSpace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a training spec from YAML; every error names the file, line and key. */
final class SpecReader {
    static final int DEFAULT_FOLDS = 5;
    static final double DEFAULT_ALPHA = 0.05;
    static final int DEFAULT_BOOTSTRAP = 1000;
    static final long DEFAULT_SEED = 42;

    private static final Set<String> TOP = Set.of("name", "dataset", "label", "task", "features", "evaluation",
            "candidates", "tuning", "seed", "model", "continue_from");
    private static final Set<String> EVALUATION = Set.of("folds", "metric", "alpha", "bootstrap", "reference");
    private static final Set<String> CANDIDATE = Set.of("algorithm", "params", "search");
    private static final Set<String> TUNING = Set.of("strategy", "trials", "timeout", "early_stopping", "seed",
            "parallelism");
    private static final Set<String> RANGE_KINDS = Set.of("int", "int_log", "float", "log", "choice");

    private SpecReader() {}

    static TrainingSpec read(Path file) {
        try {
            return parse(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SeerException(TrainingErrorCode.INVALID_SPEC, "Cannot read training spec [" + file + "]: "
                    + e.getMessage(), Map.of("file", file.toString()), e);
        }
    }

    static TrainingSpec parse(Path source, String text) {
        YamlNode root = YamlNode.parse(source, text, TrainingErrorCode.INVALID_SPEC);
        if (root.isEmpty()) {
            throw root.error("the training spec is empty");
        }
        Map<String, YamlNode> top = root.mapping(TOP);
        String name = root.required(top, "name").text();
        Task task = task(root.required(top, "task"));
        Optional<YamlNode> seedNode = YamlNode.optional(top, "seed");
        long seed = seedNode.isPresent() ? whole(seedNode.get(), Long.MIN_VALUE) : DEFAULT_SEED;
        Evaluation evaluation = evaluation(YamlNode.optional(top, "evaluation"), task);
        List<Candidate> candidates = candidates(root.required(top, "candidates"), task);
        Optional<Tuning> tuning = YamlNode.optional(top, "tuning").map(n -> tuning(n, seed));
        if (tuning.isEmpty() && candidates.stream().anyMatch(Candidate::tuned)) {
            tuning = Optional.of(new Tuning(Strategy.TPE, 20, Optional.empty(), false, 1, seed));
        }
        Optional<String> continueFrom = YamlNode.optional(top, "continue_from").map(n -> continued(n, top, candidates));
        String model = YamlNode.optional(top, "model").map(YamlNode::text).orElse(continueFrom.map(SpecReader::modelOf)
                .orElse(name));
        return new TrainingSpec(name, root.required(top, "dataset").text(),
                YamlNode.optional(top, "label").map(YamlNode::text), task,
                YamlNode.optional(top, "features").map(YamlNode::texts).orElse(List.of()), evaluation, candidates, tuning,
                seed, model, continueFrom, text);
    }

    /**
     * {@code continue_from: MODEL:VERSION}: one XGBoost candidate with fixed parameters (those it
     * names override the continued run's; {@code rounds} is the rounds added), no tuning, and the
     * new version goes to the same registered model.
     */
    private static String continued(YamlNode node, Map<String, YamlNode> top, List<Candidate> candidates) {
        String ref = node.text();
        int colon = ref.lastIndexOf(':');
        if (colon <= 0 || !ref.substring(colon + 1).matches("[1-9][0-9]{0,8}")) {
            throw node.error("continue_from is a registered model version, MODEL:VERSION (e.g. churn:3), not [" + ref + "]");
        }
        YamlNode list = top.get("candidates");
        if (candidates.size() != 1 || candidates.get(0).algorithm() != Algorithm.XGBOOST) {
            throw list.error("continued training takes exactly one candidate, algorithm [xgboost]; a version is"
                    + " continued by boosting more rounds on it");
        }
        if (candidates.get(0).tuned() || top.containsKey("tuning")) {
            throw (top.containsKey("tuning") ? top.get("tuning") : list).error("continued training is not tuned: its"
                    + " parameters are the continued run's, overridden by the candidate's params");
        }
        Optional<YamlNode> model = YamlNode.optional(top, "model");
        if (model.isPresent() && !model.get().text().equals(modelOf(ref))) {
            throw model.get().error("a continued model registers as a new version of the model it continues, [" + modelOf(
                    ref) + "], not [" + model.get().text() + "]");
        }
        return ref;
    }

    private static String modelOf(String version) {
        return version.substring(0, version.lastIndexOf(':'));
    }

    private static Task task(YamlNode node) {
        try {
            return Task.parse(node.text());
        } catch (SeerException e) {
            throw node.error(e.getMessage());
        }
    }

    private static Evaluation evaluation(Optional<YamlNode> node, Task task) {
        Map<String, YamlNode> map = node.map(n -> n.mapping(EVALUATION)).orElse(Map.of());
        int folds = YamlNode.optional(map, "folds").map(n -> (int) whole(n, 2)).orElse(DEFAULT_FOLDS);
        Metric metric = YamlNode.optional(map, "metric").map(n -> metric(n, task)).orElse(Metric.forTask(task).get(0));
        double alpha = YamlNode.optional(map, "alpha").map(SpecReader::alpha).orElse(DEFAULT_ALPHA);
        int bootstrap = YamlNode.optional(map, "bootstrap").map(n -> (int) whole(n, 100)).orElse(DEFAULT_BOOTSTRAP);
        String reference = YamlNode.optional(map, "reference").map(YamlNode::text).orElse("champion");
        return new Evaluation(folds, metric, alpha, bootstrap, reference);
    }

    private static Metric metric(YamlNode node, Task task) {
        Metric metric;
        try {
            metric = Metric.parse(node.text());
        } catch (SeerException e) {
            throw node.error(e.getMessage());
        }
        if (!metric.appliesTo(task)) {
            throw node.error("metric [" + metric.id() + "] does not apply to task [" + task.id() + "]; it takes "
                    + Metric.forTask(task).stream().map(Metric::id).toList());
        }
        return metric;
    }

    private static double alpha(YamlNode node) {
        double alpha = node.number();
        if (!(alpha > 0 && alpha < 1)) {
            throw node.error("alpha must be between 0 and 1, not [" + node.text() + "]");
        }
        return alpha;
    }

    private static List<Candidate> candidates(YamlNode node, Task task) {
        List<Candidate> candidates = new ArrayList<>();
        for (YamlNode item : node.list()) {
            Map<String, YamlNode> map = item.mapping(CANDIDATE);
            YamlNode algorithmNode = item.required(map, "algorithm");
            Algorithm algorithm;
            try {
                algorithm = Algorithm.parse(algorithmNode.text());
            } catch (SeerException e) {
                throw algorithmNode.error(e.getMessage());
            }
            if (!algorithm.supports(task)) {
                throw algorithmNode.error("algorithm [" + algorithm.id() + "] does not fit task [" + task.id() + "]");
            }
            Map<String, Object> params = YamlNode.optional(map, "params").map(p -> params(p, algorithm)).orElse(Map.of());
            Optional<SearchSpace> search = YamlNode.optional(map, "search").map(s -> search(s, algorithm, params));
            candidates.add(new Candidate(algorithm, params, search));
        }
        if (candidates.isEmpty()) {
            throw node.error("a spec needs at least one candidate");
        }
        return candidates;
    }

    private static Map<String, Object> params(YamlNode node, Algorithm algorithm) {
        Map<String, Object> params = new LinkedHashMap<>();
        node.mapping(null).forEach((name, value) -> {
            try {
                algorithm.resolve(Map.of(name, value.number()));
            } catch (SeerException e) {
                throw value.error(e.getMessage());
            }
            params.put(name, value.number());
        });
        return params;
    }

    private static SearchSpace search(YamlNode node, Algorithm algorithm, Map<String, Object> fixed) {
        List<Param> params = new ArrayList<>();
        node.mapping(null).forEach((name, range) -> {
            if (!algorithm.defaults().containsKey(name)) {
                throw range.error("algorithm [" + algorithm.id() + "] has no parameter [" + name + "]; its parameters: "
                        + algorithm.defaults().keySet());
            }
            if (fixed.containsKey(name)) {
                throw range.error("[" + name + "] is both fixed in params and searched");
            }
            params.add(range(name, range, algorithm.defaults().get(name) instanceof Integer));
        });
        return new SearchSpace(params);
    }

    /**
     * {@code {int: [3, 10]}}, {@code {int_log: [1, 1000]}}, {@code {float: [0.5, 1]}},
     * {@code {log: [0.01, 0.3]}}, {@code {choice: [...]}}.
     */
    private static Param range(String name, YamlNode node, boolean whole) {
        Map<String, YamlNode> map = node.mapping(RANGE_KINDS);
        if (map.size() != 1) {
            throw node.error("a search range is one of " + RANGE_KINDS + ", e.g. {int: [3, 10]}");
        }
        String kind = map.keySet().iterator().next();
        YamlNode value = map.get(kind);
        try {
            if (kind.equals("choice")) {
                return new CategoricalParam(name, value.list().stream().map(v -> (Object) v.number()).toList());
            }
            List<YamlNode> bounds = value.list();
            if (bounds.size() != 2) {
                throw value.error("a range is [low, high], two numbers");
            }
            boolean integer = kind.startsWith("int");
            if (whole && !integer) {
                throw node.error("[" + name + "] is a whole number; use {int: [low, high]} or {int_log: [low, high]}");
            }
            if (integer) {
                return new IntParam(name, whole(bounds.get(0), Long.MIN_VALUE), whole(bounds.get(1), Long.MIN_VALUE),
                        kind.equals("int_log"));
            }
            return new FloatParam(name, bounds.get(0).number(), bounds.get(1).number(), kind.equals("log"));
        } catch (SeerException e) {
            if (e.getMessage().contains(":")) {
                throw e;
            }
            throw node.error(e.getMessage());
        }
    }

    private static Tuning tuning(YamlNode node, long specSeed) {
        Map<String, YamlNode> map = node.mapping(TUNING);
        Strategy strategy = YamlNode.optional(map, "strategy").map(SpecReader::strategy).orElse(Strategy.TPE);
        int trials = YamlNode.optional(map, "trials").map(n -> (int) whole(n, 1)).orElse(20);
        boolean asha = YamlNode.optional(map, "early_stopping").map(n -> {
            String text = n.text().toLowerCase(Locale.ROOT);
            if (!text.equals("asha") && !text.equals("none")) {
                throw n.error("early_stopping is [asha] or [none], not [" + n.text() + "]");
            }
            return text.equals("asha");
        }).orElse(false);
        int parallelism = YamlNode.optional(map, "parallelism").map(n -> (int) whole(n, 1)).orElse(1);
        long seed = YamlNode.optional(map, "seed").map(n -> whole(n, Long.MIN_VALUE)).orElse(specSeed);
        return new Tuning(strategy, trials, YamlNode.optional(map, "timeout").map(YamlNode::duration), asha, parallelism,
                seed);
    }

    private static Strategy strategy(YamlNode node) {
        return switch (node.text().toLowerCase(Locale.ROOT)) {
            case "tpe" -> Strategy.TPE;
            case "random" -> Strategy.RANDOM;
            case "gp" -> Strategy.GP;
            default -> throw node.error("strategy is [tpe], [random] or [gp], not [" + node.text() + "]");
        };
    }

    private static long whole(YamlNode node, long min) {
        double value = node.number();
        if (value != Math.rint(value) || value < min || Math.abs(value) > 1L << 53) {
            throw node.error("must be a whole number" + (min > Long.MIN_VALUE ? " of at least " + min : "") + ", not ["
                    + node.text() + "]");
        }
        return (long) value;
    }
}
