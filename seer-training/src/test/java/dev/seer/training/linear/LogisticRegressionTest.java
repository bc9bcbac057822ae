package dev.seer.training.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import dev.seer.training.TrainingErrorCode;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LogisticRegressionTest {
    private static final List<String> AB = List.of("a", "b");

    static Stream<Fixtures.Case> cases() {
        return Fixtures.of("logistic").stream();
    }

    private static LinearOptions tight(Fixtures.Case c) {
        return c.options(1e-10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesScikitLearnsOptimumOnTheOriginalScale(Fixtures.Case c) {
        LinearFit fit = LogisticRegression.train(c.features(), c.x(), c.y(), c.weights(), tight(c));

        assertThat(fit.converged()).as("converged, gradient %s", fit.gradientNorm()).isTrue();
        assertThat(fit.gradientNorm()).isLessThanOrEqualTo(1e-10);
        Checks.closeTo("weight", fit.model().weights(), c.coef(), 1e-6);
        Checks.closeTo("intercept", new double[] {fit.model().intercept()}, new double[] {c.intercept()}, 1e-6);
        assertThat(fit.model().fillValues()).containsExactly(c.fill(), offset(1e-12));
        assertThat(fit.model().link()).isEqualTo(LinearModel.Link.LOGIT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictsWhatThePipelinePredictsIncludingAMissingValue(Fixtures.Case c) {
        LinearModel model = LogisticRegression.fit(c.features(), c.x(), c.y(), c.weights(), tight(c));

        Checks.closeTo("prediction", Checks.predict(model, c.testX()), c.testPrediction(), 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theObjectivesGradientVanishesAtTheSolution(Fixtures.Case c) {
        LinearModel model = LogisticRegression.fit(c.features(), c.x(), c.y(), c.weights(), tight(c));

        assertThat(Optimality.gradientMaxNorm(model, c.x(), c.y(), c.weights(), c.c(), c.l1Ratio(), c.standardize()))
                .isLessThan(1e-9);
    }

    @Test
    void atTheDefaultToleranceTheGradientIsWithinIt() {
        Fixtures.Case c = Fixtures.of("logistic").get(1); // the correlated features, the slowest to converge
        LinearFit fit = LogisticRegression.train(c.features(), c.x(), c.y(), null, LinearOptions.defaults());

        assertThat(fit.converged()).isTrue();
        assertThat(Optimality.gradientMaxNorm(fit.model(), c.x(), c.y(), null, 1.0, true)).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void runningOutOfIterationsIsReportedNotSilent() {
        Fixtures.Case c = Fixtures.of("logistic").get(1);
        LinearFit fit = LogisticRegression.train(c.features(), c.x(), c.y(), null,
                new LinearOptions(c.c(), 0, 2, 1e-10, true));

        assertThat(fit.converged()).isFalse();
        assertThat(fit.iterations()).isEqualTo(2);
        assertThat(fit.gradientNorm()).isGreaterThan(1e-10);
    }

    @Test
    void theL1PartZeroesTheIrrelevantFeaturesExactly() {
        Fixtures.Case lasso = Fixtures.of("logistic").stream().filter(c -> c.name().equals("lasso")).findFirst()
                .orElseThrow();
        LinearFit fit = LogisticRegression.train(lasso.features(), lasso.x(), lasso.y(), null, lasso.options(1e-6));

        assertThat(fit.converged()).isTrue();
        assertThat(fit.model().weights()[2]).isZero();
        assertThat(fit.model().weights()[4]).isZero();
        assertThat(fit.model().weights()[0]).isNotZero();
    }

    @Test
    void theElasticNetReportsRunningOutOfIterations() {
        Fixtures.Case net = Fixtures.of("logistic").stream().filter(c -> c.name().equals("elastic_net")).findFirst()
                .orElseThrow();
        LinearFit fit = LogisticRegression.train(net.features(), net.x(), net.y(), null,
                new LinearOptions(net.c(), net.l1Ratio(), 1, 1e-12, true));

        assertThat(fit.converged()).isFalse();
        assertThat(fit.iterations()).isEqualTo(1);
    }

    @Test
    void aColumnWithNoValuesFillsWithZeroAndWeighsNothing() {
        double[][] x = {{1, Double.NaN}, {2, Double.NaN}, {3, Double.NaN}, {4, Double.NaN}};
        LinearModel model = LogisticRegression.fit(AB, x, new double[] {0, 1, 0, 1}, null, LinearOptions.defaults());

        assertThat(model.weights()[1]).isZero();
        assertThat(model.fillValues()).containsExactly(2.5, 0);
    }

    @Test
    void extremeScoresStayFinite() {
        // separable with a huge margin and a weak penalty: scores in the thousands, where a naive log(1 + e^η) overflows
        double[][] x = {{-1e4}, {-2e4}, {1e4}, {2e4}};
        LinearFit fit = LogisticRegression.train(List.of("a"), x, new double[] {0, 0, 1, 1}, null,
                new LinearOptions(1e6, 0, 1000, 1e-8, false));

        assertThat(fit.model().weights()[0]).isPositive().isFinite();
        assertThat(Checks.predict(fit.model(), new double[][] {{-1e4}, {1e4}})).containsExactly(new double[] {0, 1},
                offset(1e-6));
    }

    @Test
    void badLabelsAreRefusedNamingTheRow() {
        double[][] x = {{1, 2}, {3, 4}, {5, 6}};
        assertInvalid(() -> LogisticRegression.fit(AB, x, new double[] {0, 2, 1}, null, LinearOptions.defaults()),
                TrainingErrorCode.INVALID_DATA, "The label of row [1] is [2.0]; a binary label is 0 or 1");
        assertInvalid(() -> LogisticRegression.fit(AB, x, new double[] {0, 1, Double.NaN}, null, LinearOptions.defaults()),
                TrainingErrorCode.INVALID_DATA, "The label of row [2] is [NaN]");
        assertInvalid(() -> LogisticRegression.fit(AB, x, new double[] {1, 1, 1}, null, LinearOptions.defaults()),
                TrainingErrorCode.INVALID_DATA, "needs both classes");
        assertInvalid(() -> LogisticRegression.fit(AB, x, new double[] {0, 1, 1}, new double[] {0, 1, 1},
                LinearOptions.defaults()), TrainingErrorCode.INVALID_DATA, "Every weighted row has label [1]");
    }

    @Test
    void badRowsAreRefusedNamingTheRowAndColumn() {
        double[] y = {0, 1, 1};
        assertInvalid(() -> LogisticRegression.fit(AB, new double[][] {{1, 2}, {3}, {5, 6}}, y, null,
                LinearOptions.defaults()), TrainingErrorCode.INVALID_DATA, "Row [1] has [1] values; there are [2] features");
        assertInvalid(() -> LogisticRegression.fit(AB, new double[][] {{1, 2}, {3, 4}, {5, Double.POSITIVE_INFINITY}}, y,
                null, LinearOptions.defaults()), TrainingErrorCode.INVALID_DATA, "Row [2] column [1] is [Infinity]");
        assertInvalid(() -> LogisticRegression.fit(AB, new double[0][], new double[0], null, LinearOptions.defaults()),
                TrainingErrorCode.INVALID_DATA, "There are no rows");
        assertInvalid(() -> LogisticRegression.fit(AB, new double[][] {{1, 2}, {3, 4}}, y, null, LinearOptions.defaults()),
                TrainingErrorCode.INVALID_ARGUMENT, "x has [2] rows and y [3] values");
        assertInvalid(() -> LogisticRegression.fit(AB, new double[][] {{1, 2}, {3, 4}, {5, 6}}, y, new double[] {1, -1, 1},
                LinearOptions.defaults()), TrainingErrorCode.INVALID_DATA, "The weight of row [1] is [-1.0]");
        assertInvalid(() -> LogisticRegression.fit(List.of("a", "a"), new double[][] {{1, 2}, {3, 4}, {5, 6}}, y, null,
                LinearOptions.defaults()), TrainingErrorCode.INVALID_ARGUMENT, "names each feature once");
    }

    @Test
    void optionsOutOfRangeAreRefused() {
        assertInvalid(() -> new LinearOptions(0, 0, 10, 1e-6, true), TrainingErrorCode.INVALID_ARGUMENT,
                "C must be a finite number above 0, not [0.0]");
        assertInvalid(() -> new LinearOptions(1, 1.5, 10, 1e-6, true), TrainingErrorCode.INVALID_ARGUMENT,
                "l1Ratio must be from 0 to 1");
        assertInvalid(() -> new LinearOptions(1, 0, 0, 1e-6, true), TrainingErrorCode.INVALID_ARGUMENT,
                "maxIterations must be at least 1");
        assertInvalid(() -> new LinearOptions(1, 0, 10, Double.NaN, true), TrainingErrorCode.INVALID_ARGUMENT,
                "tolerance must be a finite number above 0");
    }

    @Test
    void fitsAHundredThousandRowsOfTwentyFeaturesQuickly() {
        Random random = new Random(15);
        int n = 100_000;
        int d = 20;
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double score = 0;
            for (int j = 0; j < d; j++) {
                x[i][j] = random.nextGaussian() * (j + 1) + j;
                score += (j % 3 - 1) * 0.3 * (x[i][j] - j) / (j + 1);
            }
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
        }
        LinearOptions l2 = LinearOptions.defaults();
        LinearOptions net = new LinearOptions(0.001, 0.5, 1000, 1e-6, true); // strong enough to zero some weights
        LogisticRegression.train(Checks.names(d), x, y, null, l2); // warm the JIT
        LogisticRegression.train(Checks.names(d), x, y, null, net);
        for (LinearOptions options : List.of(l2, net)) {
            long start = System.nanoTime();
            LinearFit fit = LogisticRegression.train(Checks.names(d), x, y, null, options);
            long millis = (System.nanoTime() - start) / 1_000_000;

            System.out.printf("LogisticRegression 100000 x 20, l1Ratio %s: %d ms, %d iterations, gradient %.2e%n",
                    options.l1Ratio(), millis, fit.iterations(), fit.gradientNorm());
            assertThat(fit.converged()).isTrue();
            assertThat(Optimality.gradientMaxNorm(fit.model(), x, y, null, options.c(), options.l1Ratio(), true))
                    .isLessThanOrEqualTo(1e-6);
        }
    }

    static void assertInvalid(Runnable call, TrainingErrorCode code, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessageContaining(message);
    }
}
