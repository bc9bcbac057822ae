package dev.seer.serving.experiment;

import static java.util.Objects.requireNonNull;

/**
 * A verdict, why it was reached, and the test it was reached on.
 *
 * @param verdict what to do
 * @param reason  one sentence naming the figures behind the verdict, for the audit record and the operator
 * @param test    the sequential test as it stood
 */
public record Decision(Verdict verdict, String reason, MsprtResult test) {
    public Decision {
        requireNonNull(verdict, "verdict is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(test, "test is null");
    }
}
