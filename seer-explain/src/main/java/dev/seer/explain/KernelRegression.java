package dev.seer.explain;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * KernelSHAP's weighted least squares with the additivity constraint (Lundberg and Lee 2017,
 * NeurIPS, section 4.1): find φ minimising {@code Σ_z π(z) (v(z) − v(∅) − Σ_i z_i φ_i)²} subject to
 * {@code Σ_i φ_i = v(full) − v(∅)}. As shap does, the constraint eliminates the last player:
 * {@code φ_M = Δ − Σ_{i<M} φ_i}, so each row regresses {@code v(z) − v(∅) − z_M Δ} on
 * {@code z_i − z_M} for i < M. The system is solved by QR of the √π-scaled rows (one
 * decomposition for every output); a rank-deficient one falls back to the SVD's least-norm
 * solution, as shap falls back to the pseudo-inverse. No l1 feature selection (see {@link KernelShap}).
 */
final class KernelRegression {
    private KernelRegression() {}

    /**
     * @param masks the coalitions, one row each
     * @param weights their kernel weights
     * @param gains per coalition and output, {@code v(z) − v(∅)}
     * @param totals per output, {@code v(full) − v(∅)}
     * @return per output, one value per player; each adds up to its total
     */
    static double[][] solve(List<boolean[]> masks, double[] weights, double[][] gains, double[] totals) {
        int n = masks.size();
        int m = masks.get(0).length;
        int outputs = totals.length;
        double[][] design = new double[n][m - 1];
        double[][] targets = new double[n][outputs];
        for (int r = 0; r < n; r++) {
            boolean[] z = masks.get(r);
            double root = Math.sqrt(weights[r]);
            double last = z[m - 1] ? 1 : 0;
            for (int i = 0; i < m - 1; i++) {
                design[r][i] = root * ((z[i] ? 1 : 0) - last);
            }
            for (int d = 0; d < outputs; d++) {
                targets[r][d] = root * (gains[r][d] - last * totals[d]);
            }
        }
        RealMatrix beta = solver(new Array2DRowRealMatrix(design, false)).solve(new Array2DRowRealMatrix(targets, false));
        return withLast(beta, totals, m);
    }

    private static DecompositionSolver solver(RealMatrix design) {
        DecompositionSolver qr = new QRDecomposition(design, 1e-12 * Math.max(1, design.getFrobeniusNorm())).getSolver();
        return qr.isNonSingular() ? qr : new SingularValueDecomposition(design).getSolver();
    }

    private static double[][] withLast(RealMatrix beta, double[] totals, int m) {
        double[][] phi = new double[totals.length][m];
        for (int d = 0; d < totals.length; d++) {
            double sum = 0;
            for (int i = 0; i < m - 1; i++) {
                phi[d][i] = beta.getEntry(i, d);
                sum += phi[d][i];
            }
            phi[d][m - 1] = totals[d] - sum;
        }
        return phi;
    }
}
