package dev.seer.training.algorithms;

import dev.seer.models.ModelFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A trained model, as training uses it: predictions in seer-models' shape (one row per input row:
 * P(class 1), the class probabilities, or the value) and the model file, when the algorithm has one.
 */
public interface Fitted extends AutoCloseable {
    double[][] predict(double[][] rows);

    /** The file a model version stores; empty for a baseline of several classes, which is only a yardstick. */
    Optional<ModelFile> file();

    /** Facts of the fit worth recording (the rounds trained, whether the solver converged). */
    Map<String, String> facts();

    /** Releases what the fit holds outside the heap (a native booster). */
    @Override
    default void close() {}

    /** A model file and its format. */
    // the bytes are the file; records compare them by identity, which no caller relies on
    @SuppressWarnings("ArrayRecordComponent")
    record ModelFile(ModelFormat format, String name, byte[] bytes) {}
}
