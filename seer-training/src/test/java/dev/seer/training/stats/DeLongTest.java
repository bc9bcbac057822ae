package dev.seer.training.stats;

import static dev.seer.training.stats.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DeLongTest {
    private static final boolean[] POSITIVE = {true, true, true, false, false, false, true, false};
    private static final double[] A = {0.9, 0.6, 0.7, 0.6, 0.2, 0.1, 0.4, 0.5};
    private static final double[] B = {0.3, 0.8, 0.8, 0.5, 0.7, 0.1, 0.9, 0.2};

    @Test
    void identicalScoresGiveZAndEffectZeroAndP1() {
        assertThat(DeLong.compare(POSITIVE, A, A.clone(), 0.95)).isEqualTo(new TestResult("delong", 0, 1, 0, 0, 0));
    }

    @Test
    void bothPerfectIsNoDifference() {
        double[] perfect = {0.9, 0.8, 0.7, 0.1, 0.2, 0.3, 0.95, 0.0};
        double[] alsoPerfect = {5, 6, 7, 1, 2, 3, 8, -1};
        assertThat(DeLong.compare(POSITIVE, perfect, alsoPerfect, 0.95).pValue()).isEqualTo(1);
    }

    @Test
    void aPerfectModelAgainstAConstantOneIsTheLimit() {
        double[] perfect = {0.9, 0.8, 0.7, 0.1, 0.2, 0.3, 0.95, 0.0};
        TestResult result = DeLong.compare(POSITIVE, perfect, new double[8], 0.95);
        assertThat(result.effect()).isEqualTo(0.5);
        assertThat(result.statistic()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(result.pValue()).isZero();
    }

    @Test
    void swappingTheModelsNegatesAndMonotoneRescalingChangesNothing() {
        TestResult ab = DeLong.compare(POSITIVE, A, B, 0.9);
        TestResult ba = DeLong.compare(POSITIVE, B, A, 0.9);
        assertThat(ba.statistic()).isCloseTo(-ab.statistic(), within(1e-12));
        assertThat(ba.pValue()).isCloseTo(ab.pValue(), within(1e-12));
        assertThat(ba.low()).isCloseTo(-ab.high(), within(1e-12));
        double[] rescaled = new double[A.length];
        for (int i = 0; i < A.length; i++) {
            rescaled[i] = Math.exp(3 * A[i]) - 7;
        }
        assertThat(DeLong.compare(POSITIVE, rescaled, B, 0.9).statistic()).isCloseTo(ab.statistic(), within(1e-12));
    }

    @Test
    void refusesBadArguments() {
        boolean[] oneClass = {true, true, true};
        boolean[] onePositive = {true, false, false};
        assertRefused(() -> DeLong.compare(oneClass, new double[3], new double[3], 0.95), "positive");
        assertRefused(() -> DeLong.compare(onePositive, new double[3], new double[3], 0.95), "positive");
        assertRefused(() -> DeLong.compare(null, A, B, 0.95), "positive");
        assertRefused(() -> DeLong.compare(POSITIVE, new double[3], B, 0.95), "scoresA");
        assertRefused(() -> DeLong.compare(POSITIVE, A, new double[3], 0.95), "scoresB");
        double[] withNaN = B.clone();
        withNaN[2] = Double.NaN;
        assertRefused(() -> DeLong.compare(POSITIVE, A, withNaN, 0.95), "scoresB");
        assertRefused(() -> DeLong.compare(POSITIVE, A, B, 1.5), "confidence");
    }
}
