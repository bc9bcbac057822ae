package dev.seer.serving.experiment;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Decides what to do with a challenger from its sequential test and its health. Pure logic: the deployment's
 * wiring feeds it and carries out the verdict (promotion goes through the registry's gate).
 *
 * <p>The order is: a breached guardrail rolls back first (a challenger that fails requests or is slow must go
 * whatever its metric); then a significant test promotes if the challenger is better in the metric's
 * {@link Direction} and rolls back if worse; otherwise the experiment continues. Because the test's p-value is
 * always valid, the decision may be asked for after every outcome; once the test is significant it stays so.
 */
public final class Promotion {
    private final Direction direction;
    private final Guardrails guardrails;

    public Promotion(Direction direction, Guardrails guardrails) {
        this.direction = requireNonNull(direction, "direction is null");
        this.guardrails = requireNonNull(guardrails, "guardrails is null");
    }

    public Decision decide(MsprtResult test, ArmHealth challenger) {
        requireNonNull(test, "test is null");
        requireNonNull(challenger, "challenger is null");
        if (challenger.requests() >= guardrails.minRequests()) {
            if (challenger.errorRate() > guardrails.maxErrorRate()) {
                return new Decision(Verdict.ROLLBACK, String.format(Locale.ROOT,
                        "The challenger failed [%d] of [%d] requests (%.4f), over the guardrail [%s]",
                        challenger.errors(), challenger.requests(), challenger.errorRate(), guardrails.maxErrorRate()),
                        test);
            }
            if (challenger.latencyP99Millis() > guardrails.maxLatencyP99Millis()) {
                return new Decision(Verdict.ROLLBACK, String.format(Locale.ROOT,
                        "The challenger's p99 latency [%s ms] is over the guardrail [%s ms]",
                        challenger.latencyP99Millis(), guardrails.maxLatencyP99Millis()), test);
            }
        }
        if (!test.significant()) {
            return new Decision(Verdict.CONTINUE, String.format(Locale.ROOT,
                    "No significant difference yet: challenger minus champion [%s], always-valid p [%s] over alpha [%s]"
                            + " after [%d] and [%d] outcomes", test.difference(), test.pValue(), test.alpha(),
                    test.championCount(), test.challengerCount()), test);
        }
        boolean better = test.sign() == direction.better();
        return new Decision(better ? Verdict.PROMOTE : Verdict.ROLLBACK, String.format(Locale.ROOT,
                "The challenger is significantly %s: challenger minus champion [%s] in [%s, %s], always-valid p [%s]"
                        + " at alpha [%s] after [%d] and [%d] outcomes", better ? "better" : "worse",
                test.difference(), test.lower(), test.upper(), test.pValue(), test.alpha(), test.championCount(),
                test.challengerCount()), test);
    }
}
