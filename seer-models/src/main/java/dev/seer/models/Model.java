package dev.seer.models;

/**
 * A loaded model: rows of numbers in, one prediction per row out. Rows hold the inputs in the
 * signature's order; NaN is a missing value. Each prediction has {@link Signature#width()}
 * numbers: P(class 1) for {@link OutputKind#PROBABILITY}, the value for {@link OutputKind#VALUE},
 * the class probabilities in class order for {@link OutputKind#CLASS_PROBABILITIES}.
 *
 * <p>{@link #predict} may be called from many threads at once; {@link #close} releases native
 * memory and must not race with it.
 */
public interface Model extends AutoCloseable {
    Signature signature();

    ModelFormat format();

    /** One prediction per row; refuses a row whose width is not the signature's input count. */
    double[][] predict(double[][] rows);

    @Override
    void close();
}
