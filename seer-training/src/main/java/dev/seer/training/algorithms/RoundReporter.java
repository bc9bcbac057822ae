package dev.seer.training.algorithms;

import dev.seer.training.data.Frame;

/**
 * Watches an iterative fit (boosting rounds): every {@link #every()} rounds the learner predicts
 * {@link #watch()} with the model so far and reports it; a {@code false} answer stops the fit
 * there (ASHA's early stopping).
 */
public interface RoundReporter {
    /** Reports nothing and never stops a fit. */
    RoundReporter NONE = new RoundReporter() {
        @Override
        public long every() {
            return 0;
        }

        @Override
        public Frame watch() {
            throw new IllegalStateException("no watch frame");
        }

        @Override
        public boolean report(long round, double[][] predictions) {
            return true;
        }
    };

    /** How often to report, in rounds; 0: never. */
    long every();

    Frame watch();

    /** @return whether to go on */
    boolean report(long round, double[][] predictions);
}
