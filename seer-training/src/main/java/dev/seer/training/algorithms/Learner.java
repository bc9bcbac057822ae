package dev.seer.training.algorithms;

import dev.seer.training.data.Frame;
import java.util.Map;
import java.util.Optional;

/** Trains one algorithm. Implementations are stateless and thread-safe. */
public interface Learner {
    /**
     * @param params every parameter of the algorithm, resolved ({@link Algorithm#resolve})
     * @param threads the threads this fit may use
     * @param rounds told of the progress of an iterative fit, and may stop it early
     */
    Fitted fit(Frame train, Map<String, Object> params, long seed, int threads, RoundReporter rounds);

    /** The learner of {@code algorithm}. */
    static Learner of(Algorithm algorithm) {
        return switch (algorithm) {
            case XGBOOST, RANDOM_FOREST -> new XGBoostLearner(algorithm);
            case LOGISTIC, LINEAR -> new LinearLearner(algorithm);
            case BASELINE -> new BaselineLearner();
        };
    }

    /**
     * XGBoost boosting more rounds on {@code start}: its trees are kept as they are and
     * {@code rounds} more are added, fit to the new rows' gradients at the start's predictions.
     */
    static Learner continuing(BoostedModel start) {
        return new XGBoostLearner(Algorithm.XGBOOST, Optional.of(start));
    }
}
