package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import java.util.List;
import java.util.Map;

/**
 * How a dataset version is split into train, validation and test rows, deterministically:
 * <ul>
 *   <li>{@code KEY}: by a hash of the entity key columns (SHA-256 of a salt and the key), so an
 *       entity is in one split only, and stays in it in every version with the same salt;
 *   <li>{@code TIME}: by a time column at the cutoffs where the fractions fall, so every
 *       training row is earlier than every validation row, and those than every test row.
 * </ul>
 */
public record SplitSpec(Method method, List<String> columns, double train, double validation, double test) {
    public enum Method { KEY, TIME }

    public SplitSpec {
        requireNonNull(method, "method is null");
        columns = List.copyOf(columns);
        if (columns.isEmpty() || (method == Method.TIME && columns.size() != 1)) {
            throw invalid(method == Method.TIME ? "a time split needs exactly one column" : "a key split needs a key column");
        }
        if (train < 0 || validation < 0 || test < 0 || Math.abs(train + validation + test - 1) > 1e-9) {
            throw invalid("fractions [" + train + ", " + validation + ", " + test + "] must be at least 0 and add up to 1");
        }
    }

    /** {@code fractions}: "train,validation,test", for example {@code 0.8,0.1,0.1}. */
    public static SplitSpec parse(Method method, List<String> columns, String fractions) {
        String[] parts = fractions.split(",");
        if (parts.length != 3) {
            throw invalid("fractions [" + fractions + "] must be three numbers: train,validation,test");
        }
        double[] f = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                f[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw invalid("fraction [" + parts[i] + "] of [" + fractions + "] is not a number");
            }
        }
        return new SplitSpec(method, columns, f[0], f[1], f[2]);
    }

    private static SeerException invalid(String what) {
        return new SeerException(DatasetErrorCode.INVALID_REQUEST, "Split: " + what, Map.of("field", "split"));
    }
}
