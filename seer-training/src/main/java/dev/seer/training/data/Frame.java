package dev.seer.training.data;

import static java.util.Objects.requireNonNull;

import dev.seer.core.schema.Schema;
import dev.seer.training.Task;
import java.util.List;

/**
 * Rows to train on or score: a matrix of features (NaN where a value is missing) and the label of
 * each row, encoded for the task (a class index for classification, the value for regression).
 * The arrays are owned by the frame and never changed after it is built; a frame read by
 * {@link FrameReader} and its {@link #select} share rows, so nothing may write to them.
 *
 * @param inputs the features as a model's signature names and types them
 * @param classes the label's values in class order (classification; the positive class last for binary); empty for regression
 */
// The arrays are the point of a frame (training reads them in place); copying them per access would double memory.
@SuppressWarnings("ArrayRecordComponent")
public record Frame(Task task, Schema inputs, List<String> classes, double[][] x, double[] y) {
    public Frame {
        requireNonNull(task, "task is null");
        requireNonNull(inputs, "inputs is null");
        classes = List.copyOf(classes);
        requireNonNull(x, "x is null");
        requireNonNull(y, "y is null");
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " rows and y " + y.length);
        }
    }

    public int rows() {
        return y.length;
    }

    public List<String> features() {
        return inputs.names();
    }

    public int width() {
        return inputs.size();
    }

    /** The rows at {@code indices}, in that order (rows are shared, not copied). */
    public Frame select(int[] indices) {
        double[][] sx = new double[indices.length][];
        double[] sy = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            sx[i] = x[indices[i]];
            sy[i] = y[indices[i]];
        }
        return new Frame(task, inputs, classes, sx, sy);
    }

    /** These rows followed by {@code other}'s (same features and classes). */
    public Frame concat(Frame other) {
        if (!inputs.equals(other.inputs) || !classes.equals(other.classes)) {
            throw new IllegalArgumentException("frames of different features or classes");
        }
        double[][] cx = new double[rows() + other.rows()][];
        double[] cy = new double[cx.length];
        System.arraycopy(x, 0, cx, 0, rows());
        System.arraycopy(other.x, 0, cx, rows(), other.rows());
        System.arraycopy(y, 0, cy, 0, rows());
        System.arraycopy(other.y, 0, cy, rows(), other.rows());
        return new Frame(task, inputs, classes, cx, cy);
    }

    /** The features row-major as floats, as XGBoost takes them. */
    public float[] rowMajorFloats() {
        int width = width();
        float[] out = new float[rows() * width];
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < width; c++) {
                out[r * width + c] = (float) x[r][c];
            }
        }
        return out;
    }

    /** The labels as floats, as XGBoost takes them. */
    public float[] labelFloats() {
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = (float) y[i];
        }
        return out;
    }
}
