package dev.seer.explain;

import java.util.List;

/**
 * Explains one model's predictions, row by row, in the one shape ({@link Attribution}): for each
 * row, one attribution per output ({@link #outputs()}), each with a base value, one contribution
 * per feature in {@link #features()} order and the value they add up to, on {@link #scale()}.
 * Implementations are thread-safe.
 */
public interface Explainer {
    /** The model's inputs, in row order. */
    List<String> features();

    /** What is explained: {@code 1} (the positive class), {@code value}, or each class's name. */
    List<String> outputs();

    Scale scale();

    /** How the values were computed, for reports: {@code tree-shap (path-dependent)}, {@code linear-shap}, {@code kernel-shap}. */
    String method();

    /**
     * The model's own outputs for {@code rows} (P(class 1), the class probabilities, or the value),
     * computed from the same model representation the explanation uses, in Java.
     */
    double[][] predict(double[][] rows);

    /** One attribution per output for {@code row} (NaN: a missing value). */
    List<Attribution> explain(double[] row);

    /** One list of attributions per row. */
    default List<List<Attribution>> explainAll(double[][] rows) {
        return java.util.Arrays.stream(rows).map(this::explain).toList();
    }
}
