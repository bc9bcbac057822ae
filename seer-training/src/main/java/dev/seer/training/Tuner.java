package dev.seer.training;

import dev.seer.training.TrainingSpec.Candidate;
import dev.seer.training.TrainingSpec.Tuning;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.algorithms.Fitted;
import dev.seer.training.algorithms.Learner;
import dev.seer.training.algorithms.RoundReporter;
import dev.seer.training.data.Frame;
import dev.seer.training.data.TrainingData;
import dev.seer.training.evaluation.Evaluator;
import dev.seer.training.evaluation.Folds;
import dev.seer.training.metrics.Metric;
import dev.seer.training.tuning.AshaPruner;
import dev.seer.training.tuning.Direction;
import dev.seer.training.tuning.GpSampler;
import dev.seer.training.tuning.IntParam;
import dev.seer.training.tuning.RandomSampler;
import dev.seer.training.tuning.Sampler;
import dev.seer.training.tuning.Study;
import dev.seer.training.tuning.StudyListener;
import dev.seer.training.tuning.TpeSampler;
import dev.seer.training.tuning.Trial;
import dev.seer.training.tuning.TrialContext;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tunes one candidate: a study over its search space whose objective trains on the train split
 * and scores the spec's metric on the validation split (or, without one, on a fifth of the
 * training rows held out), so that tuning never sees the test rows the evaluation judges by.
 * With ASHA, boosting reports the metric every {@value #REPORT_EVERY} rounds and a trial that
 * falls behind its rung stops there, recorded as pruned; the first rung is the fewest rounds the
 * search allows.
 */
final class Tuner {
    static final long REPORT_EVERY = 10;
    static final int REDUCTION_FACTOR = 3;

    private final Metric metric;
    private final Tuning tuning;
    private final int threads;
    private final Clock clock;

    Tuner(Metric metric, Tuning tuning, int threads, Clock clock) {
        this.metric = metric;
        this.tuning = tuning;
        this.threads = threads;
        this.clock = clock;
    }

    /** The trials of the study, in number order; {@code recorded}: trials of an interrupted study to resume from. */
    List<Trial> tune(Candidate candidate, TrainingData data, List<Trial> recorded, StudyListener listener) {
        Frame[] split = trainAndWatch(data);
        Sampler sampler = switch (tuning.strategy()) {
            case TPE -> new TpeSampler(tuning.seed());
            case RANDOM -> new RandomSampler(tuning.seed());
            case GP -> new GpSampler(tuning.seed());
        };
        boolean asha = tuning.asha() && candidate.algorithm() == Algorithm.XGBOOST;
        Direction direction = metric.higherIsBetter() ? Direction.MAXIMIZE : Direction.MINIMIZE;
        int parallelism = Math.max(1, Math.min(tuning.parallelism(), threads));
        int perTrialThreads = Math.max(1, threads / parallelism);
        AshaPruner pruner = asha ? new AshaPruner(minResource(candidate), REDUCTION_FACTOR, 0) : null;
        Study study = recorded.isEmpty()
                ? new Study(candidate.search().orElseThrow(), direction, sampler, pruner, parallelism, listener, clock)
                : Study.resume(candidate.search().orElseThrow(), direction, sampler, pruner, parallelism, listener, clock,
                        recorded);
        return study.optimize(trial -> objective(candidate, split[0], split[1], trial, perTrialThreads, asha),
                tuning.trials(), tuning.timeout().orElse(Duration.ofDays(365)));
    }

    private double objective(Candidate candidate, Frame train, Frame watch, TrialContext trial, int trialThreads,
            boolean asha) {
        Map<String, Object> params = params(candidate, trial.params());
        double[] last = {Double.NaN};
        RoundReporter reporter = !asha ? RoundReporter.NONE : new RoundReporter() {
            @Override
            public long every() {
                return REPORT_EVERY;
            }

            @Override
            public Frame watch() {
                return watch;
            }

            @Override
            public boolean report(long round, double[][] predictions) {
                last[0] = metric.value(Evaluator.scored(watch, predictions));
                return !trial.report(round, last[0]);
            }
        };
        try (Fitted fitted = Learner.of(candidate.algorithm()).fit(train, candidate.algorithm().resolve(params),
                tuning.seed() + trial.number(), trialThreads, reporter)) {
            return metric.value(Evaluator.scored(watch, fitted.predict(watch.x())));
        }
    }

    /**
     * ASHA's first rung: the fewest rounds the search may choose (at least {@value #REPORT_EVERY}).
     * A rung below it would judge every trial before even the shortest one is done, when a slow
     * learning rate always looks worse; measured on 100,000 rows, a first rung at round 10 pruned
     * all but 1 to 6 trials of 61 to 119 and lost to Optuna without pruning.
     */
    static long minResource(Candidate candidate) {
        return candidate.search().flatMap(space -> space.params().stream().filter(p -> p.name().equals("rounds"))
                .findFirst()).map(p -> p instanceof IntParam ip ? ip.low() : REPORT_EVERY).map(low -> Math.max(
                REPORT_EVERY, low)).orElse(REPORT_EVERY);
    }

    /** The candidate's fixed parameters with a trial's, as the algorithm takes them. */
    static Map<String, Object> params(Candidate candidate, Map<String, Object> trial) {
        Map<String, Object> params = new LinkedHashMap<>(candidate.params());
        params.putAll(trial);
        return params;
    }

    /** The rows a trial trains on and the rows it is scored on. */
    private Frame[] trainAndWatch(TrainingData data) {
        if (data.validation().rows() > 0) {
            return new Frame[] {data.train(), data.validation()};
        }
        Folds folds = Folds.assign(data.train(), 5, tuning.seed());
        return new Frame[] {data.train().select(folds.rows(0, false)), data.train().select(folds.rows(0, true))};
    }
}
