package dev.seer.training.linear;

/**
 * Unconstrained minimisation by limited-memory BFGS: Liu and Nocedal (1989), "On the limited memory
 * BFGS method for large scale optimization", Math. Programming 45:503-528; the two-loop recursion
 * and the line search are Nocedal and Wright, Numerical Optimization (2nd ed., 2006), Algorithm 7.4
 * and Algorithms 3.5-3.6.
 *
 * <p>The search direction applies the inverse-Hessian approximation built from the last {@value
 * #MEMORY} step and gradient-change pairs (s, y) to the gradient, starting from the scaling
 * {@code γ = sᵀy / yᵀy} (N&W 7.20); a pair with {@code sᵀy ≤ 0} would break positive definiteness
 * and is skipped. The step length satisfies the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9):
 * bracket, then zoom with safeguarded cubic interpolation. Near the optimum the decrease the Armijo
 * condition asks for falls below the rounding of a sum over many rows, so a step is also accepted
 * under Hager and Zhang's approximate Wolfe condition (SIAM J. Optim. 16, 2005: the value no more
 * than a rounding margin above, the slope {@code φ'(α) ≤ (2·c1 − 1)·φ'(0)}); this is what lets the
 * gradient reach tight tolerances.
 *
 * <p>It stops when the gradient's largest component is at most the tolerance (converged), after the
 * iteration limit, or when a line search finds no acceptable step even along steepest descent (both
 * unconverged, reported, never silent). Plain arrays, no library: the objectives here are a few
 * dozen parameters with the cost in the objective's pass over the rows.
 */
final class Lbfgs {
    static final int MEMORY = 10;
    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_EVALUATIONS_PER_SEARCH = 60;
    private static final double ROUNDING_MARGIN = 1e-10;

    private Lbfgs() {}

    /** A smooth function: returns its value at x and writes its gradient into {@code gradient}. */
    interface Objective {
        double valueAndGradient(double[] x, double[] gradient);
    }

    /** The point reached, its value, the iterations taken, and whether the gradient met the tolerance. */
    @SuppressWarnings("ArrayRecordComponent") // internal results, never compared or hashed
    record Result(double[] x, double value, int iterations, boolean converged, double gradientNorm) {}

    static Result minimize(Objective objective, double[] start, int maxIterations, double tolerance) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double f = objective.valueAndGradient(x, g);
        Memory memory = new Memory();
        int iteration = 0;
        while (maxNorm(g) > tolerance && iteration < maxIterations) {
            double[] direction = memory.direction(g);
            double slope = dot(g, direction);
            if (!(slope < 0)) { // the approximation lost positive definiteness to rounding: start afresh
                memory.clear();
                direction = memory.direction(g);
                slope = dot(g, direction);
            }
            // the first step has no curvature to scale it: a unit step along -g/|g| (as L-BFGS-B does)
            double initial = memory.isEmpty() ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
            Point next = lineSearch(objective, x, f, slope, direction, initial);
            if (next == null && !memory.isEmpty()) {
                memory.clear();
                direction = memory.direction(g);
                next = lineSearch(objective, x, f, dot(g, direction), direction, Math.min(1, 1 / Math.sqrt(dot(g, g))));
            }
            if (next == null) {
                break;
            }
            iteration++;
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = next.x[i] - x[i];
                y[i] = next.gradient[i] - g[i];
            }
            memory.add(s, y);
            x = next.x;
            g = next.gradient;
            f = next.value;
        }
        double norm = maxNorm(g);
        return new Result(x, f, iteration, norm <= tolerance, norm);
    }

    /** A trial point of a line search: its step, position, value, gradient and slope along the direction. */
    @SuppressWarnings("ArrayRecordComponent") // a line search's scratch, never compared or hashed
    private record Point(double step, double[] x, double value, double[] gradient, double slope) {}

    private static Point evaluate(Objective objective, double[] x, double[] direction, double step) {
        double[] at = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            at[i] = x[i] + step * direction[i];
        }
        double[] gradient = new double[x.length];
        double value = objective.valueAndGradient(at, gradient);
        return new Point(step, at, value, gradient, dot(gradient, direction));
    }

    /** N&W Algorithm 3.5: grow the step until it brackets an acceptable one, then zoom in; null if none is found. */
    private static Point lineSearch(Objective objective, double[] x, double f0, double slope0, double[] direction,
            double initial) {
        Point previous = new Point(0, x, f0, null, slope0);
        double step = initial;
        for (int i = 0; i < MAX_EVALUATIONS_PER_SEARCH; i++) {
            Point trial = evaluate(objective, x, direction, step);
            if (!Double.isFinite(trial.value) || !decreases(trial, f0, slope0)
                    || (i > 0 && trial.value >= previous.value)) {
                return zoom(objective, x, f0, slope0, direction, previous, trial);
            }
            if (Math.abs(trial.slope) <= -C2 * slope0) {
                return trial;
            }
            if (trial.slope >= 0) {
                return zoom(objective, x, f0, slope0, direction, trial, previous);
            }
            previous = trial;
            step *= 2;
        }
        return null;
    }

    /** N&W Algorithm 3.6: shrink the bracket [lo, hi] (lo the better end) until a step satisfies strong Wolfe. */
    private static Point zoom(Objective objective, double[] x, double f0, double slope0, double[] direction, Point lo,
            Point hi) {
        for (int i = 0; i < MAX_EVALUATIONS_PER_SEARCH; i++) {
            double width = Math.abs(hi.step - lo.step);
            if (width <= 1e-16 * Math.max(1, Math.abs(lo.step))) {
                break;
            }
            Point trial = evaluate(objective, x, direction, interpolate(lo, hi));
            boolean decreases = Double.isFinite(trial.value) && decreases(trial, f0, slope0);
            if (decreases && Math.abs(trial.slope) <= -C2 * slope0) {
                return trial; // strong Wolfe holds: done, even where rounding puts it level with lo
            }
            if (!decreases || trial.value >= lo.value) {
                hi = trial;
            } else {
                if (trial.slope * (hi.step - lo.step) >= 0) {
                    hi = lo;
                }
                lo = trial;
            }
        }
        // the bracket collapsed: the best point found is still a decrease, take it rather than nothing
        return lo.step > 0 && lo.value < f0 ? lo : null;
    }

    /** Sufficient decrease (Armijo), or Hager and Zhang's approximate Wolfe condition where rounding hides it. */
    private static boolean decreases(Point trial, double f0, double slope0) {
        if (trial.value <= f0 + C1 * trial.step * slope0) {
            return true;
        }
        return trial.value <= f0 + ROUNDING_MARGIN * Math.abs(f0) && trial.slope <= (2 * C1 - 1) * slope0;
    }

    /**
     * The minimiser of the cubic through both ends' values and slopes (N&W 3.59), kept at least a
     * tenth of the bracket from either end; bisection when the cubic has no usable minimum or an end
     * lacks a finite value.
     */
    private static double interpolate(Point lo, Point hi) {
        double a = lo.step;
        double b = hi.step;
        double left = Math.min(a, b) + 0.1 * Math.abs(b - a);
        double right = Math.max(a, b) - 0.1 * Math.abs(b - a);
        if (!Double.isFinite(hi.value) || !Double.isFinite(hi.slope)) {
            return (a + b) / 2;
        }
        double d1 = lo.slope + hi.slope - 3 * (lo.value - hi.value) / (a - b);
        double discriminant = d1 * d1 - lo.slope * hi.slope;
        if (discriminant < 0) {
            return (a + b) / 2;
        }
        double d2 = Math.signum(b - a) * Math.sqrt(discriminant);
        double step = b - (b - a) * (hi.slope + d2 - d1) / (hi.slope - lo.slope + 2 * d2);
        if (!Double.isFinite(step) || step < left || step > right) {
            return Math.max(left, Math.min(right, Double.isFinite(step) ? step : (a + b) / 2));
        }
        return step;
    }

    /** The last {@value #MEMORY} (s, y) pairs in a ring, and the two-loop recursion over them. */
    private static final class Memory {
        private final double[][] s = new double[MEMORY][];
        private final double[][] y = new double[MEMORY][];
        private final double[] rho = new double[MEMORY];
        private int newest = -1;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void clear() {
            size = 0;
            newest = -1;
        }

        void add(double[] step, double[] change) {
            double sy = dot(step, change);
            if (!(sy > 1e-12 * Math.sqrt(dot(step, step) * dot(change, change)))) {
                return; // no positive curvature along this step: the pair would spoil the approximation
            }
            newest = (newest + 1) % MEMORY;
            s[newest] = step;
            y[newest] = change;
            rho[newest] = 1 / sy;
            size = Math.min(size + 1, MEMORY);
        }

        /** N&W Algorithm 7.4: -H·g for the approximation H the pairs define. */
        double[] direction(double[] g) {
            double[] q = g.clone();
            double[] alpha = new double[MEMORY];
            for (int k = 0; k < size; k++) {
                int i = Math.floorMod(newest - k, MEMORY);
                alpha[i] = rho[i] * dot(s[i], q);
                axpy(-alpha[i], y[i], q);
            }
            if (size > 0) {
                double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                for (int j = 0; j < q.length; j++) {
                    q[j] *= gamma;
                }
            }
            for (int k = size - 1; k >= 0; k--) {
                int i = Math.floorMod(newest - k, MEMORY);
                double beta = rho[i] * dot(y[i], q);
                axpy(alpha[i] - beta, s[i], q);
            }
            for (int j = 0; j < q.length; j++) {
                q[j] = -q[j];
            }
            return q;
        }
    }

    /** The largest absolute component; NaN if any is (Math.max propagates NaN), which stops the loop unconverged. */
    static double maxNorm(double[] v) {
        double max = 0;
        for (double e : v) {
            max = Math.max(max, Math.abs(e));
        }
        return max;
    }

    static double dot(double[] a, double[] b) {
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            total += a[i] * b[i];
        }
        return total;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }
}
