package dev.seer.training.linear;

import dev.seer.models.LinearModel;
import java.util.Arrays;

/**
 * The gradient of the fit's objective at a model, computed from the definition rather than the
 * solver's code: fill each NaN with the column's mean over known values, z = (x − mean) / sd with
 * the population sd (sd taken as 1 without standardize or for a constant column), the standardized
 * weight v_j = w_j·sd_j, and
 *
 * <pre>  g_j = (1 − ρ)·v_j + C·Σ s_i·r_i·z_ij,   ∂/∂b = C·Σ s_i·r_i</pre>
 *
 * with r = p − y for the log-loss and η − y for the squared error; with an L1 share ρ the smallest
 * subgradient is {@code g_j + ρ·sign(v_j)} where v_j ≠ 0 and {@code max(|g_j| − ρ, 0)} where v_j = 0.
 * Divided by C·Σ s_i, the scale the tolerance is on. At the optimum every component is 0.
 */
final class Optimality {
    private Optimality() {}

    static double gradientMaxNorm(LinearModel model, double[][] x, double[] y, double[] weights, double c,
            boolean standardize) {
        return gradientMaxNorm(model, x, y, weights, c, 0, standardize);
    }

    static double gradientMaxNorm(LinearModel model, double[][] x, double[] y, double[] weights, double c, double rho,
            boolean standardize) {
        int n = x.length;
        int d = x[0].length;
        double[][] filled = new double[n][d];
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            final int col = j;
            double known = Arrays.stream(x).mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).average()
                    .orElse(0);
            for (int i = 0; i < n; i++) {
                filled[i][j] = Double.isNaN(x[i][j]) ? known : x[i][j];
            }
            mean[j] = Arrays.stream(filled).mapToDouble(r -> r[col]).average().orElseThrow();
            double variance = Arrays.stream(filled).mapToDouble(r -> (r[col] - mean[col]) * (r[col] - mean[col]))
                    .sum() / n;
            sd[j] = standardize && variance > 0 ? Math.sqrt(variance) : 1;
        }
        double[] w = model.weights();
        double[] gradient = new double[d + 1];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double eta = model.intercept();
            for (int j = 0; j < d; j++) {
                eta += w[j] * filled[i][j];
            }
            double s = weights == null ? 1 : weights[i];
            double r = model.link() == LinearModel.Link.LOGIT ? 1 / (1 + Math.exp(-eta)) - y[i] : eta - y[i];
            for (int j = 0; j < d; j++) {
                gradient[j] += c * s * r * (filled[i][j] - mean[j]) / sd[j];
            }
            gradient[d] += c * s * r;
            total += s;
        }
        double max = Math.abs(gradient[d]) / (c * total);
        for (int j = 0; j < d; j++) {
            double v = w[j] * sd[j];
            double g = gradient[j] + (1 - rho) * v;
            double sub = v != 0 ? Math.abs(g + rho * Math.signum(v)) : Math.max(Math.abs(g) - rho, 0);
            max = Math.max(max, sub / (c * total));
        }
        return max;
    }
}
