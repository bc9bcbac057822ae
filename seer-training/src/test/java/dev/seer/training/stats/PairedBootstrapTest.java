package dev.seer.training.stats;

import static dev.seer.training.stats.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    private static final NormalDistribution NORMAL = new NormalDistribution((RandomGenerator) null, 0, 1);

    /** The mean of per-row differences d (a loss or a correctness difference). */
    static ToDoubleFunction<int[]> meanOf(double[] d) {
        return rows -> {
            double sum = 0;
            for (int row : rows) {
                sum += d[row];
            }
            return sum / rows.length;
        };
    }

    /**
     * Definition-level check: for a mean difference on many rows the bootstrap distribution is the
     * normal one, so the percentile interval must agree with mean ± z·sd/√n and the p-value with
     * 2Φ(−|mean|/(sd/√n)). Tolerances are about four Monte-Carlo standard errors at B = 2,000.
     */
    @Test
    void agreesWithNormalTheoryForAMeanOnManyRows() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 4000;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = 0.027 + random.nextGaussian();
        }
        double mean = meanOf(d).applyAsDouble(identity(n));
        double sum = 0;
        for (double v : d) {
            sum += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(sum / (n - 1) / n);
        TestResult result = PairedBootstrap.compare(meanOf(d), n, null, 2000, 0.95, 11);
        assertThat(result.effect()).isEqualTo(mean);
        assertThat(result.low()).isCloseTo(mean - 1.959964 * se, within(0.25 * se));
        assertThat(result.high()).isCloseTo(mean + 1.959964 * se, within(0.25 * se));
        double normalP = 2 * NORMAL.cumulativeProbability(-Math.abs(mean / se));
        assertThat(result.pValue()).isCloseTo(normalP, within(0.03));
        assertThat(result.statistic()).isCloseTo(mean / se, within(0.15));
    }

    /**
     * Definition-level check on three rows, where all 27 resamples can be listed: the p-value is
     * 2·min(P*(mean ≤ 0), P*(mean ≥ 0)) up to resampling error, P* counted by enumeration.
     */
    @Test
    void agreesWithTheEnumeratedBootstrapDistribution() {
        double[] d = {-1, 0.2, 0.5};
        int atOrBelowZero = 0;
        int atOrAboveZero = 0;
        for (int i = 0; i < 27; i++) {
            double mean = (d[i % 3] + d[i / 3 % 3] + d[i / 9]) / 3;
            atOrBelowZero += mean <= 0 ? 1 : 0;
            atOrAboveZero += mean >= 0 ? 1 : 0;
        }
        double exactP = 2.0 * Math.min(atOrBelowZero, atOrAboveZero) / 27;
        TestResult result = PairedBootstrap.compare(meanOf(d), 3, null, 20000, 0.9, 3);
        assertThat(result.pValue()).isCloseTo(exactP, within(0.015));
        // P*(mean = -1) = 1/27 < 5% ≤ P*(mean ≤ -0.6) = 4/27, so the 5% quantile is the second value
        assertThat(result.low()).isCloseTo((-1 - 1 + 0.2) / 3, within(1e-15));
    }

    @Test
    void stratifiedReplicatesKeepEveryStratumsSize() {
        int[] strata = {1, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        ToDoubleFunction<int[]> positivesDrawn = rows -> {
            int count = 0;
            for (int row : rows) {
                count += strata[row];
            }
            assertThat(count).isEqualTo(2);
            return 0;
        };
        PairedBootstrap.compare(positivesDrawn, 10, strata, 500, 0.95, 5);
    }

    @Test
    void identicalModelsHaveP1AndAPointInterval() {
        assertThat(PairedBootstrap.compare(rows -> 0, 50, null, 200, 0.95, 1))
                .isEqualTo(new TestResult("paired-bootstrap", 0, 1, 0, 0, 0));
    }

    @Test
    void theSameSeedGivesTheSameResult() {
        double[] d = {0.3, -0.1, 0.2, 0.0, 0.5, -0.4, 0.1, 0.2};
        TestResult first = PairedBootstrap.compare(meanOf(d), d.length, null, 300, 0.95, 42);
        assertThat(PairedBootstrap.compare(meanOf(d), d.length, null, 300, 0.95, 42)).isEqualTo(first);
        assertThat(PairedBootstrap.compare(meanOf(d), d.length, null, 300, 0.95, 43)).isNotEqualTo(first);
    }

    @Test
    void refusesBadArguments() {
        ToDoubleFunction<int[]> zero = rows -> 0;
        assertRefused(() -> PairedBootstrap.compare(null, 5, null, 100, 0.95, 1), "difference");
        assertRefused(() -> PairedBootstrap.compare(zero, 0, null, 100, 0.95, 1), "n");
        assertRefused(() -> PairedBootstrap.compare(zero, 5, new int[4], 100, 0.95, 1), "strata");
        assertRefused(() -> PairedBootstrap.compare(zero, 5, null, 0, 0.95, 1), "resamples");
        assertRefused(() -> PairedBootstrap.compare(zero, 5, null, 100, -0.1, 1), "confidence");
        assertRefused(() -> PairedBootstrap.compare(rows -> rows[0] == 0 ? 0 : Double.NaN, 5, null, 100, 0.95, 1),
                "difference");
    }

    private static int[] identity(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }
}
