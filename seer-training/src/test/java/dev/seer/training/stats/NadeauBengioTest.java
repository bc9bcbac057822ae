package dev.seer.training.stats;

import static dev.seer.training.stats.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NadeauBengioTest {

    @Test
    void allZeroDifferencesAreNoEvidence() {
        TestResult result = NadeauBengio.test(new double[] {0, 0, 0, 0, 0}, 0.25, 0.95);
        assertThat(result).isEqualTo(new TestResult("nadeau-bengio", 0, 1, 0, 0, 0));
    }

    @Test
    void equalNonZeroDifferencesAreTheLimitOfAVanishingSpread() {
        TestResult result = NadeauBengio.test(new double[] {-0.1, -0.1, -0.1}, 0.5, 0.95);
        assertThat(result.statistic()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(result.pValue()).isZero();
        assertThat(result.low()).isEqualTo(-0.1);
        assertThat(result.high()).isEqualTo(-0.1);
        // and the limit is approached continuously: a tiny spread gives a tiny p
        assertThat(NadeauBengio.test(new double[] {-0.1, -0.1000001, -0.0999999}, 0.5, 0.95).pValue()).isLessThan(1e-5);
    }

    @Test
    void theCorrectionWidensTheIntervalAndRaisesP() {
        double[] differences = {0.012, 0.020, -0.004, 0.015, 0.009};
        TestResult naive = NadeauBengio.test(differences, 0, 0.95);
        TestResult corrected = NadeauBengio.test(differences, 0.25, 0.95);
        assertThat(corrected.pValue()).isGreaterThan(naive.pValue());
        assertThat(corrected.high() - corrected.low()).isGreaterThan(naive.high() - naive.low());
        assertThat(corrected.effect()).isEqualTo(naive.effect());
    }

    @Test
    void farTailsKeepTheirDigits() {
        double[] differences = new double[100];
        for (int i = 0; i < differences.length; i++) {
            differences[i] = 1 + (i % 2 == 0 ? 0.01 : -0.01);
        }
        // t is about 298 on 99 degrees of freedom: p far below 1e-16, where 1 - cdf would give 0
        assertThat(NadeauBengio.test(differences, 1.0 / 9, 0.95).pValue()).isPositive().isLessThan(1e-100);
    }

    @Test
    void refusesBadArguments() {
        assertRefused(() -> NadeauBengio.test(new double[] {0.1}, 0.25, 0.95), "differences");
        assertRefused(() -> NadeauBengio.test(null, 0.25, 0.95), "differences");
        assertRefused(() -> NadeauBengio.test(new double[] {0.1, Double.NaN}, 0.25, 0.95), "differences");
        assertRefused(() -> NadeauBengio.test(new double[] {0.1, 0.2}, -1, 0.95), "testToTrainRatio");
        assertRefused(() -> NadeauBengio.test(new double[] {0.1, 0.2}, Double.NaN, 0.95), "testToTrainRatio");
        assertRefused(() -> NadeauBengio.test(new double[] {0.1, 0.2}, 0.25, 1), "confidence");
        assertRefused(() -> NadeauBengio.test(new double[] {0.1, 0.2}, 0.25, Double.NaN), "confidence");
    }
}
