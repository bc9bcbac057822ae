package dev.seer.models;

import dev.seer.core.SeerException;
import java.util.Map;

/** Checks and reshapes rows to predict, for every runtime alike. */
final class Rows {
    private Rows() {}

    /** Refuses a row that is not as wide as the signature's inputs, naming the row. */
    static void check(double[][] rows, Signature signature) {
        int width = signature.inputs().size();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != width) {
                throw new SeerException(ModelErrorCode.INVALID_INPUT, "Row [" + i + "] has ["
                        + (rows[i] == null ? "no" : String.valueOf(rows[i].length)) + "] values; the model takes ["
                        + width + "] inputs " + signature.names(), Map.of("row", i));
            }
        }
    }

    /** The rows as one row-major float matrix, as XGBoost and ONNX take them; NaN stays NaN. */
    static float[] flatten(double[][] rows, int width) {
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < width; j++) {
                flat[i * width + j] = (float) rows[i][j];
            }
        }
        return flat;
    }
}
