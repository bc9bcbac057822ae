package dev.seer.monitoring.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulation at the unit level. A model that is calibrated on its reference,
 * score = P(y = 1 | x) = sigmoid(A + B x), scores chunks of 2,000 rows:
 * <ul>
 *   <li>covariate shift: x's distribution moves (mean 0 to 1.5 and -1, spread 0.5 to 1.8), so the
 *       scores move and realised accuracy and ROC AUC change, but P(y | x) stays. CBPE's estimate
 *       tracks the realised value on every chunk within {@value #ACCURACY_TOLERANCE} for accuracy
 *       and {@value #AUC_TOLERANCE} for ROC AUC. Why that much: the realised accuracy of 2,000 rows
 *       has a standard deviation of at most sqrt(0.25 / 2000) = 0.011 around what the calibrated
 *       probabilities expect, so 0.03 is about three of them; ROC AUC's is 0.01 to 0.013 here
 *       (largest on the narrow-spread chunk). Run over seeds 1 to 40 instead of this test's 18,
 *       the worst of 280 chunks was 0.028 for accuracy and 0.035 for ROC AUC, and the realised
 *       accuracy was inside the estimate's band on all 280;</li>
 *   <li>concept change: P(y | x) becomes sigmoid(A + B x / 4), the scores do not change (the model
 *       is the same), the realised accuracy drops far below the reference's alert threshold, and
 *       the estimate does not follow (it cannot: it sees only scores).</li>
 * </ul>
 */
class CbpeSimulationTest {
    private static final double A = -0.3;
    private static final double B = 1.6;
    private static final int CHUNK = 2_000;
    private static final double ACCURACY_TOLERANCE = 0.03;
    private static final double AUC_TOLERANCE = 0.04;

    private static final Random RANDOM = new Random(18);
    private static Cbpe cbpe;
    private static Realised reference;

    private record Chunk(String name, double[] scores, int[] labels) {
    }

    @BeforeAll
    static void fit() {
        Chunk ref = draw("reference", 20_000, 0, 1, B);
        cbpe = Cbpe.fit(ref.scores(), ref.labels(), Cbpe.Options.defaults());
        reference = Realised.of(ref.scores(), ref.labels());
    }

    @Test
    void theEstimateTracksRealisedPerformanceUnderCovariateShift() {
        List<Chunk> chunks = new ArrayList<>();
        chunks.add(draw("no shift", CHUNK, 0, 1, B));
        chunks.add(draw("no shift again", CHUNK, 0, 1, B));
        chunks.add(draw("mean 0.75", CHUNK, 0.75, 1, B));
        chunks.add(draw("mean 1.5", CHUNK, 1.5, 1, B));
        chunks.add(draw("mean -1", CHUNK, -1, 1, B));
        chunks.add(draw("spread 0.5", CHUNK, 0, 0.5, B));
        chunks.add(draw("spread 1.8", CHUNK, 0, 1.8, B));
        double lowestAccuracy = 1;
        double highestAccuracy = 0;
        double lowestAuc = 1;
        double highestAuc = 0;
        for (Chunk chunk : chunks) {
            Estimate estimate = cbpe.estimate(chunk.scores());
            Realised realised = Realised.of(chunk.scores(), chunk.labels());
            double accuracy = realised.get(Metric.ACCURACY).value();
            double auc = realised.get(Metric.ROC_AUC).value();
            assertThat(estimate.get(Metric.ACCURACY).value()).as("%s: estimated accuracy", chunk.name())
                    .isCloseTo(accuracy, within(ACCURACY_TOLERANCE));
            assertThat(estimate.get(Metric.ROC_AUC).value()).as("%s: estimated ROC AUC", chunk.name())
                    .isCloseTo(auc, within(AUC_TOLERANCE));
            // What a user sees: the realised value inside the estimate's band.
            assertThat(accuracy).as("%s: realised accuracy in the band", chunk.name())
                    .isBetween(estimate.get(Metric.ACCURACY).lower(), estimate.get(Metric.ACCURACY).upper());
            lowestAccuracy = Math.min(lowestAccuracy, accuracy);
            highestAccuracy = Math.max(highestAccuracy, accuracy);
            lowestAuc = Math.min(lowestAuc, auc);
            highestAuc = Math.max(highestAuc, auc);
        }
        // The shift is not cosmetic: realised performance moves by several tolerances across the chunks.
        assertThat(highestAccuracy - lowestAccuracy).isGreaterThan(3 * ACCURACY_TOLERANCE);
        assertThat(highestAuc - lowestAuc).isGreaterThan(3 * AUC_TOLERANCE);
    }

    @Test
    void afterAConceptChangeRealisedPerformanceDropsAndTheEstimateCannotFollow() {
        double referenceAccuracy = reference.get(Metric.ACCURACY).value();
        for (int k = 0; k < 3; k++) {
            Chunk chunk = draw("concept change " + k, CHUNK, 0, 1, B / 4);
            Estimate estimate = cbpe.estimate(chunk.scores());
            Realised realised = Realised.of(chunk.scores(), chunk.labels());
            Estimate.Value accuracy = estimate.get(Metric.ACCURACY);
            double realisedAccuracy = realised.get(Metric.ACCURACY).value();
            // The realised drop, beyond the reference's alert threshold ...
            assertThat(realisedAccuracy).as("realised accuracy").isLessThan(referenceAccuracy - 0.1)
                    .isLessThan(accuracy.lowerThreshold());
            assertThat(realised.get(Metric.ROC_AUC).value()).as("realised ROC AUC")
                    .isLessThan(reference.get(Metric.ROC_AUC).value() - 0.1);
            // ... which the estimate, from the unchanged scores, does not see.
            assertThat(accuracy.value() - realisedAccuracy).as("estimate minus realised").isGreaterThan(0.1);
            assertThat(accuracy.alert()).isFalse();
            assertThat(realisedAccuracy).isLessThan(accuracy.lower());
        }
    }

    /** x ~ N(mean, spread), score = sigmoid(A + B x), y ~ Bernoulli(sigmoid(A + slope x)). */
    private static Chunk draw(String name, int rows, double mean, double spread, double slope) {
        double[] scores = new double[rows];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            double x = mean + spread * RANDOM.nextGaussian();
            scores[i] = sigmoid(A + B * x);
            labels[i] = RANDOM.nextDouble() < sigmoid(A + slope * x) ? 1 : 0;
        }
        return new Chunk(name, scores, labels);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
