package dev.seer.explain;

import java.util.List;

/** {@link Explainer} of Seer's linear models: exact linear SHAP on the margin (or the value, for regression). */
final class LinearExplainer implements Explainer {
    private final LinearShap shap;

    LinearExplainer(LinearShap shap) {
        this.shap = shap;
    }

    @Override
    public List<String> features() {
        return shap.features();
    }

    @Override
    public List<String> outputs() {
        return List.of(shap.output());
    }

    @Override
    public Scale scale() {
        return shap.scale();
    }

    @Override
    public String method() {
        return "linear-shap";
    }

    @Override
    public double[][] predict(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            Rows.check(rows[r], shap.features());
            out[r] = new double[] {shap.predict(rows[r])};
        }
        return out;
    }

    @Override
    public List<Attribution> explain(double[] row) {
        Rows.check(row, shap.features());
        return List.of(shap.explain(row));
    }
}
