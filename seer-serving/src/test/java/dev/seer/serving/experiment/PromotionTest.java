package dev.seer.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PromotionTest {
    private static final Guardrails GUARDRAILS = new Guardrails(0.01, 50, 200);
    private static final ArmHealth HEALTHY = new ArmHealth(10_000, 3, 12);

    private static MsprtResult test(double difference, int sign) {
        double lower = sign == 0 ? difference - 1 : difference - Math.abs(difference) / 2;
        return new MsprtResult(5000, 5000, 0.8, 0.8 + difference, difference, sign == 0 ? 2 : 40,
                sign == 0 ? 0.5 : 0.025, lower, lower + Math.abs(difference), sign, 0.05);
    }

    @Test
    void aSignificantlyBetterChallengerIsPromotedAndAWorseOneRolledBackInTheMetricsDirection() {
        Promotion higher = new Promotion(Direction.HIGHER_IS_BETTER, GUARDRAILS);
        Promotion lower = new Promotion(Direction.LOWER_IS_BETTER, GUARDRAILS);
        assertThat(higher.decide(test(0.04, 1), HEALTHY).verdict()).isEqualTo(Verdict.PROMOTE);
        assertThat(higher.decide(test(-0.04, -1), HEALTHY).verdict()).isEqualTo(Verdict.ROLLBACK);
        assertThat(lower.decide(test(-0.04, -1), HEALTHY).verdict()).isEqualTo(Verdict.PROMOTE);
        Decision worse = lower.decide(test(0.04, 1), HEALTHY);
        assertThat(worse.verdict()).isEqualTo(Verdict.ROLLBACK);
        assertThat(worse.reason()).startsWith("The challenger is significantly worse").contains("[0.04]");
        assertThat(higher.decide(test(0.01, 0), HEALTHY).verdict()).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void aBreachedGuardrailRollsBackEvenABetterChallenger() {
        Promotion promotion = new Promotion(Direction.HIGHER_IS_BETTER, GUARDRAILS);
        Decision errors = promotion.decide(test(0.04, 1), new ArmHealth(1000, 11, 12));
        assertThat(errors.verdict()).isEqualTo(Verdict.ROLLBACK);
        assertThat(errors.reason()).isEqualTo("The challenger failed [11] of [1000] requests (0.0110), over the "
                + "guardrail [0.01]");
        Decision slow = promotion.decide(test(0.01, 0), new ArmHealth(1000, 0, 51));
        assertThat(slow.verdict()).isEqualTo(Verdict.ROLLBACK);
        assertThat(slow.reason()).contains("[51.0 ms]").contains("[50.0 ms]");
        assertThat(promotion.decide(test(0.04, 1), new ArmHealth(1000, 10, 50)).verdict()).isEqualTo(Verdict.PROMOTE);
    }

    @Test
    void guardrailsWaitForTheirMinimumOfRequests() {
        Promotion promotion = new Promotion(Direction.HIGHER_IS_BETTER, GUARDRAILS);
        assertThat(promotion.decide(test(0.01, 0), new ArmHealth(199, 5, 900)).verdict()).isEqualTo(Verdict.CONTINUE);
        assertThat(promotion.decide(test(0.01, 0), new ArmHealth(200, 5, 12)).verdict()).isEqualTo(Verdict.ROLLBACK);
    }

    @Test
    void inASimulatedRunAFailingChallengerIsRolledBackBeforeItsBetterAccuracyCanPromoteIt() {
        // the challenger is more accurate (0.85 against 0.80) but fails 3% of its requests; looked at every 100
        // outcomes, it is rolled back at the first look past the guardrail's 200 requests, long before the test
        // could promote it; the same challenger without failures is promoted
        Decision failing = run(0.03);
        assertThat(failing.verdict()).isEqualTo(Verdict.ROLLBACK);
        assertThat(failing.reason()).startsWith("The challenger failed");
        assertThat(failing.test().challengerCount()).isLessThan(400);
        Decision healthy = run(0);
        assertThat(healthy.verdict()).isEqualTo(Verdict.PROMOTE);
        assertThat(healthy.test().challengerMean()).isGreaterThan(healthy.test().championMean());
    }

    private static Decision run(double failureRate) {
        SplittableRandom random = new SplittableRandom(41);
        Promotion promotion = new Promotion(Direction.HIGHER_IS_BETTER, GUARDRAILS);
        Msprt test = new Msprt(MsprtSettings.defaults(Outcome.BERNOULLI));
        long requests = 0;
        long errors = 0;
        for (int i = 1; i <= 20_000; i++) {
            if (random.nextBoolean()) {
                requests++;
                if (random.nextDouble() < failureRate) {
                    errors++;
                } else {
                    test.addChallenger(random.nextDouble() < 0.85 ? 1 : 0);
                }
            } else {
                test.addChampion(random.nextDouble() < 0.80 ? 1 : 0);
            }
            if (i % 100 == 0) {
                Decision decision = promotion.decide(test.result(), new ArmHealth(requests, errors, 12));
                if (decision.verdict() != Verdict.CONTINUE) {
                    return decision;
                }
            }
        }
        throw new AssertionError("no decision in 20,000 outcomes");
    }

    @Test
    void badGuardrailsAreRefused() {
        assertThatThrownBy(() -> new Guardrails(1.5, 50, 1)).hasMessageContaining("[1.5]");
        assertThatThrownBy(() -> new Guardrails(0.1, 0, 1)).hasMessageContaining("latency");
        assertThatThrownBy(() -> new Guardrails(0.1, 50, 0)).hasMessageContaining("[0]");
    }
}
