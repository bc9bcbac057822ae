package dev.seer.training.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class LbfgsTest {
    /** Rosenbrock's banana valley, f = (1 − a)² + 100(b − a²)², minimum 0 at (1, 1) (N&W's test problem 2.1). */
    private static final Lbfgs.Objective ROSENBROCK = (x, g) -> {
        double a = x[0];
        double b = x[1];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
    };

    @Test
    void findsRosenbrocksMinimumFromTheClassicStart() {
        Lbfgs.Result result = Lbfgs.minimize(ROSENBROCK, new double[] {-1.2, 1}, 1000, 1e-10);

        assertThat(result.converged()).isTrue();
        assertThat(result.x()).containsExactly(new double[] {1, 1}, offset(1e-8));
        assertThat(result.value()).isLessThan(1e-16);
        assertThat(result.iterations()).isBetween(10, 200);
    }

    @Test
    void solvesAnIllConditionedQuadraticBeyondItsMemory() {
        // f = ½ Σ k·(x_k − k)² over 30 coordinates: minimum at x_k = k, curvatures 1 to 30, more than MEMORY pairs
        int n = 30;
        Lbfgs.Objective quadratic = (x, g) -> {
            double f = 0;
            for (int k = 0; k < n; k++) {
                double r = x[k] - (k + 1);
                g[k] = (k + 1) * r;
                f += 0.5 * (k + 1) * r * r;
            }
            return f;
        };
        Lbfgs.Result result = Lbfgs.minimize(quadratic, new double[n], 1000, 1e-12);

        assertThat(result.converged()).isTrue();
        for (int k = 0; k < n; k++) {
            assertThat(result.x()[k]).isCloseTo(k + 1, offset(1e-12));
        }
    }

    @Test
    void stopsUnconvergedAtTheIterationLimit() {
        Lbfgs.Result result = Lbfgs.minimize(ROSENBROCK, new double[] {-1.2, 1}, 3, 1e-10);

        assertThat(result.converged()).isFalse();
        assertThat(result.iterations()).isEqualTo(3);
        assertThat(result.gradientNorm()).isGreaterThan(1e-10);
        assertThat(result.value()).isLessThan(24.2); // f(-1.2, 1) = 24.2: each step decreased it
    }

    @Test
    void aStartAlreadyOptimalTakesNoIteration() {
        Lbfgs.Result result = Lbfgs.minimize(ROSENBROCK, new double[] {1, 1}, 100, 1e-10);

        assertThat(result.converged()).isTrue();
        assertThat(result.iterations()).isZero();
    }

    @Test
    void aFunctionWithNoMinimumIsReportedUnconverged() {
        // f = x, gradient 1 everywhere: every step decreases f and none reaches a zero gradient
        Lbfgs.Result result = Lbfgs.minimize((x, g) -> {
            g[0] = 1;
            return x[0];
        }, new double[] {0}, 20, 1e-6);

        assertThat(result.converged()).isFalse();
        assertThat(result.gradientNorm()).isEqualTo(1);
    }
}
