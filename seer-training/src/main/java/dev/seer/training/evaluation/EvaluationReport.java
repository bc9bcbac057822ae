package dev.seer.training.evaluation;

import static java.util.Objects.requireNonNull;

import dev.seer.core.provenance.Codec;
import dev.seer.training.metrics.Metric;
import java.util.List;
import java.util.Optional;

/**
 * The one evaluation every training run gets: every candidate on the same folds and the same
 * held-out rows, the best by the spec's metric, and its comparisons with the baseline and the
 * reference model, each test with its p-value, effect and interval, and the decision.
 *
 * @param reference the reference model compared against ({@code churn:3 (champion)}), if one existed
 * @param gate whether the best candidate passed: better than the reference if there was one, else than the baseline
 * @param notes what the reader should know (a test that could not run and why)
 */
public record EvaluationReport(Metric metric, double alpha, int folds, int developmentRows, int testRows,
        List<CandidateResult> candidates, String best, List<Comparison> comparisons, Optional<String> reference,
        boolean gate, List<String> notes) {
    /** The one JSON form, stored as the run's {@code evaluation.json}. */
    public static final Codec<EvaluationReport> CODEC = new EvaluationReportCodec();

    public EvaluationReport {
        requireNonNull(metric, "metric is null");
        candidates = List.copyOf(candidates);
        requireNonNull(best, "best is null");
        comparisons = List.copyOf(comparisons);
        requireNonNull(reference, "reference is null");
        notes = List.copyOf(notes);
    }

    public CandidateResult candidate(String name) {
        return candidates.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no candidate " + name));
    }

    /** The comparison of the best candidate with {@code against}, if one was made. */
    public Optional<Comparison> bestAgainst(String against) {
        return comparisons.stream().filter(c -> c.candidate().equals(best) && c.against().equals(against)).findFirst();
    }
}
