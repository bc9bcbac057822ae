package dev.seer.explain;

import dev.seer.core.SeerException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Partial dependence and individual conditional expectation (Friedman 2001; Goldstein et al. 2015)
 * of one feature: each row's prediction with the feature set to each value of a grid (its ICE
 * curve), and their mean (the partial dependence). The grid spans the feature's observed values
 * between the 5th and 95th percentiles, as scikit-learn's {@code partial_dependence} does, evenly
 * spaced, or the distinct values when there are fewer than {@code points}; a missing value is left
 * out of the grid.
 *
 * @param output the model output followed (its index in each prediction)
 * @param ice one curve per row, over the grid
 */
public record PartialDependence(String feature, int output, double[] grid, double[] average, double[][] ice) {
    public PartialDependence {
        grid = grid.clone();
        average = average.clone();
        ice = Arrays.stream(ice).map(double[]::clone).toArray(double[][]::new);
    }

    public static PartialDependence compute(Predictor model, double[][] rows, List<String> names, int feature, int output,
            int points) {
        if (rows.length == 0 || feature < 0 || feature >= names.size() || points < 2) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Partial dependence needs rows, a feature of the "
                    + "model and at least 2 grid points; got [" + rows.length + "] rows, feature [" + feature + "], ["
                    + points + "] points", Map.of("field", "feature"));
        }
        for (double[] row : rows) {
            Rows.check(row, names);
        }
        double[] grid = grid(rows, feature, points, names.get(feature));
        double[][] hybrid = new double[rows.length * grid.length][];
        for (int r = 0; r < rows.length; r++) {
            for (int g = 0; g < grid.length; g++) {
                double[] row = rows[r].clone();
                row[feature] = grid[g];
                hybrid[r * grid.length + g] = row;
            }
        }
        double[][] predictions = model.predict(hybrid);
        if (output < 0 || output >= predictions[0].length) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Partial dependence of output [" + output
                    + "]; the model has [" + predictions[0].length + "] outputs", Map.of("field", "output"));
        }
        double[][] ice = new double[rows.length][grid.length];
        double[] average = new double[grid.length];
        for (int r = 0; r < rows.length; r++) {
            for (int g = 0; g < grid.length; g++) {
                ice[r][g] = predictions[r * grid.length + g][output];
                average[g] += ice[r][g] / rows.length;
            }
        }
        return new PartialDependence(names.get(feature), output, grid, average, ice);
    }

    static double[] grid(double[][] rows, int feature, int points, String name) {
        double[] values = Arrays.stream(rows).mapToDouble(r -> r[feature]).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Feature [" + name + "] is missing in every row",
                    Map.of("feature", name));
        }
        double[] distinct = Arrays.stream(values).distinct().toArray();
        if (distinct.length <= points) {
            return distinct;
        }
        double low = percentile(values, 0.05);
        double high = percentile(values, 0.95);
        double[] grid = new double[points];
        for (int i = 0; i < points; i++) {
            grid[i] = low + (high - low) * i / (points - 1);
        }
        return grid;
    }

    /** Linear interpolation between closest ranks, numpy's default. */
    private static double percentile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartialDependence p && feature.equals(p.feature) && output == p.output
                && Arrays.equals(grid, p.grid) && Arrays.equals(average, p.average) && Arrays.deepEquals(ice, p.ice);
    }

    @Override
    public int hashCode() {
        return (feature.hashCode() * 31 + output) * 31 + Arrays.hashCode(grid);
    }

    @Override
    public String toString() {
        return "PartialDependence[" + feature + ", output " + output + ", grid " + Arrays.toString(grid) + ", average "
                + Arrays.toString(average) + "]";
    }
}
