package dev.seer.training.linear;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import dev.seer.training.TrainingErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Ridge regression, the same objective as {@link LogisticRegression} with the squared error in
 * place of the log-loss:
 *
 * <pre>  ½‖w‖² + C · Σ s_i · ½(y_i − x_iᵀw − b)²,   b not penalised</pre>
 *
 * <p>Multiplied by 2/C this is scikit-learn's {@code Ridge(alpha)} objective {@code Σ s_i(y_i −
 * x_iᵀw − b)² + alpha·‖w‖²} with {@code alpha = 1/C}: one meaning of C for both models, so a tuner
 * searches the same range for either.
 *
 * <p>Solved exactly rather than iterated: the (d+1)×(d+1) normal equations {@code (ZᵀSZ/ΣS +
 * λ·diag(1,…,1,0))·θ = ZᵀSy/ΣS} (Z the centred, standardized design with a column of ones, λ =
 * 1/(C·ΣS)) are symmetric positive definite whenever λ > 0 and some weight is positive, so a
 * Cholesky factorisation (Golub and Van Loan, Matrix Computations, 4th ed., Algorithm 4.2.1) solves
 * them in one pass over the rows plus O(d³): at 100,000 × 20 that is one pass where L-BFGS would
 * need dozens, and the answer has no stopping tolerance in it. Squaring the condition number is
 * harmless here because the penalty bounds the smallest eigenvalue below by λ and the design is
 * centred (and usually scaled); one step of iterative refinement recovers the digits it costs.
 *
 * <p>With {@code l1Ratio ρ > 0} the penalty is the elastic net's {@code (1 − ρ)/2·‖w‖² + ρ·‖w‖₁},
 * scikit-learn's {@code ElasticNet(alpha = 1/(C·Σ s_i), l1_ratio = ρ)}, fitted by {@link
 * ElasticNet}'s coordinate descent.
 */
public final class LinearRegression {
    private LinearRegression() {}

    /** The model; {@link #train} also reports the gradient at the solution. */
    public static LinearModel fit(List<String> features, double[][] x, double[] y, double[] weights,
            LinearOptions options) {
        return train(features, x, y, weights, options).model();
    }

    /**
     * Fits on rows x (NaN = missing, filled with the column's training mean, which the model keeps)
     * with finite targets y and optional sample weights. With the L2 penalty alone always converged
     * (the solve is exact) and the gradient norm reported is measured at the solution, as a check.
     */
    public static LinearFit train(List<String> features, double[][] x, double[] y, double[] weights,
            LinearOptions options) {
        Design design = Design.of(features, x, y, weights, options);
        checkTargets(y);
        if (options.l1Ratio() > 0) {
            double[] start = new double[design.columns + 1];
            start[design.columns] = weightedMean(y, design);
            Lbfgs.Result result = ElasticNet.minimize(design, y, ElasticNet.RowLoss.SQUARED, options, start);
            LinearModel model = design.model(features, Arrays.copyOf(result.x(), design.columns),
                    result.x()[design.columns], LinearModel.Link.IDENTITY);
            return new LinearFit(model, result.converged(), result.iterations(), result.gradientNorm());
        }
        SquaredLoss loss = new SquaredLoss(design, y, options.c());
        double[] theta = solve(design, y, loss.penalty);
        double[] gradient = new double[theta.length];
        loss.valueAndGradient(theta, gradient);
        LinearModel model = design.model(features, Arrays.copyOf(theta, design.columns), theta[design.columns],
                LinearModel.Link.IDENTITY);
        return new LinearFit(model, true, 1, Lbfgs.maxNorm(gradient));
    }

    private static double weightedMean(double[] y, Design design) {
        double total = 0;
        for (int i = 0; i < y.length; i++) {
            total += design.weights[i] * y[i];
        }
        return total / design.weightSum;
    }

    private static void checkTargets(double[] y) {
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw Design.data("The target of row [" + i + "] is [" + y[i] + "]; a regression target is finite",
                        Map.of("row", i));
            }
        }
    }

    private static double[] solve(Design design, double[] y, double penalty) {
        int d = design.columns;
        int p = d + 1;
        double[] a = new double[p * p];
        double[] rhs = new double[p];
        double[] z = design.z;
        for (int i = 0, offset = 0; i < design.rows; i++, offset += d) {
            double s = design.weights[i] / design.weightSum;
            for (int j = 0; j < d; j++) {
                double szj = s * z[offset + j];
                for (int k = 0; k <= j; k++) {
                    a[j * p + k] += szj * z[offset + k];
                }
                a[d * p + j] += szj;
                rhs[j] += szj * y[i];
            }
            a[d * p + d] += s;
            rhs[d] += s * y[i];
        }
        for (int j = 0; j < p; j++) { // mirror the lower triangle
            for (int k = 0; k < j; k++) {
                a[k * p + j] = a[j * p + k];
            }
        }
        for (int j = 0; j < d; j++) {
            a[j * p + j] += penalty;
        }
        double[] factor = cholesky(a, p);
        double[] theta = substitute(factor, p, rhs);
        // one step of iterative refinement: solve for the residual of the normal equations and correct
        double[] residual = rhs.clone();
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < p; k++) {
                residual[j] -= a[j * p + k] * theta[k];
            }
        }
        double[] correction = substitute(factor, p, residual);
        for (int j = 0; j < p; j++) {
            theta[j] += correction[j];
        }
        return theta;
    }

    /** The lower-triangular L with L·Lᵀ = a, row-major; refuses a matrix that is not positive definite. */
    private static double[] cholesky(double[] a, int p) {
        double[] l = new double[p * p];
        for (int j = 0; j < p; j++) {
            double diagonal = a[j * p + j];
            for (int k = 0; k < j; k++) {
                diagonal -= l[j * p + k] * l[j * p + k];
            }
            if (!(diagonal > 0)) {
                throw new SeerException(TrainingErrorCode.TRAINING_FAILED, "The ridge normal equations are not positive"
                        + " definite at column [" + j + "] (pivot [" + diagonal + "]); C is too large for the data",
                        Map.of("column", j));
            }
            l[j * p + j] = Math.sqrt(diagonal);
            for (int i = j + 1; i < p; i++) {
                double v = a[i * p + j];
                for (int k = 0; k < j; k++) {
                    v -= l[i * p + k] * l[j * p + k];
                }
                l[i * p + j] = v / l[j * p + j];
            }
        }
        return l;
    }

    /** Solves L·Lᵀ·x = b by forward then back substitution. */
    private static double[] substitute(double[] l, int p, double[] b) {
        double[] v = b.clone();
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < i; k++) {
                v[i] -= l[i * p + k] * v[k];
            }
            v[i] /= l[i * p + i];
        }
        for (int i = p - 1; i >= 0; i--) {
            for (int k = i + 1; k < p; k++) {
                v[i] -= l[k * p + i] * v[k];
            }
            v[i] /= l[i * p + i];
        }
        return v;
    }

    /** The scaled objective {@code Σ s_i·½r_i²/ΣS + ½λ‖w‖²} and its gradient over (w_1..w_d, b): the check, and L-BFGS's alternative. */
    static final class SquaredLoss implements Lbfgs.Objective {
        private final Design design;
        private final double[] y;
        final double penalty;

        SquaredLoss(Design design, double[] y, double c) {
            this.design = design;
            this.y = y;
            this.penalty = 1 / (c * design.weightSum);
        }

        @Override
        public double valueAndGradient(double[] theta, double[] gradient) {
            int d = design.columns;
            double[] z = design.z;
            Arrays.fill(gradient, 0);
            double loss = 0;
            for (int i = 0, offset = 0; i < design.rows; i++, offset += d) {
                double eta = theta[d];
                for (int j = 0; j < d; j++) {
                    eta += z[offset + j] * theta[j];
                }
                double s = design.weights[i];
                double r = eta - y[i];
                loss += 0.5 * s * r * r;
                gradient[d] += s * r;
                for (int j = 0; j < d; j++) {
                    gradient[j] += s * r * z[offset + j];
                }
            }
            double value = loss / design.weightSum;
            for (int j = 0; j < d; j++) {
                gradient[j] = gradient[j] / design.weightSum + penalty * theta[j];
                value += 0.5 * penalty * theta[j] * theta[j];
            }
            gradient[d] /= design.weightSum;
            return value;
        }
    }
}
