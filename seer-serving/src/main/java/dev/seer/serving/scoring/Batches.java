package dev.seer.serving.scoring;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.models.Signature;
import dev.seer.serving.ServingErrorCode;
import java.util.Arrays;
import java.util.Map;

/** The checks every {@link Scorer} makes on a batch before scoring it. */
final class Batches {
    private Batches() {}

    /**
     * Refuses a batch whose {@code rows} do not hold exactly {@code count} rows of the signature's
     * width, or whose {@code out} cannot hold their outputs.
     */
    static void check(double[] rows, int count, double[] out, Signature signature) {
        requireNonNull(rows, "rows is null");
        requireNonNull(out, "out is null");
        int inputs = signature.inputs().size();
        if (count < 0 || (long) count * inputs != rows.length) {
            throw new SeerException(ServingErrorCode.INVALID_INPUT, "A batch of [" + count + "] rows has [" + rows.length
                    + "] values; the model takes [" + inputs + "] inputs per row " + signature.names(),
                    Map.of("rows", count, "values", rows.length, "inputs", inputs));
        }
        if ((long) count * signature.width() > out.length) {
            throw new IllegalArgumentException("out holds [" + out.length + "] numbers; [" + count + "] rows give ["
                    + (long) count * signature.width() + "]");
        }
    }

    /** The rows of a flat batch as the arrays {@link dev.seer.models.Model#predict} takes. */
    static double[][] unflatten(double[] rows, int count, int inputs) {
        double[][] table = new double[count][];
        for (int r = 0; r < count; r++) {
            table[r] = Arrays.copyOfRange(rows, r * inputs, (r + 1) * inputs);
        }
        return table;
    }
}
