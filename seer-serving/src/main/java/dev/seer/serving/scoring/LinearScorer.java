package dev.seer.serving.scoring;

import dev.seer.models.LinearModel;
import dev.seer.models.Signature;
import java.util.Arrays;

/**
 * A {@link Scorer} over Seer's {@link LinearModel}: its rule in a loop over the flat batch, no
 * allocation per row. A missing value takes the model's fill value, or makes the prediction NaN
 * when the model has none, as {@link LinearModel} says.
 */
final class LinearScorer implements Scorer {
    private final Signature signature;
    private final double[] weights;
    private final double intercept;
    private final boolean logistic;
    private final double[] fill;

    LinearScorer(LinearModel model, Signature signature) {
        this.signature = signature;
        this.weights = model.weights();
        this.intercept = model.intercept();
        this.logistic = model.link() == LinearModel.Link.LOGIT;
        this.fill = model.fillsMissingValues() ? model.fillValues() : new double[weights.length];
        if (!model.fillsMissingValues()) {
            Arrays.fill(fill, Double.NaN);
        }
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public void score(double[] rows, int count, double[] out) {
        Batches.check(rows, count, out, signature);
        int inputs = weights.length;
        for (int r = 0; r < count; r++) {
            double sum = intercept;
            int offset = r * inputs;
            for (int i = 0; i < inputs; i++) {
                double x = rows[offset + i];
                sum += weights[i] * (Double.isNaN(x) ? fill[i] : x);
            }
            out[r] = logistic ? 1 / (1 + Math.exp(-sum)) : sum;
        }
    }
}
