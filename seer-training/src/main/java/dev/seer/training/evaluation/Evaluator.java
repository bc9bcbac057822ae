package dev.seer.training.evaluation;

import static java.util.Objects.requireNonNull;

import dev.seer.training.Task;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.algorithms.BoostedModel;
import dev.seer.training.algorithms.Fitted;
import dev.seer.training.algorithms.Learner;
import dev.seer.training.algorithms.RoundReporter;
import dev.seer.training.data.Frame;
import dev.seer.training.data.TrainingData;
import dev.seer.training.metrics.Bootstrap;
import dev.seer.training.metrics.Interval;
import dev.seer.training.metrics.Metric;
import dev.seer.training.metrics.Scored;
import dev.seer.training.stats.DeLong;
import dev.seer.training.stats.Holm;
import dev.seer.training.stats.McNemar;
import dev.seer.training.stats.NadeauBengio;
import dev.seer.training.stats.PairedBootstrap;
import dev.seer.training.stats.TestResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Seer's one evaluation strategy. Every candidate, the baseline always among them, is
 * cross-validated on the same folds of the development rows (train and validation), ranked by its
 * mean over the spec's k folds, and then fit on all of them and scored on the same held-out test
 * rows. Nadeau and Bengio's test runs on its own resampling of the same rows, five repetitions of
 * two-fold cross-validation (Dietterich's 5x2 design): simulated under a true null, the corrected
 * test on one k-fold run rejects about 1.4% of the time at alpha 0.05 (it over-corrects and loses
 * power), while on 5x2 it rejects 4.4-5.4% (docs/design/statistical-tests.md). The best by the spec's metric (mean
 * over folds) is compared with the baseline and with the reference model (the champion) by every
 * test that applies: Nadeau and Bengio's corrected resampled t-test over the folds, McNemar's
 * exact test on the held-out decisions (binary), DeLong's test (ROC AUC, binary) and a paired
 * bootstrap of the metric on the held-out rows. Every candidate is compared, not only the best,
 * because choosing the best of several is itself a multiple comparison: the primary test's
 * p-values are corrected by Holm's method across candidates before the decision at alpha.
 */
public final class Evaluator {
    static final String BASELINE = "baseline";
    static final int NB_FOLDS = 2;
    static final int NB_REPEATS = 5;
    private static final double CONFIDENCE = 0.95;

    private final Metric metric;
    private final double alpha;
    private final int folds;
    private final int resamples;
    private final long seed;
    private final int threads;
    private final Consumer<String> progress;

    public Evaluator(Metric metric, double alpha, int folds, int resamples, long seed, int threads,
            Consumer<String> progress) {
        this.metric = requireNonNull(metric, "metric is null");
        this.alpha = alpha;
        this.folds = folds;
        this.resamples = resamples;
        this.seed = seed;
        this.threads = threads;
        this.progress = requireNonNull(progress, "progress is null");
    }

    /**
     * A candidate with its parameters resolved.
     *
     * @param start the model a continued candidate boosts further, on every fold as on all rows
     */
    public record Chosen(String name, Algorithm algorithm, Map<String, Object> params, Optional<BoostedModel> start) {
        public Chosen {
            requireNonNull(name, "name is null");
            requireNonNull(algorithm, "algorithm is null");
            params = Map.copyOf(params);
            requireNonNull(start, "start is null");
        }

        public Chosen(String name, Algorithm algorithm, Map<String, Object> params) {
            this(name, algorithm, params, Optional.empty());
        }

        Learner learner() {
            return start.map(Learner::continuing).orElseGet(() -> Learner.of(algorithm));
        }
    }

    /**
     * The model to beat, with the same rows read with its own features (in its signature's order),
     * which may differ from the candidates'. {@code retrain}, when the reference's algorithm and
     * parameters are known, lets it be cross-validated on the same folds. A reference that is
     * {@code asTrained} (the version a continued model grew from) is what the candidate is meant
     * to replace as it is, not a recipe: on every fold it is scored as trained, not retrained.
     */
    public record Reference(String label, Fitted model, Optional<Chosen> retrain, TrainingData data, boolean asTrained) {
        public Reference {
            requireNonNull(label, "label is null");
            requireNonNull(model, "model is null");
            requireNonNull(retrain, "retrain is null");
            requireNonNull(data, "data is null");
        }

        public Reference(String label, Fitted model, Optional<Chosen> retrain, TrainingData data) {
            this(label, model, retrain, data, false);
        }
    }

    /** The report, and the best candidate fit on every development row (the model to store) with its test scores. */
    public record Evaluated(EvaluationReport report, Fitted best, Scored bestTest) {}

    public Evaluated evaluate(TrainingData data, List<Chosen> candidates, Optional<Reference> reference) {
        Frame development = data.development();
        Frame test = data.test();
        List<Folds> split = List.of(Folds.assign(development, folds, seed));
        List<Folds> nbSplit = Folds.repeated(development, NB_FOLDS, NB_REPEATS, seed);
        List<Chosen> all = new ArrayList<>(candidates);
        all.add(new Chosen(BASELINE, Algorithm.BASELINE, Map.of()));
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Chosen chosen : all) {
            outcomes.put(chosen.name(), outcome(chosen, development, test, split, nbSplit));
        }
        String best = best(outcomes, candidates);
        double ratio = nbSplit.get(0).testToTrainRatio();
        List<Comparison> comparisons = new ArrayList<>(compareAll(candidates, outcomes, BASELINE, outcomes.get(BASELINE),
                ratio, test));
        Optional<String> referenceLabel = reference.map(Reference::label);
        if (reference.isPresent()) {
            Outcome ref = referenceOutcome(reference.get(), nbSplit, notes);
            comparisons.addAll(compareAll(candidates, outcomes, reference.get().label(), ref, ratio, test));
        }
        String against = referenceLabel.orElse(BASELINE);
        boolean gate = comparisons.stream().anyMatch(c -> c.candidate().equals(best) && c.against().equals(against)
                && c.better());
        outcomes.forEach((name, o) -> {
            if (!name.equals(best)) {
                o.fitted.close();
            }
        });
        List<CandidateResult> results = outcomes.values().stream().map(o -> o.result).toList();
        EvaluationReport report = new EvaluationReport(metric, alpha, folds, development.rows(), test.rows(), results, best,
                comparisons, referenceLabel, gate, notes);
        return new Evaluated(report, outcomes.get(best).fitted, outcomes.get(best).test);
    }

    /** A candidate's 5x2 resampling scores, its fit on all development rows, and its held-out scores. */
    private record Outcome(CandidateResult result, double[] nbScores, Fitted fitted, Scored test) {}

    private Outcome outcome(Chosen chosen, Frame development, Frame test, List<Folds> split, List<Folds> nbSplit) {
        progress.accept("cross-validating " + chosen.name() + " (" + folds + " folds, then 5x2 for the t-test)");
        double[] foldScores = crossValidate(chosen, development, split);
        double[] nbScores = crossValidate(chosen, development, nbSplit);
        Learner learner = chosen.learner();
        long started = System.nanoTime();
        Fitted fitted = learner.fit(development, chosen.algorithm().resolve(chosen.params()), seed, threads,
                RoundReporter.NONE);
        double trainingSeconds = (System.nanoTime() - started) / 1e9;
        started = System.nanoTime();
        Scored scored = scored(test, fitted.predict(test.x()));
        double micros = (System.nanoTime() - started) / 1e3 / Math.max(1, test.rows());
        Map<String, Interval> intervals = new LinkedHashMap<>();
        Bootstrap.intervals(Metric.forTask(test.task()), scored, resamples, CONFIDENCE, seed)
                .forEach((m, interval) -> intervals.put(m.id(), interval));
        CandidateResult result = new CandidateResult(chosen.name(), chosen.algorithm(), chosen.algorithm().resolve(
                chosen.params()), foldScores, mean(foldScores), intervals, fitted.facts(), trainingSeconds, micros);
        return new Outcome(result, nbScores, fitted, scored);
    }

    /** The spec metric of {@code chosen} on each fold of each repetition, trained on the other folds. */
    double[] crossValidate(Chosen chosen, Frame development, List<Folds> repetitions) {
        List<Double> scores = new ArrayList<>();
        Learner learner = chosen.learner();
        for (Folds split : repetitions) {
            for (int k = 0; k < split.count(); k++) {
                Frame train = development.select(split.rows(k, false));
                Frame held = development.select(split.rows(k, true));
                try (Fitted fitted = learner.fit(train, chosen.algorithm().resolve(chosen.params()), seed, threads,
                        RoundReporter.NONE)) {
                    scores.add(metric.value(scored(held, fitted.predict(held.x()))));
                }
            }
        }
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The reference on the same rows: the folds index rows, which are the candidates' rows in the same order. */
    private Outcome referenceOutcome(Reference reference, List<Folds> split, List<String> notes) {
        Frame development = reference.data().development();
        Frame test = reference.data().test();
        Scored scored = scored(test, reference.model().predict(test.x()));
        double[] foldScores = new double[0];
        if (reference.asTrained()) {
            foldScores = scoredAsTrained(reference, development, split);
        } else if (reference.retrain().isPresent()) {
            progress.accept("cross-validating the reference " + reference.label());
            foldScores = crossValidate(reference.retrain().get(), development, split);
        } else {
            notes.add("The reference " + reference.label() + " has no recorded algorithm and parameters, so it was not"
                    + " cross-validated: the comparison with it rests on the held-out rows only");
        }
        return new Outcome(null, foldScores, reference.model(), scored);
    }

    /** The reference as trained, on each held-out fold of {@code repetitions}: the same rows the candidates are scored on. */
    private double[] scoredAsTrained(Reference reference, Frame development, List<Folds> repetitions) {
        List<Double> scores = new ArrayList<>();
        for (Folds split : repetitions) {
            for (int k = 0; k < split.count(); k++) {
                Frame held = development.select(split.rows(k, true));
                scores.add(metric.value(scored(held, reference.model().predict(held.x()))));
            }
        }
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private String best(Map<String, Outcome> outcomes, List<Chosen> candidates) {
        String best = null;
        double bestScore = Double.NaN;
        for (Chosen chosen : candidates) {
            double score = outcomes.get(chosen.name()).result.cvMean();
            if (best == null || (!Double.isNaN(score) && (Double.isNaN(bestScore)
                    || (metric.higherIsBetter() ? score > bestScore : score < bestScore)))) {
                best = chosen.name();
                bestScore = score;
            }
        }
        return best;
    }

    /** Every candidate against one yardstick, the primary p-values corrected together (Holm). */
    private List<Comparison> compareAll(List<Chosen> candidates, Map<String, Outcome> outcomes, String against,
            Outcome yardstick, double testToTrainRatio, Frame test) {
        List<List<TestResult>> tests = new ArrayList<>();
        double[] primaryP = new double[candidates.size()];
        String primary = primaryTest(test.task());
        for (int i = 0; i < candidates.size(); i++) {
            Outcome candidate = outcomes.get(candidates.get(i).name());
            List<TestResult> results = tests(candidate, yardstick, testToTrainRatio, test);
            tests.add(results);
            primaryP[i] = results.stream().filter(t -> t.test().equals(primary)).findFirst().orElseThrow().pValue();
        }
        double[] adjusted = Holm.adjust(primaryP);
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            TestResult main = tests.get(i).stream().filter(t -> t.test().equals(primary)).findFirst().orElseThrow();
            boolean improves = metric.higherIsBetter() ? main.effect() > 0 : main.effect() < 0;
            comparisons.add(new Comparison(candidates.get(i).name(), against, tests.get(i), primary, adjusted[i],
                    adjusted[i] < alpha && improves));
        }
        return comparisons;
    }

    private String primaryTest(Task task) {
        return task == Task.BINARY && metric == Metric.ROC_AUC ? "delong" : "paired_bootstrap";
    }

    private List<TestResult> tests(Outcome a, Outcome b, double testToTrainRatio, Frame test) {
        List<TestResult> results = new ArrayList<>();
        if (b.nbScores.length == a.nbScores.length) {
            double[] differences = new double[a.nbScores.length];
            for (int k = 0; k < differences.length; k++) {
                differences[k] = a.nbScores[k] - b.nbScores[k];
            }
            results.add(named("nadeau_bengio", NadeauBengio.test(differences, testToTrainRatio, CONFIDENCE)));
        }
        if (test.task() == Task.BINARY) {
            results.add(named("mcnemar", McNemar.compare(correct(a.test), correct(b.test), CONFIDENCE)));
            if (metric == Metric.ROC_AUC) {
                boolean[] positive = new boolean[test.rows()];
                for (int i = 0; i < positive.length; i++) {
                    positive[i] = test.y()[i] == 1;
                }
                results.add(named("delong", DeLong.compare(positive, a.test.score(), b.test.score(), CONFIDENCE)));
            }
        }
        int[] strata = test.task() == Task.REGRESSION ? null : classes(test);
        results.add(named("paired_bootstrap", PairedBootstrap.compare(rows -> metric.value(a.test, rows)
                - metric.value(b.test, rows), test.rows(), strata, resamples, CONFIDENCE, seed)));
        return results;
    }

    private static TestResult named(String name, TestResult r) {
        return new TestResult(name, r.statistic(), r.pValue(), r.effect(), r.low(), r.high());
    }

    /** Whether each held-out decision is right: class 1 iff P(1) > 0.5, as the metrics decide (sklearn's predict). */
    private static boolean[] correct(Scored scored) {
        boolean[] correct = new boolean[scored.rows()];
        double[] score = scored.score();
        double[] truth = scored.truth();
        for (int i = 0; i < correct.length; i++) {
            correct[i] = (score[i] > 0.5 ? 1 : 0) == (int) truth[i];
        }
        return correct;
    }

    private static int[] classes(Frame frame) {
        int[] strata = new int[frame.rows()];
        for (int i = 0; i < strata.length; i++) {
            strata[i] = (int) frame.y()[i];
        }
        return strata;
    }

    /** The truth of {@code frame} with {@code predictions} in seer-models' shape. */
    public static Scored scored(Frame frame, double[][] predictions) {
        return switch (frame.task()) {
            case BINARY -> Scored.binary(frame.y(), column(predictions));
            case REGRESSION -> Scored.regression(frame.y(), column(predictions));
            case MULTICLASS -> Scored.multiclass(frame.y(), predictions);
        };
    }

    private static double[] column(double[][] predictions) {
        double[] out = new double[predictions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = predictions[i][0];
        }
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
