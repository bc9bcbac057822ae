package dev.seer.training.evaluation;

import static java.util.Objects.requireNonNull;

import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.metrics.Interval;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one candidate did: its parameters, its spec metric on each cross-validation fold and their
 * mean, every metric of the task on the held-out test rows with a bootstrap interval, and what
 * it cost (training seconds on the development rows, prediction microseconds per test row).
 *
 * @param name the candidate's name in the report ({@code xgboost}, {@code baseline}, or with a number if repeated)
 */
// foldScores is copied in and out, and compared by content
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

    @Override
    public boolean equals(Object o) {
        return o instanceof CandidateResult c && name.equals(c.name) && algorithm == c.algorithm && params.equals(c.params)
                && Arrays.equals(foldScores, c.foldScores) && Double.compare(cvMean, c.cvMean) == 0 && test.equals(c.test)
                && facts.equals(c.facts) && Double.compare(trainingSeconds, c.trainingSeconds) == 0
                && Double.compare(predictMicrosPerRow, c.predictMicrosPerRow) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, algorithm, params, Arrays.hashCode(foldScores), cvMean, test, facts);
    }
}
