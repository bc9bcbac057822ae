package dev.seer.training.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TpeOptionsTest {
    @Test
    void optunaGammaIsTenPercentRoundedUpAndCappedAt25() {
        TpeOptions o = TpeOptions.optuna310();
        assertThat(o.below(10)).isEqualTo(1);
        assertThat(o.below(11)).isEqualTo(2);
        assertThat(o.below(100)).isEqualTo(10);
        assertThat(o.below(400)).isEqualTo(25);
    }

    @Test
    void linearGammaIsBetaTimesNRoundedUp() {
        TpeOptions o = TpeOptions.optuna310().withGamma(TpeOptions.Gamma.LINEAR, 0.15);
        assertThat(o.below(10)).isEqualTo(2);
        assertThat(o.below(20)).isEqualTo(3);
        assertThat(o.below(100)).isEqualTo(15);
        assertThat(o.below(400)).isEqualTo(60); // no cap
    }

    @Test
    void sqrtGammaIsBetaTimesRootNRoundedUpAndNeverEmpty() {
        TpeOptions o = TpeOptions.optuna310().withGamma(TpeOptions.Gamma.SQRT, 0.25);
        assertThat(o.below(1)).isEqualTo(1);
        assertThat(o.below(16)).isEqualTo(1);
        assertThat(o.below(17)).isEqualTo(2);
        assertThat(o.below(100)).isEqualTo(3);
        assertThat(TpeOptions.optuna310().withGamma(TpeOptions.Gamma.SQRT, 5).below(4)).isEqualTo(4); // at most n
        assertThat(o.below(0)).isZero();
    }

    @Test
    void uniformWeightingGivesEveryObservationTheSameWeight() {
        double[] optuna = ParzenEstimator.weights(40, true, 1.0, TpeOptions.Weighting.OPTUNA);
        double[] uniform = ParzenEstimator.weights(40, true, 1.0, TpeOptions.Weighting.UNIFORM);
        assertThat(optuna[0]).isLessThan(optuna[39]); // the ramp: old trials weigh less
        for (double w : uniform) {
            assertThat(w).isEqualTo(1 / 41.0);
        }
    }

    /**
     * Forty observations packed at 5 on [0, 10]: the neighbour rule and magic clip give 10 / 42;
     * a floor of 0.05 of the range lifts every observation's kernel to 0.5, the prior keeps 10.
     */
    @Test
    void minimumBandwidthFactorFloorsTheKernels() {
        double[] obs = new double[40];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = 5 + i * 1e-4;
        }
        Param x = new FloatParam("x", 0, 10, false);
        TpeOptions base = TpeOptions.optuna310();
        ParzenEstimator.Numeric clipped = (ParzenEstimator.Numeric) new ParzenEstimator(List.of(x), new double[][] {obs}, base).dimension(0);
        ParzenEstimator.Numeric floored = (ParzenEstimator.Numeric) new ParzenEstimator(List.of(x), new double[][] {obs},
                base.withMinBandwidthFactor(0.05)).dimension(0);
        assertThat(clipped.sigmas[0]).isEqualTo(10 / 42.0);
        for (int i = 0; i < obs.length; i++) {
            assertThat(floored.sigmas[i]).isEqualTo(0.5);
        }
        assertThat(floored.sigmas[obs.length]).isEqualTo(10.0);
    }

    /** Multivariate kernels share 0.2 · n^(−1/(d+4)) · range; the scale multiplies it. */
    @Test
    void bandwidthScaleNarrowsTheMultivariateKernels() {
        List<Param> params = List.of(new FloatParam("a", 0, 10, false), new FloatParam("b", 0, 10, false));
        double[][] obs = {{1, 2, 3, 4, 5, 6, 7, 8}, {8, 7, 6, 5, 4, 3, 2, 1}};
        TpeOptions mv = TpeOptions.optuna310().withMultivariate(true); // magic clip floor, 10 / 10, stays below both
        ParzenEstimator.Numeric plain = (ParzenEstimator.Numeric) new ParzenEstimator(params, obs, mv).dimension(0);
        ParzenEstimator.Numeric scaled = (ParzenEstimator.Numeric) new ParzenEstimator(params, obs, mv.withBandwidthScale(0.8)).dimension(0);
        double expected = 0.2 * Math.pow(8, -1.0 / 6) * 10;
        assertThat(plain.sigmas[0]).isCloseTo(expected, within(1e-12));
        assertThat(scaled.sigmas[0]).isCloseTo(0.8 * expected, within(1e-12));
        assertThat(scaled.sigmas[8]).isEqualTo(10.0); // the prior keeps the range
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> TpeOptions.optuna310().withGamma(TpeOptions.Gamma.LINEAR, 0)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> TpeOptions.optuna310().withMinBandwidthFactor(1.0)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> TpeOptions.optuna310().withMinBandwidthFactor(-0.1)).isInstanceOf(RuntimeException.class);
    }
}
