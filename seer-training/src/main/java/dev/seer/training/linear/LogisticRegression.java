package dev.seer.training.linear;

import dev.seer.models.LinearModel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Binary logistic regression with an L2 penalty, minimising scikit-learn's objective (its
 * {@code LogisticRegression(penalty="l2", C)} with the lbfgs solver):
 *
 * <pre>  ½‖w‖² + C · Σ s_i · (log(1 + e^η_i) − y_i·η_i),   η_i = x_iᵀw + b,  b not penalised</pre>
 *
 * <p>The solver works on the same problem divided by {@code C·Σ s_i} (scikit-learn's internal
 * scaling: the weighted mean loss plus {@code ½‖w‖²/(C·Σ s_i)}), so the gradient tolerance means the
 * same whatever the row count. The minimiser is {@link Lbfgs} (Liu and Nocedal 1989) from w = 0 and
 * b at the weighted log-odds of the labels, the intercept-only optimum, which saves the first
 * iterations the zero start spends finding it. log(1 + e^η) is computed as {@code max(η, 0) +
 * log1p(e^−|η|)}, which neither overflows nor loses the small tail; the probability likewise only
 * exponentiates a negative number.
 *
 * <p>With {@code l1Ratio ρ > 0} the penalty is the elastic net's {@code (1 − ρ)/2·‖w‖² + ρ·‖w‖₁}
 * (scikit-learn's {@code penalty="elasticnet"}), not differentiable at 0, and {@link ElasticNet}'s
 * coordinate descent fits it instead.
 */
public final class LogisticRegression {
    private LogisticRegression() {}

    /** The model; {@link #train} also says whether the solver converged. */
    public static LinearModel fit(List<String> features, double[][] x, double[] y, double[] weights,
            LinearOptions options) {
        return train(features, x, y, weights, options).model();
    }

    /**
     * Fits on rows x (NaN = missing, filled with the column's training mean, which the model keeps)
     * with labels y in {0, 1} and optional sample weights.
     */
    public static LinearFit train(List<String> features, double[][] x, double[] y, double[] weights,
            LinearOptions options) {
        Design design = Design.of(features, x, y, weights, options);
        checkLabels(y, design.weights);
        Loss loss = new Loss(design, y, options.c());
        double[] start = new double[design.columns + 1];
        start[design.columns] = loss.logOdds();
        Lbfgs.Result result = options.l1Ratio() > 0
                ? ElasticNet.minimize(design, y, ElasticNet.RowLoss.LOG, options, start)
                : Lbfgs.minimize(loss, start, options.maxIterations(), options.tolerance());
        double[] w = Arrays.copyOf(result.x(), design.columns);
        LinearModel model = design.model(features, w, result.x()[design.columns], LinearModel.Link.LOGIT);
        return new LinearFit(model, result.converged(), result.iterations(), result.gradientNorm());
    }

    private static void checkLabels(double[] y, double[] weights) {
        boolean[] seen = new boolean[2];
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw Design.data("The label of row [" + i + "] is [" + y[i] + "]; a binary label is 0 or 1",
                        Map.of("row", i));
            }
            if (weights[i] > 0) {
                seen[(int) y[i]] = true;
            }
        }
        if (!seen[0] || !seen[1]) {
            throw Design.data("Every weighted row has label [" + (seen[1] ? 1 : 0) + "]; logistic regression needs both"
                    + " classes", Map.of());
        }
    }

    /** The scaled objective and its gradient over parameters (w_1..w_d, b) of the standardized design. */
    static final class Loss implements Lbfgs.Objective {
        private final Design design;
        private final double[] y;
        private final double penalty;

        Loss(Design design, double[] y, double c) {
            this.design = design;
            this.y = y;
            this.penalty = 1 / (c * design.weightSum);
        }

        double logOdds() {
            double positive = 0;
            for (int i = 0; i < y.length; i++) {
                positive += design.weights[i] * y[i];
            }
            return Math.log(positive / (design.weightSum - positive));
        }

        @Override
        public double valueAndGradient(double[] theta, double[] gradient) {
            int d = design.columns;
            double[] z = design.z;
            double b = theta[d];
            Arrays.fill(gradient, 0);
            double loss = 0;
            double interceptGradient = 0;
            for (int i = 0, offset = 0; i < design.rows; i++, offset += d) {
                double eta = b;
                for (int j = 0; j < d; j++) {
                    eta += z[offset + j] * theta[j];
                }
                double s = design.weights[i];
                loss += s * (softplus(eta) - y[i] * eta);
                double residual = s * (sigmoid(eta) - y[i]);
                interceptGradient += residual;
                for (int j = 0; j < d; j++) {
                    gradient[j] += residual * z[offset + j];
                }
            }
            double value = loss / design.weightSum;
            for (int j = 0; j < d; j++) {
                gradient[j] = gradient[j] / design.weightSum + penalty * theta[j];
                value += 0.5 * penalty * theta[j] * theta[j];
            }
            gradient[d] = interceptGradient / design.weightSum;
            return value;
        }
    }

    /** log(1 + e^η) without overflow for large η or lost digits for very negative η. */
    static double softplus(double eta) {
        return Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta)));
    }

    /** 1 / (1 + e^−η), exponentiating only a non-positive number. */
    static double sigmoid(double eta) {
        if (eta >= 0) {
            return 1 / (1 + Math.exp(-eta));
        }
        double e = Math.exp(eta);
        return e / (1 + e);
    }
}
