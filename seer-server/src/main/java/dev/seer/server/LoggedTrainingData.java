package dev.seer.server;

import dev.seer.core.SeerException;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.log.Prediction;
import dev.seer.serving.log.PredictionLog;
import dev.seer.serving.log.PredictionQuery;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A training table from production: for each answered prediction of a deployment in a time range
 * that has an outcome, the values its model saw (from the prediction log) and the outcome, as CSV
 * with a key column (the prediction id), the features by name and the label. Training on the values
 * the model was served, not on values joined again from the offline store, leaves no room for a
 * skew between the two, and works for a model whose inputs came in the request (no feature store).
 * A prediction whose model lacked one of the features (an earlier champion with other inputs) or saw
 * none for it is skipped and counted; NaN is written empty, as missing.
 */
final class LoggedTrainingData {
    /** What was written: rows, predictions skipped (with why), the range. */
    record Written(Path file, long rows, long skippedOtherInputs, long outcomes, Instant from, Instant to) {}

    private LoggedTrainingData() {}

    static Written write(PredictionLog log, FeedbackStore feedback, String deployment, List<String> features, String key,
            String label, Instant from, Instant to, Path file) {
        Map<String, Double> outcomes = new HashMap<>();
        for (FeedbackStore.Pair pair : feedback.pairs(deployment, Optional.empty(), from, to)) {
            outcomes.put(pair.predictionId(), pair.outcome());
        }
        long[] counts = new long[2];
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(key);
            for (String f : features) {
                out.write(',');
                out.write(f);
            }
            out.write(',');
            out.write(label);
            out.write('\n');
            log.forEach(PredictionQuery.all().withDeployment(deployment).withShadow(false)
                    .between(Optional.of(from), Optional.of(to)), p -> {
                        Double outcome = outcomes.get(p.id());
                        if (outcome == null) {
                            return;
                        }
                        Optional<String> row = row(p, features, outcome);
                        if (row.isEmpty()) {
                            counts[1]++;
                            return;
                        }
                        try {
                            out.write(row.get());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        counts[0]++;
                    });
        } catch (IOException | UncheckedIOException e) {
            throw new SeerException(ServerErrorCode.INTERNAL, "Could not write the training table of deployment ["
                    + deployment + "] to " + file + ": " + e.getMessage(), Map.of("deployment", deployment), e);
        }
        return new Written(file, counts[0], counts[1], outcomes.size(), from, to);
    }

    /** One CSV line, or empty when the prediction's model had not every feature among its inputs. */
    private static Optional<String> row(Prediction p, List<String> features, double outcome) {
        Map<String, Double> seen = new HashMap<>();
        p.features().forEach(f -> seen.put(f.name(), f.value()));
        StringBuilder line = new StringBuilder(p.id());
        for (String f : features) {
            Double value = seen.get(f);
            if (value == null) {
                return Optional.empty();
            }
            line.append(',');
            if (!Double.isNaN(value)) {
                line.append(number(value));
            }
        }
        return Optional.of(line.append(',').append(number(outcome)).append('\n').toString());
    }

    /** Integers as integers (a class label stays {@code 1}, not {@code 1.0}); others in full precision. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
