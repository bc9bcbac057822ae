package dev.seer.training.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seer.training.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The datasets and scikit-learn 1.2.1 values written by {@code make_fixtures.py} beside the JSON. */
final class SklearnFixtures {
    private static final JsonNode ROOT = read();

    private SklearnFixtures() {
    }

    record Dataset(String name, Scored scored, JsonNode node) {
        /** sklearn's value, or NaN where the fixture records the metric as undefined (null). */
        double expected(Metric metric) {
            JsonNode value = node.path("expected").get(metric.id());
            return value.isNull() ? Double.NaN : value.asDouble();
        }

        JsonNode calibration(String key) {
            return node.path("calibration").path(key);
        }

        JsonNode confusion() {
            return node.path("confusion");
        }
    }

    static String sklearnVersion() {
        return ROOT.path("sklearn").asText();
    }

    static List<Dataset> datasets() {
        List<Dataset> datasets = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : ROOT.path("datasets").properties()) {
            datasets.add(new Dataset(entry.getKey(), scored(entry.getValue()), entry.getValue()));
        }
        return datasets;
    }

    static Dataset dataset(String name) {
        return datasets().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static Scored scored(JsonNode node) {
        Task task = Task.parse(node.path("task").asText());
        double[] truth = doubles(node.path("truth"));
        return switch (task) {
            case BINARY -> Scored.binary(truth, doubles(node.path("score")));
            case REGRESSION -> Scored.regression(truth, doubles(node.path("score")));
            case MULTICLASS -> {
                JsonNode rows = node.path("probabilities");
                double[][] probabilities = new double[rows.size()][];
                for (int i = 0; i < probabilities.length; i++) {
                    probabilities[i] = doubles(rows.get(i));
                }
                yield Scored.multiclass(truth, probabilities);
            }
        };
    }

    private static JsonNode read() {
        try (InputStream in = Objects.requireNonNull(SklearnFixtures.class.getResourceAsStream("sklearn-metrics.json"),
                "sklearn-metrics.json is missing")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
