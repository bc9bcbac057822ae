package dev.seer.explain;

import dev.seer.core.SeerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's SHAP values over a sample of rows, summarised for global explanations: per output, the
 * mean |SHAP| of each feature (the global importance of Lundberg et al. 2020's summary plots) and
 * the dependence data, each row's (value, contribution) for each feature.
 *
 * @param meanAbsolute per output (in {@link #outputs} order), per feature
 * @param values per row, per output, per feature: the contributions (the dependence plots' y)
 * @param rows the rows explained (the dependence plots' x)
 */
public record ShapSummary(List<String> features, List<String> outputs, Scale scale, String method, double[][] meanAbsolute,
        double[][][] values, double[][] rows) {

    public static ShapSummary of(Explainer explainer, double[][] rows) {
        if (rows.length == 0) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "A SHAP summary needs at least one row",
                    Map.of("field", "rows"));
        }
        List<List<Attribution>> all = explainer.explainAll(rows);
        int outputs = explainer.outputs().size();
        int features = explainer.features().size();
        double[][] mean = new double[outputs][features];
        double[][][] values = new double[rows.length][outputs][];
        for (int r = 0; r < rows.length; r++) {
            for (int o = 0; o < outputs; o++) {
                double[] c = all.get(r).get(o).contributions();
                values[r][o] = c;
                for (int f = 0; f < features; f++) {
                    mean[o][f] += Math.abs(c[f]) / rows.length;
                }
            }
        }
        double[][] copy = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            copy[r] = rows[r].clone();
        }
        return new ShapSummary(explainer.features(), explainer.outputs(), explainer.scale(), explainer.method(), mean,
                values, copy);
    }

    /** The features of {@code output} by mean |SHAP|, largest first. */
    public List<String> ranking(int output) {
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            order.add(f);
        }
        order.sort((a, b) -> Double.compare(meanAbsolute[output][b], meanAbsolute[output][a]));
        return order.stream().map(features::get).toList();
    }
}
