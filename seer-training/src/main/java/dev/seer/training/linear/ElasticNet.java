package dev.seer.training.linear;

import java.util.Arrays;

/**
 * The elastic-net fit ({@code l1Ratio ρ > 0}): minimises, on the design's centred (and scaled)
 * features,
 *
 * <pre>  F(w, b) = Σ s_i·loss(y_i, η_i) / Σ s_i + λ·((1 − ρ)/2·‖w‖² + ρ·‖w‖₁),   λ = 1/(C·Σ s_i)</pre>
 *
 * which is {@code C·Σ s_i·loss_i + (1 − ρ)/2·‖w‖² + ρ·‖w‖₁} divided by C·Σ s_i: scikit-learn's
 * {@code LogisticRegression(penalty="elasticnet", l1_ratio=ρ, C)} for the log-loss and its
 * {@code ElasticNet(alpha=λ, l1_ratio=ρ)} for half the squared error. The L1 term is not
 * differentiable at 0, so L-BFGS does not apply.
 *
 * <p>The method is GLMNET's (Friedman, Hastie and Tibshirani 2010, "Regularization paths for
 * generalized linear models via coordinate descent", J. Stat. Software 33(1)): at the current point
 * take the second-order model of the loss (for the log-loss the IRLS weights p(1 − p)), minimise
 * the model plus the penalty by cyclic coordinate descent with soft-thresholding, then move. As in
 * newGLMNET (Yuan, Ho and Lin 2012, JMLR 13:1999-2030) the move is a backtracking line search on F
 * with the Armijo rule of Tseng and Yun (2009, Math. Programming 117), so F decreases every
 * iteration, which plain GLMNET does not promise. For the squared error the model is exact and one
 * iteration with unit step finds the optimum. A single λ, no path: the tuner chooses C.
 *
 * <p>Converged when the minimum-norm subgradient of F has max-norm at most the tolerance, the
 * measure {@link Lbfgs} uses for the smooth case.
 */
final class ElasticNet {
    private static final int MAX_SWEEPS = 1000;
    private static final double ARMIJO = 0.01;

    private ElasticNet() {}

    /** The loss of one row as a function of its score: value and first two derivatives. */
    enum RowLoss {
        LOG {
            @Override
            double value(double y, double eta) {
                return LogisticRegression.softplus(eta) - y * eta;
            }

            @Override
            double first(double y, double eta) {
                return LogisticRegression.sigmoid(eta) - y;
            }

            @Override
            double second(double y, double eta) {
                double p = LogisticRegression.sigmoid(eta);
                return p * (1 - p);
            }
        },
        SQUARED {
            @Override
            double value(double y, double eta) {
                return 0.5 * (eta - y) * (eta - y);
            }

            @Override
            double first(double y, double eta) {
                return eta - y;
            }

            @Override
            double second(double y, double eta) {
                return 1;
            }
        };

        abstract double value(double y, double eta);

        abstract double first(double y, double eta);

        abstract double second(double y, double eta);
    }

    /** Parameters (w_1..w_d, b) on the design's scale, from {@code start}. */
    static Lbfgs.Result minimize(Design design, double[] y, RowLoss loss, LinearOptions options, double[] start) {
        return new ElasticNet.Run(design, y, loss, options).run(start);
    }

    private static final class Run {
        private final Design design;
        private final double[] y;
        private final RowLoss loss;
        private final LinearOptions options;
        private final double l1;
        private final double l2;
        private final int n;
        private final int d;
        /** Column-major copy of the design: coordinate descent walks one column at a time. */
        private final double[][] columns;

        Run(Design design, double[] y, RowLoss loss, LinearOptions options) {
            this.design = design;
            this.y = y;
            this.loss = loss;
            this.options = options;
            double lambda = 1 / (options.c() * design.weightSum);
            this.l1 = lambda * options.l1Ratio();
            this.l2 = lambda * (1 - options.l1Ratio());
            this.n = design.rows;
            this.d = design.columns;
            this.columns = new double[d][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    columns[j][i] = design.z[i * d + j];
                }
            }
        }

        Lbfgs.Result run(double[] start) {
            double[] theta = start.clone();
            double[] eta = scores(theta);
            double value = objective(theta, eta);
            double[] gradient = new double[n];
            double[] curvature = new double[n];
            int iteration = 0;
            double optimality = optimality(theta, eta);
            while (optimality > options.tolerance() && iteration < options.maxIterations()) {
                for (int i = 0; i < n; i++) {
                    double s = design.weights[i] / design.weightSum;
                    gradient[i] = s * loss.first(y[i], eta[i]);
                    curvature[i] = s * loss.second(y[i], eta[i]);
                }
                double[] step = quadraticStep(theta, gradient, curvature, optimality);
                double[] next = lineSearch(theta, eta, value, step, gradient);
                if (next == null) {
                    break; // no decrease along the model's step: rounding has the last word
                }
                iteration++;
                theta = next;
                eta = scores(theta);
                value = objective(theta, eta);
                optimality = optimality(theta, eta);
            }
            return new Lbfgs.Result(theta, value, iteration, optimality <= options.tolerance(), optimality);
        }

        /**
         * Coordinate descent on the second-order model plus the penalty: each coordinate's exact
         * minimiser is a soft-threshold (FHT 2010, eq. 5); the intercept's is a Newton step.
         * {@code u} keeps Z·δ so a coordinate update costs one pass over its column.
         */
        private double[] quadraticStep(double[] theta, double[] gradient, double[] curvature, double outerOptimality) {
            double[] delta = new double[d + 1];
            double[] u = new double[n];
            double[] diagonal = new double[d];
            for (int j = 0; j < d; j++) {
                double[] z = columns[j];
                double a = 0;
                for (int i = 0; i < n; i++) {
                    a += curvature[i] * z[i] * z[i];
                }
                diagonal[j] = a;
            }
            double interceptCurvature = 0;
            for (double h : curvature) {
                interceptCurvature += h;
            }
            // solve the model more tightly as the outer iterations close in (newGLMNET's adaptive inner tolerance)
            double innerTolerance = Math.max(1e-3 * outerOptimality, 1e-3 * options.tolerance());
            for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
                double largest = 0;
                for (int j = 0; j < d; j++) {
                    double a = diagonal[j] + l2;
                    if (!(a > 0)) {
                        continue; // a zero column with a pure L1 penalty: its weight stays 0
                    }
                    double[] z = columns[j];
                    double c = 0;
                    for (int i = 0; i < n; i++) {
                        c += (gradient[i] + curvature[i] * u[i]) * z[i];
                    }
                    double current = theta[j] + delta[j];
                    c += l2 * current;
                    double updated = softThreshold(a * current - c, l1) / a;
                    double change = updated - current;
                    if (change != 0) {
                        delta[j] += change;
                        for (int i = 0; i < n; i++) {
                            u[i] += change * z[i];
                        }
                        largest = Math.max(largest, Math.abs(change) * a);
                    }
                }
                if (interceptCurvature > 0) {
                    double c = 0;
                    for (int i = 0; i < n; i++) {
                        c += gradient[i] + curvature[i] * u[i];
                    }
                    double change = -c / interceptCurvature;
                    delta[d] += change;
                    for (int i = 0; i < n; i++) {
                        u[i] += change;
                    }
                    largest = Math.max(largest, Math.abs(change) * interceptCurvature);
                }
                if (largest <= innerTolerance) {
                    break;
                }
            }
            return delta;
        }

        /** Backtracking from the full step until F decreases by the Tseng-Yun Armijo rule; null if it never does. */
        private double[] lineSearch(double[] theta, double[] eta, double value, double[] delta, double[] gradient) {
            double predicted = 0; // ∇Lᵀδ + penalty(θ + δ) − penalty(θ)
            double[] zDelta = new double[n];
            for (int j = 0; j < d; j++) {
                if (delta[j] != 0) {
                    double[] z = columns[j];
                    for (int i = 0; i < n; i++) {
                        zDelta[i] += delta[j] * z[i];
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                zDelta[i] += delta[d];
                predicted += gradient[i] * zDelta[i];
            }
            double[] moved = theta.clone();
            for (int j = 0; j <= d; j++) {
                moved[j] += delta[j];
            }
            predicted += penalty(moved) - penalty(theta);
            double[] trialEta = new double[n];
            for (double t = 1; t > 1e-12; t /= 2) {
                double[] trial = theta.clone();
                for (int j = 0; j <= d; j++) {
                    trial[j] += t * delta[j];
                }
                for (int i = 0; i < n; i++) {
                    trialEta[i] = eta[i] + t * zDelta[i];
                }
                double trialValue = objective(trial, trialEta);
                if (trialValue <= value + ARMIJO * t * predicted) {
                    return trial;
                }
            }
            return null;
        }

        private double[] scores(double[] theta) {
            double[] eta = new double[n];
            Arrays.fill(eta, theta[d]);
            for (int j = 0; j < d; j++) {
                double w = theta[j];
                if (w != 0) {
                    double[] z = columns[j];
                    for (int i = 0; i < n; i++) {
                        eta[i] += w * z[i];
                    }
                }
            }
            return eta;
        }

        private double objective(double[] theta, double[] eta) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += design.weights[i] * loss.value(y[i], eta[i]);
            }
            return total / design.weightSum + penalty(theta);
        }

        private double penalty(double[] theta) {
            double value = 0;
            for (int j = 0; j < d; j++) {
                value += 0.5 * l2 * theta[j] * theta[j] + l1 * Math.abs(theta[j]);
            }
            return value;
        }

        /** The max-norm of the minimum-norm subgradient of F: 0 exactly at the optimum. */
        private double optimality(double[] theta, double[] eta) {
            double[] smooth = new double[d + 1];
            for (int i = 0; i < n; i++) {
                double g = design.weights[i] / design.weightSum * loss.first(y[i], eta[i]);
                smooth[d] += g;
                for (int j = 0; j < d; j++) {
                    smooth[j] += g * design.z[i * d + j];
                }
            }
            double max = Math.abs(smooth[d]);
            for (int j = 0; j < d; j++) {
                double g = smooth[j] + l2 * theta[j];
                double sub = theta[j] != 0 ? Math.abs(g + l1 * Math.signum(theta[j])) : Math.max(Math.abs(g) - l1, 0);
                max = Math.max(max, sub);
            }
            return max;
        }
    }

    static double softThreshold(double value, double threshold) {
        return Math.signum(value) * Math.max(Math.abs(value) - threshold, 0);
    }
}
