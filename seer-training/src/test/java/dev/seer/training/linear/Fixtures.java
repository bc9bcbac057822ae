package dev.seer.training.linear;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** The scikit-learn reference fits make_fixtures.py wrote beside this package's test resources. */
final class Fixtures {
    private Fixtures() {}

    /** One dataset and the optimum of the objective on it, on the original feature scale. */
    @SuppressWarnings("ArrayRecordComponent") // read-only test data, never compared or hashed
    record Case(String name, String kind, double c, double l1Ratio, boolean standardize, double[][] x, double[] y, double[] weights,
            double[] coef, double intercept, double[] fill, double[][] testX, double[] testPrediction) {
        LinearOptions options(double tolerance) {
            return new LinearOptions(c, l1Ratio, 10_000, tolerance, standardize);
        }

        List<String> features() {
            return IntStream.range(0, coef.length).mapToObj(j -> "x" + j).toList();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> of(String kind) {
        JsonNode root = read();
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            if (c.get("kind").asText().equals(kind)) {
                cases.add(new Case(c.get("name").asText(), kind, c.get("C").asDouble(), c.get("l1_ratio").asDouble(),
                        c.get("standardize").asBoolean(),
                        matrix(c.get("x")), vector(c.get("y")), c.get("weights").isNull() ? null : vector(c.get("weights")),
                        vector(c.get("coef")), c.get("intercept").asDouble(), vector(c.get("fill")), matrix(c.get("test_x")),
                        vector(c.get("test_prediction"))));
            }
        }
        return cases;
    }

    private static JsonNode read() {
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] vector(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).isNull() ? Double.NaN : array.get(i).asDouble();
        }
        return v;
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(rows.get(i));
        }
        return m;
    }
}
