package dev.seer.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad input gives a clear error, and a chunk without rows an explicit "no data" result, never a crash. */
class CbpeInputTest {
    private static final double[] SCORES = new double[200];
    private static final int[] LABELS = new int[200];

    static {
        Random random = new Random(7);
        for (int i = 0; i < SCORES.length; i++) {
            SCORES[i] = random.nextDouble();
            LABELS[i] = random.nextDouble() < SCORES[i] ? 1 : 0;
        }
    }

    @Test
    void anEmptyChunkHasNoDataAndNoAlert() {
        Estimate estimate = Cbpe.fit(SCORES, LABELS, Cbpe.Options.defaults()).estimate(new double[0]);
        assertThat(estimate.hasData()).isFalse();
        for (Metric metric : Metric.values()) {
            assertThat(estimate.get(metric).value()).isNaN();
            assertThat(estimate.get(metric).alert()).isFalse();
            assertThat(estimate.get(metric).lowerThreshold()).isBetween(0.0, 1.0);
        }
        Realised realised = Realised.of(new double[0], new int[0]);
        assertThat(realised.hasData()).isFalse();
        assertThat(realised.get(Metric.ACCURACY).value()).isNaN();
    }

    @Test
    void aReferenceWithOneClassIsRejected() {
        assertInvalid(() -> Cbpe.fit(SCORES, new int[SCORES.length], Cbpe.Options.defaults()), "needs both classes");
    }

    @Test
    void badValuesAreRejectedWithTheirPosition() {
        double[] nan = SCORES.clone();
        nan[3] = Double.NaN;
        assertInvalid(() -> Cbpe.fit(nan, LABELS, Cbpe.Options.defaults()), "row [3]");
        int[] two = LABELS.clone();
        two[5] = 2;
        assertInvalid(() -> Realised.of(SCORES, two), "not [2] at row [5]");
        assertInvalid(() -> Realised.of(SCORES, new int[3]), "[200] scores but [3] labels");
        Cbpe cbpe = Cbpe.fit(SCORES, LABELS, Cbpe.Options.defaults());
        assertInvalid(() -> cbpe.estimate(new double[] {0.5, Double.POSITIVE_INFINITY}), "row [1]");
        assertInvalid(() -> Cbpe.fit(new double[] {0.1, 0.9}, new int[] {0, 1}, Cbpe.Options.defaults()), "too small");
        assertInvalid(() -> new Cbpe.Options(0, Cbpe.Calibration.AUTO, 10, 42), "threshold [0.0]");
        assertInvalid(() -> new Cbpe.Options(0.5, Cbpe.Calibration.AUTO, 1, 42), "at least [2] reference chunks");
    }

    @Test
    void calibrationFollowsTheOption() {
        Cbpe never = Cbpe.fit(SCORES, LABELS, new Cbpe.Options(0.5, Cbpe.Calibration.NEVER, 10, 42));
        Cbpe always = Cbpe.fit(SCORES, LABELS, new Cbpe.Options(0.5, Cbpe.Calibration.ALWAYS, 10, 42));
        assertThat(never.calibrated()).isFalse();
        assertThat(never.calibrate(new double[] {0.3})).containsExactly(0.3);
        assertThat(always.calibrated()).isTrue();
        double[] calibrated = always.calibrate(new double[] {-5, 0.2, 0.4, 0.6, 0.8, 5});
        for (int i = 1; i < calibrated.length; i++) {
            assertThat(calibrated[i]).as("isotonic is non-decreasing").isGreaterThanOrEqualTo(calibrated[i - 1]);
        }
        assertThat(calibrated[0]).as("clipped below the fitted range").isEqualTo(always.calibrate(new double[] {0})[0]);
    }

    @Test
    void poolAdjacentViolatorsOnAHandExample() {
        // Sorted labels 1, 0, 0, 1, 0, 1, 1: the first three pool to 1/3, the next two to 1/2.
        Isotonic isotonic = Isotonic.fit(new double[] {1, 2, 3, 4, 5, 6, 7}, new int[] {1, 0, 0, 1, 0, 1, 1}, null);
        assertThat(isotonic.apply(new double[] {1, 3, 4, 5, 6, 7, 3.5}))
                .containsExactly(1.0 / 3, 1.0 / 3, 0.5, 0.5, 1, 1, 1.0 / 3 + 0.5 * (0.5 - 1.0 / 3));
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(SeerException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT));
    }
}
