package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

/**
 * Scores with their true labels, for a binary classifier: what CBPE is fitted on (the reference's
 * held-out rows scored by the champion) and what realised performance is computed from (a
 * window's predictions joined to their outcomes), in prediction order.
 */
@SuppressWarnings("ArrayRecordComponent")
public record Labelled(double[] scores, double[] outcomes) {
    public Labelled {
        requireNonNull(scores, "scores is null");
        requireNonNull(outcomes, "outcomes is null");
        if (scores.length != outcomes.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + outcomes.length + " outcomes");
        }
    }

    public int size() {
        return scores.length;
    }
}
