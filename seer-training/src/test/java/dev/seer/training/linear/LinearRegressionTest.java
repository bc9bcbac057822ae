package dev.seer.training.linear;

import static dev.seer.training.linear.LogisticRegressionTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.seer.models.LinearModel;
import dev.seer.training.TrainingErrorCode;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LinearRegressionTest {
    static Stream<Fixtures.Case> cases() {
        return Fixtures.of("ridge").stream();
    }

    private static LinearOptions options(Fixtures.Case c) {
        return c.options(1e-12); // the closed form ignores it; the elastic net's coordinate descent needs it tight
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScikitLearnsRidgeAndElasticNet(Fixtures.Case c) {
        LinearFit fit = LinearRegression.train(c.features(), c.x(), c.y(), c.weights(), options(c));

        assertThat(fit.converged()).isTrue();
        Checks.closeTo("weight", fit.model().weights(), c.coef(), 1e-9);
        Checks.closeTo("intercept", new double[] {fit.model().intercept()}, new double[] {c.intercept()}, 1e-9);
        assertThat(fit.model().fillValues()).containsExactly(c.fill(), offset(1e-12));
        assertThat(fit.model().link()).isEqualTo(LinearModel.Link.IDENTITY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictsWhatThePipelinePredictsIncludingAMissingValue(Fixtures.Case c) {
        LinearModel model = LinearRegression.fit(c.features(), c.x(), c.y(), c.weights(), options(c));

        Checks.closeTo("prediction", Checks.predict(model, c.testX()), c.testPrediction(), 1e-9);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theObjectivesGradientVanishesAtTheSolution(Fixtures.Case c) {
        LinearFit fit = LinearRegression.train(c.features(), c.x(), c.y(), c.weights(), options(c));

        assertThat(Optimality.gradientMaxNorm(fit.model(), c.x(), c.y(), c.weights(), c.c(), c.l1Ratio(), c.standardize()))
                .isLessThan(1e-10);
        assertThat(fit.gradientNorm()).isLessThan(1e-10);
    }

    static Stream<Fixtures.Case> ridgeCases() {
        return cases().filter(c -> c.l1Ratio() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ridgeCases")
    void lbfgsOnTheSameObjectiveReachesTheClosedForm(Fixtures.Case c) {
        // the two solvers share only the design: L-BFGS iterates on the loss, Cholesky solves the normal equations
        LinearOptions options = options(c);
        Design design = Design.of(c.features(), c.x(), c.y(), c.weights(), options);
        LinearRegression.SquaredLoss loss = new LinearRegression.SquaredLoss(design, c.y(), c.c());
        Lbfgs.Result result = Lbfgs.minimize(loss, new double[design.columns + 1], 10_000, 1e-11);
        double[] w = Arrays.copyOf(result.x(), design.columns);
        LinearModel iterated = design.model(c.features(), w, result.x()[design.columns], LinearModel.Link.IDENTITY);

        assertThat(result.converged()).isTrue();
        Checks.closeTo("weight", iterated.weights(), c.coef(), 1e-7);
    }

    @Test
    void badTargetsAndRowsAreRefusedNamingTheRow() {
        List<String> ab = List.of("a", "b");
        double[][] x = {{1, 2}, {3, 4}, {5, 6}};
        assertInvalid(() -> LinearRegression.fit(ab, x, new double[] {0, Double.NaN, 1}, null, LinearOptions.defaults()),
                TrainingErrorCode.INVALID_DATA, "The target of row [1] is [NaN]");
        assertInvalid(() -> LinearRegression.fit(ab, x, new double[] {0, 1, Double.NEGATIVE_INFINITY}, null,
                LinearOptions.defaults()), TrainingErrorCode.INVALID_DATA, "The target of row [2] is [-Infinity]");
        assertInvalid(() -> LinearRegression.fit(ab, new double[][] {{1, 2}, {3, 4, 5}}, new double[] {0, 1}, null,
                LinearOptions.defaults()), TrainingErrorCode.INVALID_DATA, "Row [1] has [3] values");
        assertInvalid(() -> LinearRegression.fit(ab, new double[0][], new double[0], null, LinearOptions.defaults()),
                TrainingErrorCode.INVALID_DATA, "There are no rows");
        assertInvalid(() -> LinearRegression.fit(List.of("a"), x, new double[] {0, 1, 2}, null, LinearOptions.defaults()),
                TrainingErrorCode.INVALID_DATA, "Row [0] has [2] values; there are [1] features");
    }

    @Test
    void fitsAHundredThousandRowsOfTwentyFeaturesQuickly() {
        Random random = new Random(15);
        int n = 100_000;
        int d = 20;
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = random.nextGaussian() * (j + 1) + j;
                y[i] += (j % 3 - 1) * 0.3 * x[i][j];
            }
            y[i] += random.nextGaussian();
        }
        LinearRegression.train(Checks.names(d), x, y, null, LinearOptions.defaults()); // warm the JIT
        long start = System.nanoTime();
        LinearFit fit = LinearRegression.train(Checks.names(d), x, y, null, LinearOptions.defaults());
        long millis = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("LinearRegression 100000 x 20: %d ms, gradient %.2e%n", millis, fit.gradientNorm());
        assertThat(Optimality.gradientMaxNorm(fit.model(), x, y, null, 1.0, true)).isLessThanOrEqualTo(1e-9);
    }
}
