package dev.seer.training.metrics;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.training.Task;
import dev.seer.training.TrainingErrorCode;
import java.util.Map;

/**
 * What a model predicted for rows whose truth is known.
 *
 * <ul>
 *   <li>Binary: {@code truth} in {0, 1}, {@code score} = P(1) in [0, 1], {@code probabilities} null.
 *   <li>Multiclass: {@code truth} = class index 0 .. k-1, {@code probabilities[n][k]} with rows in [0, 1] summing to
 *       1 (within numpy's {@code allclose} tolerance, as scikit-learn's multiclass ROC AUC demands), {@code score}
 *       null.
 *   <li>Regression: {@code truth} and {@code score} = predicted value, both finite, {@code probabilities} null.
 * </ul>
 *
 * <p>The arrays are copied on the way in and on the way out, so a {@code Scored} never changes; metrics read the
 * fields directly. Invalid input is refused here, once, with {@code INVALID_ARGUMENT} naming the argument. Equality
 * is identity (record equality over arrays compares references), which is what the per-{@code Scored} ranking cache
 * wants: hashing the contents would cost O(n) per lookup.
 */
// The component types are fixed by the API other packages integrate against.
@SuppressWarnings("ArrayRecordComponent")
public record Scored(Task task, double[] truth, double[] score, double[][] probabilities) {
    // numpy.allclose(1, row.sum()) with its defaults rtol = 1e-5, atol = 1e-8
    private static final double ROW_SUM_TOLERANCE = 1e-8 + 1e-5;

    public Scored {
        requireNonNull(task, "task is null");
        requireNonNull(truth, "truth is null");
        truth = truth.clone();
        if (truth.length == 0) {
            throw invalid("truth", "Truth is empty: metrics need at least one row");
        }
        switch (task) {
            case BINARY -> {
                score = checkedProbabilities(requireNonNull(score, "score is null").clone(), "score", truth.length);
                checkLabels(truth, 2);
                requireNoProbabilities(probabilities);
            }
            case MULTICLASS -> {
                probabilities = checkedRows(requireNonNull(probabilities, "probabilities is null"), truth.length);
                checkLabels(truth, probabilities[0].length);
                if (score != null) {
                    throw invalid("score", "A multiclass Scored takes probabilities, not a score");
                }
            }
            case REGRESSION -> {
                score = requireNonNull(score, "score is null").clone();
                checkLength(score.length, truth.length, "predicted");
                checkFinite(truth, "truth");
                checkFinite(score, "predicted");
                requireNoProbabilities(probabilities);
            }
        }
    }

    public static Scored binary(double[] truth, double[] p1) {
        return new Scored(Task.BINARY, truth, p1, null);
    }

    public static Scored multiclass(double[] truth, double[][] probabilities) {
        return new Scored(Task.MULTICLASS, truth, null, probabilities);
    }

    public static Scored regression(double[] truth, double[] predicted) {
        return new Scored(Task.REGRESSION, truth, predicted, null);
    }

    public int rows() {
        return truth.length;
    }

    /** The number of classes: 2 for binary, k for multiclass, 0 for regression. */
    public int classes() {
        return switch (task) {
            case BINARY -> 2;
            case MULTICLASS -> probabilities[0].length;
            case REGRESSION -> 0;
        };
    }

    @Override
    public double[] truth() {
        return truth.clone();
    }

    @Override
    public double[] score() {
        return score == null ? null : score.clone();
    }

    @Override
    public double[][] probabilities() {
        if (probabilities == null) {
            return null;
        }
        double[][] copy = new double[probabilities.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = probabilities[i].clone();
        }
        return copy;
    }

    @Override
    public String toString() {
        return "Scored[" + task.id() + ", " + truth.length + " rows]";
    }

    // Package-private reads without copies, for the metrics' inner loops.

    double truthAt(int row) {
        return truth[row];
    }

    double scoreAt(int row) {
        return score[row];
    }

    double probabilityAt(int row, int column) {
        return probabilities[row][column];
    }

    /** The class index of each row, for stratifying a bootstrap; null for regression. */
    int[] classIndices() {
        if (task == Task.REGRESSION) {
            return null;
        }
        int[] classes = new int[truth.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = (int) truth[i];
        }
        return classes;
    }

    static SeerException invalid(String argument, String message) {
        return new SeerException(TrainingErrorCode.INVALID_ARGUMENT, message, Map.of("argument", argument));
    }

    private static void checkLength(int length, int expected, String argument) {
        if (length != expected) {
            throw invalid(argument, "Argument [" + argument + "] has [" + length + "] rows but truth has ["
                    + expected + "]");
        }
    }

    private static double[] checkedProbabilities(double[] p, String argument, int rows) {
        checkLength(p.length, rows, argument);
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0.0 && p[i] <= 1.0)) {
                throw invalid(argument, "Argument [" + argument + "] holds [" + p[i] + "] at row [" + i
                        + "]: probabilities must lie in [0, 1]");
            }
        }
        return p;
    }

    private static double[][] checkedRows(double[][] probabilities, int rows) {
        checkLength(probabilities.length, rows, "probabilities");
        int k = requireNonNull(probabilities[0], "probabilities[0] is null").length;
        if (k < 2) {
            throw invalid("probabilities", "Argument [probabilities] has [" + k + "] columns; multiclass needs at"
                    + " least 2");
        }
        double[][] copy = new double[rows][];
        for (int i = 0; i < rows; i++) {
            double[] row = requireNonNull(probabilities[i], "probabilities[" + i + "] is null");
            if (row.length != k) {
                throw invalid("probabilities", "Argument [probabilities] has [" + row.length + "] columns at row ["
                        + i + "] but [" + k + "] at row [0]");
            }
            copy[i] = row.clone();
            checkRow(copy[i], i);
        }
        return copy;
    }

    private static void checkRow(double[] row, int index) {
        double sum = 0.0;
        for (int c = 0; c < row.length; c++) {
            if (!(row[c] >= 0.0 && row[c] <= 1.0)) {
                throw invalid("probabilities", "Argument [probabilities] holds [" + row[c] + "] at row [" + index
                        + "] column [" + c + "]: probabilities must lie in [0, 1]");
            }
            sum += row[c];
        }
        if (Math.abs(sum - 1.0) > ROW_SUM_TOLERANCE) {
            throw invalid("probabilities", "Argument [probabilities] row [" + index + "] sums to [" + sum
                    + "], not 1");
        }
    }

    private static void checkLabels(double[] truth, int classes) {
        for (int i = 0; i < truth.length; i++) {
            double label = truth[i];
            if (!(label >= 0 && label < classes && label == Math.rint(label))) {
                throw invalid("truth", "Argument [truth] holds [" + label + "] at row [" + i + "]: labels must be"
                        + " class indices 0 .. " + (classes - 1));
            }
        }
    }

    private static void checkFinite(double[] values, String argument) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw invalid(argument, "Argument [" + argument + "] holds [" + values[i] + "] at row [" + i
                        + "]: values must be finite");
            }
        }
    }

    private static void requireNoProbabilities(double[][] probabilities) {
        if (probabilities != null) {
            throw invalid("probabilities", "Only a multiclass Scored takes probabilities");
        }
    }
}
