package dev.seer.monitoring.multivariate;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a row of a reference or chunk into the standardised vector the PCA sees, with the steps
 * NannyML fits on the reference: impute (mean for numbers, most frequent category, ties to the
 * smallest as scikit-learn's SimpleImputer), encode each category as its relative frequency in the
 * imputed reference (an unseen category as 0), and z-score with the population standard deviation
 * (a constant column keeps scale 1, as StandardScaler does).
 */
final class Encoder {
    private final List<String> names;
    private final boolean[] numeric;
    private final double[] fill; // numeric columns: the reference mean
    private final String[] mode; // categorical columns: the most frequent category
    private final List<Map<String, Double>> frequencies; // categorical columns; null for numeric
    private final double[] centre;
    private final double[] scale;

    private Encoder(List<String> names, boolean[] numeric, double[] fill, String[] mode,
            List<Map<String, Double>> frequencies, double[] centre, double[] scale) {
        this.names = names;
        this.numeric = numeric;
        this.fill = fill;
        this.mode = mode;
        this.frequencies = frequencies;
        this.centre = centre;
        this.scale = scale;
    }

    static Encoder fit(List<Column> reference) {
        int p = reference.size();
        int n = reference.get(0).size();
        boolean[] numeric = new boolean[p];
        double[] fill = new double[p];
        String[] mode = new String[p];
        Map<String, Double>[] frequencies = newMaps(p);
        for (int j = 0; j < p; j++) {
            Column column = reference.get(j);
            numeric[j] = column.isNumeric();
            if (numeric[j]) {
                fill[j] = meanOf(column);
            } else {
                frequencies[j] = frequencies(column, n);
                mode[j] = modeOf(column);
            }
        }
        List<String> names = reference.stream().map(Column::name).toList();
        Encoder unscaled = new Encoder(names, numeric, fill, mode, Arrays.asList(frequencies), new double[p], ones(p));
        double[] centre = new double[p];
        double[] row = new double[p];
        for (int i = 0; i < n; i++) {
            unscaled.encode(reference, i, row);
            for (int j = 0; j < p; j++) {
                centre[j] += row[j];
            }
        }
        for (int j = 0; j < p; j++) {
            centre[j] /= n;
        }
        double[] variance = new double[p];
        for (int i = 0; i < n; i++) {
            unscaled.encode(reference, i, row);
            for (int j = 0; j < p; j++) {
                double d = row[j] - centre[j];
                variance[j] += d * d;
            }
        }
        double[] scale = new double[p];
        for (int j = 0; j < p; j++) {
            variance[j] /= n;
            scale[j] = isConstant(variance[j], centre[j], n) ? 1.0 : Math.sqrt(variance[j]);
        }
        return new Encoder(names, numeric, fill, mode, Arrays.asList(frequencies), centre, scale);
    }

    // StandardScaler's test for a constant feature: a variance within rounding error of zero
    private static boolean isConstant(double variance, double mean, int n) {
        double eps = Math.ulp(1.0);
        double bound = n * eps * variance + (n * mean * eps) * (n * mean * eps);
        return variance <= bound;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double>[] newMaps(int p) {
        return (Map<String, Double>[]) new Map<?, ?>[p];
    }

    private static double[] ones(int p) {
        double[] ones = new double[p];
        Arrays.fill(ones, 1.0);
        return ones;
    }

    private static double meanOf(Column column) {
        double sum = 0;
        int count = 0;
        for (double value : column.numbers()) {
            if (!Double.isNaN(value)) {
                if (Double.isInfinite(value)) {
                    throw invalid("Column [" + column.name() + "] holds an infinite value");
                }
                sum += value;
                count++;
            }
        }
        if (count == 0) {
            throw invalid("Reference column [" + column.name() + "] has no values to learn from");
        }
        return sum / count;
    }

    private static Map<String, Integer> counts(Column column) {
        Map<String, Integer> counts = new HashMap<>();
        for (String value : column.categories()) {
            if (value != null) {
                counts.merge(value, 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            throw invalid("Reference column [" + column.name() + "] has no values to learn from");
        }
        return counts;
    }

    private static String modeOf(Column column) {
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Integer> e : counts(column).entrySet()) {
            if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    /** Relative frequencies after imputation: the missing values count towards the mode. */
    private static Map<String, Double> frequencies(Column column, int n) {
        Map<String, Integer> counts = counts(column);
        String mode = modeOf(column);
        int missing = n - counts.values().stream().mapToInt(Integer::intValue).sum();
        counts.merge(mode, missing, Integer::sum);
        Map<String, Double> frequencies = new HashMap<>();
        counts.forEach((category, count) -> frequencies.put(category, count / (double) n));
        return frequencies;
    }

    int width() {
        return names.size();
    }

    List<String> names() {
        return names;
    }

    boolean isNumeric(int j) {
        return numeric[j];
    }

    /** Writes row i of the columns (laid out as the reference's) into {@code out}, standardised. */
    void encode(List<Column> columns, int i, double[] out) {
        for (int j = 0; j < out.length; j++) {
            Column column = columns.get(j);
            double value;
            if (numeric[j]) {
                value = column.numbers()[i];
                if (Double.isNaN(value)) {
                    value = fill[j];
                } else if (Double.isInfinite(value)) {
                    throw invalid("Column [" + column.name() + "] holds an infinite value");
                }
            } else {
                String category = column.categories()[i];
                value = frequencies.get(j).getOrDefault(category == null ? mode[j] : category, 0.0);
            }
            out[j] = (value - centre[j]) / scale[j];
        }
    }

    private static SeerException invalid(String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, message, Map.of());
    }
}
