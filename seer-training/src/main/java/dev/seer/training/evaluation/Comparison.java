package dev.seer.training.evaluation;

import static java.util.Objects.requireNonNull;

import dev.seer.training.stats.TestResult;
import java.util.List;

/**
 * One candidate against one yardstick (the baseline, or the reference model) on the same folds
 * and the same held-out rows: every test that applies, the primary one's p-value after Holm's
 * correction across candidates, and the decision at the spec's alpha.
 *
 * @param primary the test the decision rests on: DeLong's for ROC AUC on a binary task, else the paired bootstrap
 * @param better whether the candidate is better: adjusted p below alpha and the effect in the metric's better direction
 */
public record Comparison(String candidate, String against, List<TestResult> tests, String primary, double adjustedP,
        boolean better) {
    public Comparison {
        requireNonNull(candidate, "candidate is null");
        requireNonNull(against, "against is null");
        tests = List.copyOf(tests);
        requireNonNull(primary, "primary is null");
    }

    /** The primary test's result. */
    public TestResult primaryResult() {
        return tests.stream().filter(t -> t.test().equals(primary)).findFirst().orElseThrow();
    }
}
