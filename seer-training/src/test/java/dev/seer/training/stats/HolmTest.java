package dev.seer.training.stats;

import static dev.seer.training.stats.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HolmTest {

    @Test
    void stopsAtTheFirstFailure() {
        // sorted: 0.01 ≤ 0.05/3 rejects, 0.03 > 0.05/2 stops, so 0.04 is kept although 0.04 ≤ 0.05/1
        assertThat(Holm.reject(new double[] {0.04, 0.01, 0.03}, 0.05)).containsExactly(false, true, false);
        assertThat(Holm.adjust(new double[] {0.04, 0.01, 0.03})).containsExactly(0.06, 0.03, 0.06);
    }

    @Test
    void emptyFamilyIsEmpty() {
        assertThat(Holm.adjust(new double[0])).isEmpty();
        assertThat(Holm.reject(new double[0], 0.05)).isEmpty();
    }

    @Test
    void refusesBadArguments() {
        assertRefused(() -> Holm.adjust(new double[] {0.1, Double.NaN}), "pValues");
        assertRefused(() -> Holm.adjust(new double[] {0.1, 1.2}), "pValues");
        assertRefused(() -> Holm.adjust(null), "pValues");
        assertRefused(() -> Holm.reject(new double[] {0.1}, 0), "alpha");
    }
}
