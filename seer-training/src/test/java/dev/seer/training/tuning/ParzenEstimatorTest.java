package dev.seer.training.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParzenEstimatorTest {
    private static final TpeOptions DEFAULTS = TpeOptions.optuna310();

    /**
     * Worked by hand from Optuna 3.1.0's rules (notes §1.5, as installed: the prior's mean is
     * sorted among the observations). Observations 1 and 7 on [0, 10]: mus (1, 7, prior 5);
     * sorted with the ends: 0 | 1 5 7 | 10. Without endpoints the outer kernels look inward: 1 gets
     * 5 − 1 = 4, 7 gets 7 − 5 = 2. Magic clip raises sigmas to at least 10 / min(100, 1 + 3) = 2.5,
     * so 7 gets 2.5. The prior gets the range, 10. Weights: (1, 1, prior 1) / 3.
     */
    @Test
    void sigmasOfTwoObservationsFollowTheNeighbourRuleAndMagicClip() {
        ParzenEstimator.Numeric x = numeric(new FloatParam("x", 0, 10, false), 1.0, 7.0);

        assertThat(x.mus).containsExactly(1.0, 7.0, 5.0);
        assertThat(x.sigmas).containsExactly(4.0, 2.5, 10.0);
        assertThat(ParzenEstimator.weights(2, true, 1.0, TpeOptions.Weighting.OPTUNA)).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    /**
     * One observation, 3 on [0, 10]: kernels 3 and the prior's 5, so 3's only neighbour is 5
     * (distance 2), clipped up to 10 / (1 + 2) = 3.33. (Optuna 4.9+ would give max(3 − 0, 10 − 3) = 7
     * because the prior no longer takes part; 3.1.0 is the peer.)
     */
    @Test
    void aSingleObservationLooksAtThePriorMean() {
        ParzenEstimator.Numeric x = numeric(new FloatParam("x", 0, 10, false), 3.0);

        assertThat(x.sigmas[0]).isCloseTo(10 / 3.0, within(1e-12));
        assertThat(x.sigmas[1]).isEqualTo(10.0);
    }

    /** An integer in [1, 20] is modelled on the widened interval [0.5, 20.5], in steps of one. */
    @Test
    void integersWidenTheirIntervalByHalfAStep() {
        ParzenEstimator.Numeric n = numeric(new IntParam("n", 1, 20, false), 3.0, 12.0);

        assertThat(n.low).isEqualTo(0.5);
        assertThat(n.high).isEqualTo(20.5);
        assertThat(n.mus[2]).isEqualTo(10.5);
    }

    /** Multivariate (3.1): every kernel's sigma is 0.2 · n^(−1/(d+4)) · range, here n = 5, d = 2. */
    @Test
    void multivariateSigmasUseTheScottRule() {
        List<Param> params = List.of(new FloatParam("x", 0, 2, false), new FloatParam("y", 0, 1, false));
        double[][] obs = {{0.1, 0.5, 1.0, 1.5, 1.9}, {0.2, 0.3, 0.4, 0.5, 0.6}};
        ParzenEstimator pe = new ParzenEstimator(params, obs, DEFAULTS.withMultivariate(true));

        double expected = 0.2 * Math.pow(5, -1.0 / 6) * 2.0;
        ParzenEstimator.Numeric x = (ParzenEstimator.Numeric) pe.dimension(0);
        assertThat(x.sigmas[0]).isCloseTo(expected, within(1e-12));
        assertThat(x.sigmas[4]).isCloseTo(expected, within(1e-12));
        assertThat(x.sigmas[5]).isEqualTo(2.0);
    }

    /**
     * Every case make_fixtures.py built with Optuna's own _ParzenEstimator: weights, kernels, log
     * pdf, for floats, log floats, integers, log integers, categoricals, endpoints, the weights ramp
     * past 25 observations, and joint estimators with univariate and multivariate bandwidths. The
     * default scoring must give Optuna 3.1.0's own log_pdf (which drops −log σ for real
     * parameters); with scaledKernelDensity it must give the mixture's true density
     * ("logPdfDensity", recomputed with scipy.stats.truncnorm from Optuna's kernels).
     */
    @Test
    void matchesOptunasParzenEstimator() {
        assertThat(OptunaReference.root().get("parzen").size()).isEqualTo(11);
        for (JsonNode c : OptunaReference.root().get("parzen")) {
            String label = c.get("label").asText();
            List<Param> params = new ArrayList<>();
            c.get("params").forEach(p -> params.add(OptunaReference.param(p)));
            double[][] obs = new double[params.size()][];
            double[][] points = new double[params.size()][];
            for (int d = 0; d < params.size(); d++) {
                obs[d] = OptunaReference.doubles(c.get("observations").get(params.get(d).name()));
                points[d] = OptunaReference.doubles(c.get("points").get(params.get(d).name()));
            }
            TpeOptions options = TpeOptions.optuna310().withEndpoints(c.get("considerEndpoints").asBoolean()).withMultivariate(c.get("multivariate").asBoolean());
            ParzenEstimator pe = new ParzenEstimator(params, obs, options);
            ParzenEstimator scaled = new ParzenEstimator(params, obs, options.withScaledKernelDensity(true));
            double[] weights = ParzenEstimator.weights(obs[0].length, true, 1.0, TpeOptions.Weighting.OPTUNA);
            assertThat(weights).as(label + " weights").containsExactly(OptunaReference.doubles(c.get("weights")), within(1e-12));
            for (int d = 0; d < params.size(); d++) {
                JsonNode dim = c.get("dims").get(params.get(d).name());
                if (dim.has("rows")) {
                    ParzenEstimator.Categorical cat = (ParzenEstimator.Categorical) pe.dimension(d);
                    for (int r = 0; r < cat.probabilities.length; r++) {
                        assertThat(cat.probabilities[r]).as(label + " row " + r).containsExactly(OptunaReference.doubles(dim.get("rows").get(r)), within(1e-12));
                    }
                } else {
                    ParzenEstimator.Numeric num = (ParzenEstimator.Numeric) pe.dimension(d);
                    assertThat(num.low).as(label + " low").isCloseTo(dim.get("low").asDouble(), within(1e-12));
                    assertThat(num.high).as(label + " high").isCloseTo(dim.get("high").asDouble(), within(1e-12));
                    assertThat(num.mus).as(label + " mus").containsExactly(OptunaReference.doubles(dim.get("mus")), within(1e-9));
                    assertThat(num.sigmas).as(label + " sigmas").containsExactly(OptunaReference.doubles(dim.get("sigmas")), within(1e-9));
                }
            }
            assertThat(pe.logPdf(points)).as(label + " log pdf, 3.1.0's scoring").containsExactly(OptunaReference.doubles(c.get("logPdf")), within(1e-7));
            assertThat(scaled.logPdf(points)).as(label + " log pdf, true density").containsExactly(OptunaReference.doubles(c.get("logPdfDensity")), within(1e-7));
        }
    }

    /** Draws stay inside the parameter's range and integers come out whole, however wide the kernels. */
    @Test
    void samplesStayInRangeAndIntegersAreWhole() {
        List<Param> params = List.of(new IntParam("n", 1, 5, false), new IntParam("m", 1, 1000, true), new FloatParam("lr", 1e-4, 1, true));
        double[][] obs = {{1, 5, 5}, {1, 1000, 3}, {1e-4, 1, 0.01}};
        ParzenEstimator pe = new ParzenEstimator(params, obs, DEFAULTS);
        double[][] draws = pe.sample(new SplittableRandom(3), 2000);

        assertThat(boxed(draws[0])).allSatisfy(v -> assertThat(v).isBetween(1.0, 5.0).isEqualTo(Math.rint(v)));
        assertThat(boxed(draws[1])).allSatisfy(v -> assertThat(v).isBetween(1.0, 1000.0).isEqualTo(Math.rint(v)));
        assertThat(boxed(draws[2])).allSatisfy(v -> assertThat(v).isBetween(1e-4, 1.0));
        assertThat(boxed(draws[1])).as("log int reaches both ends").contains(1.0).anySatisfy(v -> assertThat(v).isGreaterThan(900.0));
    }

    /** The mixture's kernels integrate to one: the probabilities of all integers in range sum to 1. */
    @Test
    void integerProbabilitiesSumToOne() {
        ParzenEstimator pe = new ParzenEstimator(List.of(new IntParam("n", 0, 9, false)), new double[][] {{0, 2, 2, 9}}, DEFAULTS.withScaledKernelDensity(true));
        double[] all = new double[10];
        for (int i = 0; i < 10; i++) {
            all[i] = i;
        }
        double total = 0;
        for (double lp : pe.logPdf(new double[][] {all})) {
            total += Math.exp(lp);
        }
        assertThat(total).isCloseTo(1.0, within(1e-9));
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static ParzenEstimator.Numeric numeric(Param param, double... observations) {
        ParzenEstimator pe = new ParzenEstimator(List.of(param), new double[][] {observations}, DEFAULTS);
        return (ParzenEstimator.Numeric) pe.dimension(0);
    }
}
