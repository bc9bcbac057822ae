package dev.seer.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MsprtTest {
    private static MsprtSettings continuous(double effect, int minSamples) {
        return new MsprtSettings(Outcome.CONTINUOUS, 0.05, effect, minSamples);
    }

    @Test
    void lambdaOfASmallCaseEqualsTheHandComputation() {
        // champion {1,2,3,4}, challenger {3,4,5,6}: means 2.5 and 4.5, Δ = 2, each sample variance 5/3, so
        // v = 5/3/4 + 5/3/4 = 5/6; with effect 1, τ² = (5/3 + 5/3)/2 = 5/3 and r = τ²/v = 2:
        // Λ = √(1/(1 + 2)) · exp(Δ²/(2v) · r/(1 + r)) = exp(2.4 · 2/3) / √3 = e^1.6 / √3
        Msprt test = new Msprt(continuous(1, 2));
        for (double x : new double[] {1, 2, 3, 4}) {
            test.addChampion(x);
        }
        for (double y : new double[] {3, 4, 5, 6}) {
            test.addChallenger(y);
        }
        MsprtResult result = test.result();
        assertThat(result.difference()).isEqualTo(2.0);
        assertThat(result.lambda()).isCloseTo(Math.exp(1.6) / Math.sqrt(3), within(1e-12));
    }

    @Test
    void lambdaIsTheMixtureIntegralAndThePapersBalancedFormAndPTheRunningMinimumAtEveryOutcome() {
        SplittableRandom random = new SplittableRandom(7);
        double effect = 0.3;
        Msprt test = new Msprt(continuous(effect, 2));
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        double runningP = 1;
        for (int n = 1; n <= 40; n++) {
            double x = random.nextGaussian() * 2 + 1;
            double y = random.nextGaussian() * 2 + 1.8;
            a.add(x);
            test.addChampion(x);
            if (n > 2) {
                // unbalanced for a moment: n champion outcomes, n - 1 challenger ones
                double integral = integral(a, b, effect);
                assertThat(test.result().lambda()).isCloseTo(integral, within(1e-9 * integral));
                runningP = Math.min(runningP, Math.min(1, 1 / integral));
            }
            b.add(y);
            test.addChallenger(y);
            if (n < 2) {
                continue;
            }
            double integral = integral(a, b, effect);
            // Johari et al. 2017 for n outcomes per arm, V = σ²_A + σ²_B
            double bigV = sampleVariance(a) + sampleVariance(b);
            double diff = mean(b) - mean(a);
            double tau2 = effect * effect * bigV / 2;
            double paper = Math.sqrt(bigV / (bigV + n * tau2))
                    * Math.exp(n * n * tau2 * diff * diff / (2 * bigV * (bigV + n * tau2)));
            MsprtResult result = test.result();
            assertThat(result.lambda()).isCloseTo(integral, within(1e-9 * integral));
            assertThat(result.lambda()).isCloseTo(paper, within(1e-12 * paper));
            runningP = Math.min(runningP, Math.min(1, 1 / integral));
            assertThat(result.pValue()).isCloseTo(runningP, within(1e-9));
        }
        assertThat(runningP).as("the stream must move p for the check to mean something").isLessThan(0.5);
    }

    private static double integral(List<Double> a, List<Double> b, double effect) {
        double varA = sampleVariance(a);
        double varB = sampleVariance(b);
        double v = varA / a.size() + varB / b.size();
        return mixtureRatioByIntegration(mean(b) - mean(a), v, effect * effect * (varA + varB) / 2);
    }

    @Test
    void bernoulliOutcomesUseTheBinomialVariance() {
        // champion 3 of 10, challenger 8 of 10: variances 0.21 and 0.16, v = 0.037, Δ = 0.5, τ² = 0.5² · 0.185
        Msprt test = new Msprt(new MsprtSettings(Outcome.BERNOULLI, 0.05, 0.5, 10));
        for (int i = 0; i < 10; i++) {
            test.addChampion(i < 3 ? 1 : 0);
            test.addChallenger(i < 8 ? 1 : 0);
        }
        double v = 0.21 / 10 + 0.16 / 10;
        double tau2 = 0.25 * (0.21 + 0.16) / 2;
        assertThat(test.result().lambda()).isCloseTo(mixtureRatioByIntegration(0.5, v, tau2), within(1e-9));
    }

    @Test
    void theTestIsSilentUntilEachArmHasItsMinimum() {
        Msprt test = new Msprt(continuous(0.1, 100));
        for (int i = 0; i < 500; i++) {
            test.addChampion(i % 2);
        }
        for (int i = 0; i < 99; i++) {
            test.addChallenger(10 + i % 2);
        }
        assertThat(test.result().pValue()).isEqualTo(1.0);
        assertThat(test.result().lower()).isEqualTo(Double.NEGATIVE_INFINITY);
        test.addChallenger(10);
        assertThat(test.result().pValue()).isLessThan(1e-10);
        assertThat(test.result().sign()).isEqualTo(1);
    }

    @Test
    void zeroLeavesTheConfidenceSequenceExactlyWhenThePValueReachesAlpha() {
        for (long seed = 0; seed < 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Msprt test = new Msprt(new MsprtSettings(Outcome.BERNOULLI, 0.05, 0.1, 50));
            double lower = Double.NEGATIVE_INFINITY;
            double upper = Double.POSITIVE_INFINITY;
            for (int i = 0; i < 4000; i++) {
                test.addChampion(random.nextDouble() < 0.5 ? 1 : 0);
                test.addChallenger(random.nextDouble() < 0.53 ? 1 : 0);
                MsprtResult r = test.result();
                assertThat(r.lower()).isGreaterThanOrEqualTo(lower);
                assertThat(r.upper()).isLessThanOrEqualTo(upper);
                lower = r.lower();
                upper = r.upper();
                boolean zeroOutside = r.lower() >= 0 || r.upper() <= 0;
                assertThat(zeroOutside).as("seed %d outcome %d: %s", seed, i, r).isEqualTo(r.pValue() <= 0.05);
                assertThat(r.significant()).isEqualTo(r.pValue() <= 0.05);
            }
        }
    }

    @Test
    void aRestoredTestContinuesExactlyAsTheOriginal() {
        SplittableRandom random = new SplittableRandom(3);
        Msprt original = new Msprt(continuous(0.1, 20));
        for (int i = 0; i < 300; i++) {
            original.addChampion(random.nextGaussian());
            original.addChallenger(random.nextGaussian() + 0.2);
        }
        Msprt restored = Msprt.restore(original.settings(), original.state());
        for (int i = 0; i < 300; i++) {
            double x = random.nextGaussian();
            double y = random.nextGaussian() + 0.2;
            original.addChampion(x);
            original.addChallenger(y);
            restored.addChampion(x);
            restored.addChallenger(y);
        }
        assertThat(restored.result()).isEqualTo(original.result());
    }

    @Test
    void badOutcomesAndSettingsAreRefusedNamingThem() {
        Msprt bernoulli = new Msprt(MsprtSettings.defaults(Outcome.BERNOULLI));
        assertThatThrownBy(() -> bernoulli.addChallenger(0.5)).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.INVALID_ARGUMENT))
                .hasMessage("Outcome [0.5] of the challenger is not 0 or 1");
        Msprt continuous = new Msprt(MsprtSettings.defaults(Outcome.CONTINUOUS));
        assertThatThrownBy(() -> continuous.addChampion(Double.NaN))
                .hasMessage("Outcome [NaN] of the champion is not a finite number");
        assertThatThrownBy(() -> new MsprtSettings(Outcome.BERNOULLI, 1, 0.1, 100)).hasMessageContaining("Alpha")
                .hasMessageContaining("[1.0]");
        assertThatThrownBy(() -> new MsprtSettings(Outcome.BERNOULLI, 0.05, 0, 100)).hasMessageContaining("tau");
        assertThatThrownBy(() -> new MsprtSettings(Outcome.BERNOULLI, 0.05, 0.1, 1)).hasMessageContaining("[1]");
    }

    /**
     * ∫ N(Δ; θ, v) N(θ; 0, τ²) dθ / N(Δ; 0, v) by Simpson's rule over θ within 12 standard deviations of the
     * posterior, independent of the closed form.
     */
    static double mixtureRatioByIntegration(double diff, double v, double tau2) {
        double postVar = 1 / (1 / v + 1 / tau2);
        double postMean = postVar * diff / v;
        double half = 12 * Math.sqrt(postVar);
        int steps = 20_000;
        double h = 2 * half / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double theta = postMean - half + i * h;
            double weight = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2;
            // the ratio of the normal densities in Δ, times the prior density of θ
            double f = Math.exp(-((diff - theta) * (diff - theta) - diff * diff) / (2 * v) - theta * theta / (2 * tau2))
                    / Math.sqrt(2 * Math.PI * tau2);
            sum += weight * f;
        }
        return sum * h / 3;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
    }

    private static double sampleVariance(List<Double> values) {
        double m = mean(values);
        return values.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (values.size() - 1);
    }
}
