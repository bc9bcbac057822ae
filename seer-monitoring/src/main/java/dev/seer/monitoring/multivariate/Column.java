package dev.seer.monitoring.multivariate;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Map;

/**
 * One named column of a reference or a chunk: numbers (NaN for a missing value) or categories
 * (null for a missing value). The arrays are not copied; the caller must not change them while a
 * fit or a score runs.
 */
public record Column(String name, double[] numbers, String[] categories) {

    public Column {
        requireNonNull(name, "name is null");
        if ((numbers == null) == (categories == null)) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT,
                    "Column [" + name + "] must hold either numbers or categories", Map.of());
        }
    }

    /** A numeric column; NaN marks a missing value. */
    public static Column numeric(String name, double... values) {
        return new Column(name, requireNonNull(values, "values is null"), null);
    }

    /** A categorical column; null marks a missing value. */
    public static Column categorical(String name, String... values) {
        return new Column(name, null, requireNonNull(values, "values is null"));
    }

    public boolean isNumeric() {
        return numbers != null;
    }

    public int size() {
        return isNumeric() ? numbers.length : categories.length;
    }
}
