package dev.seer.training.linear;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.models.LinearModel;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Assertions the logistic and ridge tests share. */
final class Checks {
    private Checks() {}

    /**
     * Each coefficient within {@code relative} of the reference, relative to the reference's largest
     * coefficient: a weight the penalty drives to about 0 has no relative error of its own to speak of.
     */
    static void closeTo(String what, double[] actual, double[] expected, double relative) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int j = 0; j < expected.length; j++) {
            assertThat(Math.abs(actual[j] - expected[j]))
                    .as("%s %d: %s vs reference %s", what, j, actual[j], expected[j])
                    .isLessThanOrEqualTo(relative * Math.max(scale, 1e-12));
        }
    }

    /** Predictions through the registry's own loader, as a served model makes them. */
    static double[] predict(LinearModel model, double[][] rows) {
        String inputs = model.features().stream().map(f -> f + ":float64").collect(Collectors.joining(","));
        String output = model.link() == LinearModel.Link.LOGIT ? "probability" : "value";
        try (Model loaded = Models.load(ModelFormat.SEER_LINEAR, model.toBytes(), Signature.parse(inputs + "->" + output))) {
            double[][] p = loaded.predict(rows);
            double[] flat = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                flat[i] = p[i][0];
            }
            return flat;
        }
    }

    static List<String> names(int d) {
        return IntStream.range(0, d).mapToObj(j -> "x" + j).toList();
    }
}
