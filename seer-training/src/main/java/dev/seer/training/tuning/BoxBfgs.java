package dev.seer.training.tuning;

import java.util.Arrays;

/**
 * Minimises a smooth function inside a box by BFGS (Nocedal and Wright 2006, "Numerical
 * Optimization", §6.1) with projected steps: a coordinate at a bound whose gradient points out of
 * the box is held there, the quasi-Newton direction uses the other coordinates, each trial point is
 * clipped into the box and accepted by a backtracking Armijo test. A dense inverse-Hessian estimate
 * is enough for the few dimensions the GP sampler optimises (its kernel's hyperparameters, or one
 * point of the search space); when the active set changes the estimate restarts from a scaled
 * identity, the crude but common way to keep it meaningful. Deterministic: no random choices.
 */
final class BoxBfgs {
    private static final double ARMIJO = 1e-4;
    private static final int MAX_HALVINGS = 30;

    private BoxBfgs() {}

    /** The function: its value at x, with its gradient written into {@code gradient}; +∞ where undefined. */
    interface Function {
        double value(double[] x, double[] gradient);
    }

    /**
     * The last accepted point. Each step passes the Armijo test against g·(clipped step), which is
     * negative unless clipping turned a descent direction's step around (possible with a
     * non-diagonal H); then a step may be accepted without a decrease.
     */
    static double[] minimize(Function f, double[] start, double[] lower, double[] upper, int maxIterations, double tolerance) {
        int n = start.length;
        double[] x = clip(start.clone(), lower, upper);
        double[] g = new double[n];
        double fx = f.value(x, g);
        if (!Double.isFinite(fx)) {
            return x;
        }
        double[][] h = identity(n, 1 / Math.max(1, maxNorm(g)));
        boolean[] free = freeSet(x, g, lower, upper);
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            double[] d = direction(h, g, free);
            double slope = dot(g, d);
            if (!(slope < 0)) {
                h = identity(n, 1 / Math.max(1, maxNorm(g)));
                d = direction(h, g, free);
                slope = dot(g, d);
                if (!(slope < 0)) {
                    break;
                }
            }
            double step = 1;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int halving = 0; halving < MAX_HALVINGS; halving++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                clip(xNew, lower, upper);
                double decrease = 0;
                for (int i = 0; i < n; i++) {
                    decrease += g[i] * (xNew[i] - x[i]);
                }
                fNew = f.value(xNew, gNew);
                if (Double.isFinite(fNew) && fNew <= fx + ARMIJO * decrease) {
                    accepted = true;
                    break;
                }
                step /= 2;
            }
            if (!accepted) {
                break;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            double change = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            boolean[] nextFree = freeSet(x, g, lower, upper);
            if (!Arrays.equals(nextFree, free)) {
                free = nextFree;
                h = identity(n, 1 / Math.max(1, maxNorm(g)));
            } else {
                update(h, s, y);
            }
            if (change <= tolerance * (1 + Math.abs(fx)) || projectedNorm(g, free) <= tolerance) {
                break;
            }
        }
        return x;
    }

    /** −H·g over the free coordinates, zero on the held ones. */
    private static double[] direction(double[][] h, double[] g, boolean[] free) {
        int n = g.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            if (!free[i]) {
                continue;
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                if (free[j]) {
                    sum += h[i][j] * g[j];
                }
            }
            d[i] = -sum;
        }
        return d;
    }

    /** The BFGS update of the inverse Hessian, skipped when the curvature condition fails. */
    private static void update(double[][] h, double[] s, double[] y) {
        double sy = dot(s, y);
        if (!(sy > 1e-12)) {
            return;
        }
        int n = s.length;
        double rho = 1 / sy;
        double[] hy = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                hy[i] += h[i][j] * y[j];
            }
        }
        double yhy = dot(y, hy);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
            }
        }
    }

    private static boolean[] freeSet(double[] x, double[] g, double[] lower, double[] upper) {
        boolean[] free = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            free[i] = !((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0));
        }
        return free;
    }

    private static double projectedNorm(double[] g, boolean[] free) {
        double norm = 0;
        for (int i = 0; i < g.length; i++) {
            if (free[i]) {
                norm = Math.max(norm, Math.abs(g[i]));
            }
        }
        return norm;
    }

    private static double[] clip(double[] x, double[] lower, double[] upper) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(lower[i], Math.min(upper[i], x[i]));
        }
        return x;
    }

    private static double[][] identity(int n, double scale) {
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            h[i][i] = scale;
        }
        return h;
    }

    private static double maxNorm(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm = Math.max(norm, Math.abs(x));
        }
        return norm;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
