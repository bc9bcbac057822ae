package dev.seer.explain;

import dev.seer.models.TreeEnsemble;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Explainer} of a tree ensemble on its margin: path-dependent TreeSHAP by default, or
 * interventional TreeSHAP against a background. The margin is what the trees add up to exactly;
 * a probability is its logistic (or softmax), which does not split additively.
 */
final class TreeExplainer implements Explainer {
    private final TreeEnsemble ensemble;
    private final List<String> features;
    private final List<String> outputs;
    private final TreeShap pathDependent;
    private final InterventionalTreeShap interventional;

    TreeExplainer(TreeEnsemble ensemble, List<String> features, List<String> outputs, double[][] background) {
        this.ensemble = ensemble;
        this.features = List.copyOf(features);
        this.outputs = List.copyOf(outputs);
        this.pathDependent = background == null ? TreeShap.of(ensemble) : null;
        this.interventional = background == null ? null : InterventionalTreeShap.of(ensemble, background);
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public List<String> outputs() {
        return outputs;
    }

    @Override
    public Scale scale() {
        return Scale.MARGIN;
    }

    @Override
    public String method() {
        return pathDependent != null ? "tree-shap (path-dependent)" : "tree-shap (interventional)";
    }

    @Override
    public double[][] predict(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            Rows.check(rows[r], features);
            out[r] = ensemble.predict(rows[r]);
        }
        return out;
    }

    @Override
    public List<Attribution> explain(double[] row) {
        Rows.check(row, features);
        double[] values = pathDependent != null ? pathDependent.contributions(row) : interventional.contributions(row);
        return attributions(values, ensemble.margins(row));
    }

    @Override
    public List<List<Attribution>> explainAll(double[][] rows) {
        for (double[] row : rows) {
            Rows.check(row, features);
        }
        if (pathDependent == null) {
            return Explainer.super.explainAll(rows);
        }
        double[][] values = pathDependent.contributions(rows, Runtime.getRuntime().availableProcessors());
        List<List<Attribution>> out = new ArrayList<>(rows.length);
        for (int r = 0; r < rows.length; r++) {
            out.add(attributions(values[r], ensemble.margins(rows[r])));
        }
        return out;
    }

    private List<Attribution> attributions(double[] values, double[] margins) {
        int width = features.size() + 1;
        List<Attribution> out = new ArrayList<>(outputs.size());
        for (int g = 0; g < outputs.size(); g++) {
            double[] contributions = java.util.Arrays.copyOfRange(values, g * width, g * width + width - 1);
            out.add(new Attribution(outputs.get(g), Scale.MARGIN, values[g * width + width - 1], contributions, margins[g]));
        }
        return out;
    }
}
