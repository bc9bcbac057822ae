package dev.seer.serving.online;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Rows drawn from a known logistic model: ten features, two of them off the unit scale (one wide, one offset),
 * labels Bernoulli(σ(intercept + w·x)). {@link #flip} changes the truth in place, as concept drift does.
 */
final class LogisticStream {
    static final List<String> FEATURES = IntStream.range(0, 10).mapToObj(i -> "x" + i).toList();
    /** The feature whose coefficient is largest, the one {@link #flip} turns round. */
    static final int FLIPPED = 5;

    private final SplittableRandom random;
    private final double[] weights = {1.2, -0.8, 0.5, 0.0, 0.3, -1.5, 0.7, 0.0, -0.4, 0.9};
    private final double intercept = -0.5;

    LogisticStream(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The true coefficient of feature i changes sign. */
    void flip() {
        weights[FLIPPED] = -weights[FLIPPED];
    }

    double[] row() {
        double[] x = new double[weights.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        x[2] *= 4; // a wide feature
        x[8] = 3 + 0.5 * x[8]; // an offset one
        return x;
    }

    /** P(1) under the truth as it stands. */
    double probability(double[] x) {
        double score = intercept;
        for (int i = 0; i < x.length; i++) {
            score += (i == 2 ? weights[i] / 4 : i == 8 ? weights[i] * 2 : weights[i]) * x[i];
        }
        return 1 / (1 + Math.exp(-score));
    }

    double label(double p) {
        return random.nextDouble() < p ? 1 : 0;
    }
}
