package dev.seer.training.linear;

import dev.seer.core.SeerException;
import dev.seer.training.TrainingErrorCode;
import java.util.Map;

/**
 * How {@link LogisticRegression} and {@link LinearRegression} fit.
 *
 * @param c inverse regularisation strength, scikit-learn's {@code C}: the objective is
 *     {@code ½‖w‖² + C·Σ s_i·loss_i}, so a smaller c shrinks the weights more (for ridge that is
 *     scikit-learn's {@code Ridge(alpha = 1/c)})
 * @param l1Ratio ρ, the share of the penalty that is L1: the penalty is {@code (1 − ρ)/2·‖w‖² +
 *     ρ·‖w‖₁}; 0 is pure L2 (ridge), above 0 the elastic net, 1 the lasso
 * @param maxIterations the most solver iterations (L-BFGS's, or the elastic net's outer Newton
 *     steps) before the fit stops unconverged
 * @param tolerance the fit has converged when the largest gradient component of the mean-loss
 *     objective ({@code Σ s_i·loss_i / Σ s_i + ½‖w‖² / (C·Σ s_i)}, scikit-learn's internal scaling
 *     and {@code tol}) is at most this; for the elastic net, the smallest subgradient's
 * @param standardize centre and scale each feature by its training mean and standard deviation
 *     inside the fit, so the penalty treats features alike whatever their units (scikit-learn's
 *     {@code Pipeline(StandardScaler(), ...)}); the model returned is on the original scale anyway
 */
public record LinearOptions(double c, double l1Ratio, int maxIterations, double tolerance, boolean standardize) {
    public LinearOptions {
        if (!(c > 0) || !Double.isFinite(c)) {
            throw invalid("c", "C must be a finite number above 0, not [" + c + "]");
        }
        if (!(l1Ratio >= 0 && l1Ratio <= 1)) {
            throw invalid("l1Ratio", "l1Ratio must be from 0 to 1, not [" + l1Ratio + "]");
        }
        if (maxIterations < 1) {
            throw invalid("maxIterations", "maxIterations must be at least 1, not [" + maxIterations + "]");
        }
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw invalid("tolerance", "tolerance must be a finite number above 0, not [" + tolerance + "]");
        }
    }

    /** C 1, pure L2, 1000 iterations, tolerance 1e-6, standardized. */
    public static LinearOptions defaults() {
        return new LinearOptions(1.0, 0, 1000, 1e-6, true);
    }

    private static SeerException invalid(String field, String message) {
        return new SeerException(TrainingErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }
}
