package dev.seer.training.metrics;

import static java.util.Objects.requireNonNull;

import dev.seer.training.Task;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Counts of (true class, predicted class) in scikit-learn's {@code confusion_matrix} orientation: row = truth, column
 * = prediction. Every class of the task has a row and a column ({@code labels=range(k)}), seen or not. Binary
 * predictions are class 1 iff P(1) > threshold (0.5 by default, sklearn's {@code predict}); multiclass predictions are
 * the argmax, first on ties.
 */
// Arrays as components: the API other packages integrate against; equality is by content below.
@SuppressWarnings("ArrayRecordComponent")
public record ConfusionMatrix(List<String> classes, long[][] counts) {
    public ConfusionMatrix {
        classes = List.copyOf(requireNonNull(classes, "classes is null"));
        requireNonNull(counts, "counts is null");
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
            if (copy[i].length != classes.size()) {
                throw Scored.invalid("counts", "Argument [counts] row [" + i + "] has [" + copy[i].length
                        + "] columns but there are [" + classes.size() + "] classes");
            }
        }
        if (copy.length != classes.size()) {
            throw Scored.invalid("counts", "Argument [counts] has [" + copy.length + "] rows but there are ["
                    + classes.size() + "] classes");
        }
        counts = copy;
    }

    /** With the default threshold 0.5 for binary. */
    public static ConfusionMatrix of(Scored scored) {
        return of(scored, ClassMetrics.DEFAULT_THRESHOLD);
    }

    /** {@code threshold} applies to binary only: class 1 iff P(1) > threshold. */
    public static ConfusionMatrix of(Scored scored, double threshold) {
        requireNonNull(scored, "scored is null");
        if (scored.task() == Task.REGRESSION) {
            throw Scored.invalid("scored", "A confusion matrix needs a classification Scored, not [regression]");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw Scored.invalid("threshold", "Argument [threshold] is [" + threshold + "]; it must lie in [0, 1]");
        }
        int k = scored.classes();
        long[][] counts = new long[k][k];
        for (int i = 0; i < scored.rows(); i++) {
            counts[(int) scored.truthAt(i)][ClassMetrics.predictedClass(scored, i, threshold)]++;
        }
        return new ConfusionMatrix(IntStream.range(0, k).mapToObj(Integer::toString).toList(), counts);
    }

    /** The count of rows of true class {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfusionMatrix matrix && classes.equals(matrix.classes)
                && Arrays.deepEquals(counts, matrix.counts);
    }

    @Override
    public int hashCode() {
        return 31 * classes.hashCode() + Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix[classes=" + classes + ", counts=" + Arrays.deepToString(counts) + "]";
    }

    @Override
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }
}
