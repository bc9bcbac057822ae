package dev.seer.serving.scoring;

import dev.seer.models.Signature;

/**
 * Scores rows for the predict path: the same numbers as {@link dev.seer.models.Model#predict},
 * without an allocation per row. Rows are given flat, row after row, each {@code
 * signature().inputs().size()} wide in the signature's order, NaN for a missing value; each row
 * gets {@link Signature#width()} outputs, written flat into {@code out}. Rows that arrive together
 * are scored in one call.
 *
 * <p>Thread-safe: {@link #score} may be called from many threads at once. {@link #close} releases
 * native memory, if any, and must not race with it.
 */
public interface Scorer extends AutoCloseable {
    Signature signature();

    /** Scores {@code count} rows of {@code rows} into {@code out} (at least {@code count * width} long). */
    void score(double[] rows, int count, double[] out);

    /** One row's outputs. */
    default double[] score(double[] row) {
        double[] out = new double[signature().width()];
        score(row, 1, out);
        return out;
    }

    @Override
    default void close() {}
}
