package dev.seer.training.stats;

import static dev.seer.training.stats.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class McNemarTest {

    @Test
    void identicalClassifiersHaveP1() {
        boolean[] correct = {true, false, true, true, false, true};
        TestResult result = McNemar.compare(correct, correct.clone(), 0.95);
        assertThat(result.pValue()).isEqualTo(1);
        assertThat(result.effect()).isZero();
        assertThat(result.low()).isNegative();
        assertThat(result.high()).isPositive();
        assertThat(McNemar.chiSquare(0, 0, 6, true, 0.95).pValue()).isEqualTo(1);
    }

    /** 1 row only A got right, 9 only B: p = 2·P(X ≤ 1), X ~ Bin(10, 1/2) = 2·11/1024. */
    @Test
    void comparisonCountsTheDiscordantRows() {
        boolean[] a = new boolean[40];
        boolean[] b = new boolean[40];
        a[0] = true;
        for (int i = 1; i <= 9; i++) {
            b[i] = true;
        }
        for (int i = 10; i < 30; i++) {
            a[i] = true;
            b[i] = true;
        }
        TestResult result = McNemar.compare(a, b, 0.95);
        assertThat(result.statistic()).isEqualTo(1);
        assertThat(result.pValue()).isCloseTo(22.0 / 1024, within(1e-15));
        assertThat(result.effect()).isCloseTo(-8.0 / 40, within(1e-15));
    }

    @Test
    void theTailIsExactFarBelowDoublePrecisionOfOneMinusCdf() {
        // 2·(1/2)^200
        assertThat(McNemar.exact(0, 200, 1000).pValue()).isCloseTo(Math.pow(2, -199), within(Math.pow(2, -199) * 1e-12));
    }

    @Test
    void refusesBadArguments() {
        assertRefused(() -> McNemar.compare(new boolean[3], new boolean[4], 0.95), "bCorrect");
        assertRefused(() -> McNemar.compare(null, new boolean[4], 0.95), "aCorrect");
        assertRefused(() -> McNemar.compare(new boolean[0], new boolean[0], 0.95), "aCorrect");
        assertRefused(() -> McNemar.compare(new boolean[3], new boolean[3], 0), "confidence");
        assertRefused(() -> McNemar.exact(-1, 2, 10), "onlyACorrect");
        assertRefused(() -> McNemar.exact(1, -2, 10), "onlyBCorrect");
        assertRefused(() -> McNemar.exact(6, 5, 10), "n");
        assertRefused(() -> McNemar.exact(Long.MAX_VALUE, Long.MAX_VALUE, 10), "n");
    }
}
