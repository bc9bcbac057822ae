package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelCoalitionsTest {
    /**
     * shap's plan at nsamples="auto" (2M + 2048): for M = 12 the sizes 1-3 and their complements are
     * enumerated, for M = 20 the sizes 1-2, the rest sampled (worked out from shap's rule: a size
     * is enumerated while samples left × its share of the mass left covers all of its subsets).
     */
    @Test
    void theSizesThatFitAreEnumeratedAndTheRestSampledWithoutRepeats() {
        for (int[] c : new int[][] {{12, 3}, {20, 2}}) {
            int m = c[0];
            int fullSizes = c[1];
            KernelCoalitions plan = KernelCoalitions.plan(m, KernelCoalitions.autoSamples(m), new SplittableRandom(1));
            assertThat(plan.size()).isEqualTo(2 * m + 2048);
            int enumerated = 0;
            for (int s = 1; s <= fullSizes; s++) {
                enumerated += 2 * (int) KernelCoalitions.binomial(m, s);
            }
            Set<String> distinct = new HashSet<>();
            for (int r = 0; r < plan.size(); r++) {
                boolean[] mask = plan.masks.get(r);
                int size = count(mask);
                int small = Math.min(size, m - size);
                assertThat(r < enumerated ? small <= fullSizes : small > fullSizes).as("row %d of size %d", r, size).isTrue();
                distinct.add(Arrays.toString(mask));
            }
            assertThat(distinct).hasSize(plan.size());
            assertThat(Arrays.stream(plan.weights()).sum()).isCloseTo(1, within(1e-12));
        }
    }

    @Test
    void smallGamesAreEnumeratedInFullAtTheShapleyKernelsWeights() {
        int m = 6;
        KernelCoalitions plan = KernelCoalitions.plan(m, KernelCoalitions.autoSamples(m), new SplittableRandom(1));
        assertThat(plan.size()).isEqualTo((1 << m) - 2);
        double[] w = plan.weights();
        List<boolean[]> masks = plan.masks;
        for (int r = 0; r < masks.size(); r++) {
            int s = count(masks.get(r));
            // the Shapley kernel (Lundberg and Lee 2017, Theorem 2), up to one constant
            double kernel = (m - 1) / (KernelCoalitions.binomial(m, s) * s * (m - s));
            assertThat(w[r] / kernel).isCloseTo(w[0] / ((m - 1) / (m * 1.0 * (m - 1))), within(1e-12));
        }
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        return n;
    }
}
