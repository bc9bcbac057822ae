package dev.seer.training.evaluation;

import static java.util.Objects.requireNonNull;

import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.metrics.Interval;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one candidate did: its parameters, its spec metric on each cross-validation fold and their
 * mean, every metric of the task on the held-out test rows with a bootstrap interval, and what
 * it cost (training seconds on the development rows, prediction microseconds per test row).
 *
 * @param name the candidate's name in the report ({@code xgboost}, {@code baseline}, or with a number if repeated)
 */
// foldScores is copied in and out
@SuppressWarnings("ArrayRecordComponent")
public record CandidateResult(String name, Algorithm algorithm, Map<String, Object> params, double[] foldScores,
        double cvMean, Map<String, Interval> test, Map<String, String> facts, double trainingSeconds,
        double predictMicrosPerRow) {
    public CandidateResult {
        requireNonNull(name, "name is null");
        requireNonNull(algorithm, "algorithm is null");
        params = Map.copyOf(params);
        foldScores = foldScores.clone();
        test = new LinkedHashMap<>(test);
        facts = Map.copyOf(facts);
    }

    @Override
    public double[] foldScores() {
        return foldScores.clone();
    }

    @Override
    public Map<String, Interval> test() {
        return new LinkedHashMap<>(test);
    }
}
