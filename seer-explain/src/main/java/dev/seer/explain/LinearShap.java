package dev.seer.explain;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import java.util.List;
import java.util.Map;

/**
 * Exact SHAP values of a linear model with independent features (Lundberg and Lee 2017, "A
 * unified approach to interpreting model predictions", NeurIPS, Corollary 1): on the margin,
 * {@code φ_i = w_i (x_i − μ_i)} and the base is {@code b + Σ w_i μ_i}, where μ is the background's
 * mean. The default background is the training means the model keeps as its fill values, so a
 * missing value (filled with its mean) contributes nothing. On the margin the values add up to the
 * score exactly; a logistic model's probability is its logistic.
 */
public final class LinearShap {
    private final LinearModel model;
    private final double[] weights;
    private final double[] fill;
    private final double[] means;

    private LinearShap(LinearModel model, double[] means) {
        this.model = model;
        this.weights = model.weights();
        this.fill = model.fillsMissingValues() ? model.fillValues() : null;
        this.means = means;
    }

    /** Against the training means the model keeps; refuses a model without them (give a background then). */
    public static LinearShap of(LinearModel model) {
        if (!model.fillsMissingValues()) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "The linear model keeps no training means; "
                    + "explain it against a background sample", Map.of());
        }
        return new LinearShap(model, model.fillValues());
    }

    /** Against the mean of {@code background} (rows in the model's feature order; NaN is filled as the model fills it). */
    public static LinearShap of(LinearModel model, double[][] background) {
        int width = model.features().size();
        if (background.length == 0) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "The background sample has no rows", Map.of());
        }
        double[] means = new double[width];
        double[] fill = model.fillsMissingValues() ? model.fillValues() : null;
        for (int r = 0; r < background.length; r++) {
            if (background[r].length != width) {
                throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Background row [" + r + "] has ["
                        + background[r].length + "] values; the model takes [" + width + "]", Map.of("row", r));
            }
            for (int i = 0; i < width; i++) {
                double x = background[r][i];
                if (Double.isNaN(x) && fill == null) {
                    throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Background row [" + r + "] misses feature ["
                            + model.features().get(i) + "] and the model fills no missing value",
                            Map.of("row", r, "feature", model.features().get(i)));
                }
                means[i] += (Double.isNaN(x) ? fill[i] : x) / background.length;
            }
        }
        return new LinearShap(model, means);
    }

    public List<String> features() {
        return model.features();
    }

    /** The row explained on the margin. */
    public Attribution explain(double[] row) {
        check(row);
        double base = model.intercept();
        double[] contributions = new double[weights.length];
        double value = model.intercept();
        for (int i = 0; i < weights.length; i++) {
            double x = filled(row[i], i);
            base += weights[i] * means[i];
            contributions[i] = weights[i] * (x - means[i]);
            value += weights[i] * x;
        }
        return new Attribution(output(), scale(), base, contributions, value);
    }

    /** The model's output for {@code row}: P(class 1) for a logistic model, the value for a regression. */
    public double predict(double[] row) {
        check(row);
        double margin = model.intercept();
        for (int i = 0; i < weights.length; i++) {
            margin += weights[i] * filled(row[i], i);
        }
        return model.link() == LinearModel.Link.LOGIT ? 1 / (1 + Math.exp(-margin)) : margin;
    }

    /** {@code 1} (the positive class, on its log-odds) for a logistic model, {@code value} for a regression. */
    public String output() {
        return model.link() == LinearModel.Link.LOGIT ? "1" : "value";
    }

    public Scale scale() {
        return model.link() == LinearModel.Link.LOGIT ? Scale.MARGIN : Scale.VALUE;
    }

    private void check(double[] row) {
        if (row.length != weights.length) {
            throw new SeerException(ExplainErrorCode.INVALID_ROW, "A row has [" + row.length + "] values; the model takes ["
                    + weights.length + "] " + model.features(), Map.of("width", row.length));
        }
    }

    private double filled(double x, int i) {
        if (Double.isNaN(x)) {
            if (fill == null) {
                throw new SeerException(ExplainErrorCode.INVALID_ROW, "Feature [" + model.features().get(i)
                        + "] is missing and the model fills no missing value", Map.of("feature", model.features().get(i)));
            }
            return fill[i];
        }
        return x;
    }
}
