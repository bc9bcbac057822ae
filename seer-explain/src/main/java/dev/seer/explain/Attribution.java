package dev.seer.explain;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One output of one row explained, the one shape every explainer gives: a base value (the
 * expected output), one contribution per feature in the model's feature order, and the output
 * they add up to, on a stated {@link Scale}. A multiclass model gives one per class; every other
 * model one.
 *
 * @param output what is explained: {@code p(1)}, {@code value}, or a class name
 */
public record Attribution(String output, Scale scale, double base, double[] contributions, double value) {
    public Attribution {
        requireNonNull(output, "output is null");
        requireNonNull(scale, "scale is null");
        contributions = contributions.clone();
    }

    @Override
    public double[] contributions() {
        return contributions.clone();
    }

    public double contribution(int feature) {
        return contributions[feature];
    }

    /** base + Σ contributions: equal to {@link #value} up to rounding for an exact explainer. */
    public double sum() {
        double sum = base;
        for (double c : contributions) {
            sum += c;
        }
        return sum;
    }

    /** Attributions as a JSON-ready map with feature names: {@code {"output", "scale", "base", "value", "contributions": {name: c}}}. */
    public Map<String, Object> describe(List<String> features) {
        if (features.size() != contributions.length) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "[" + features.size() + "] feature names for ["
                    + contributions.length + "] contributions", Map.of());
        }
        Map<String, Double> named = new java.util.LinkedHashMap<>();
        for (int i = 0; i < contributions.length; i++) {
            named.put(features.get(i), contributions[i]);
        }
        return Map.of("output", output, "scale", scale.id(), "base", base, "value", value, "contributions", named);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribution a && output.equals(a.output) && scale == a.scale
                && Double.compare(base, a.base) == 0 && Arrays.equals(contributions, a.contributions)
                && Double.compare(value, a.value) == 0;
    }

    @Override
    public int hashCode() {
        return ((output.hashCode() * 31 + scale.hashCode()) * 31 + Double.hashCode(base)) * 31 + Arrays.hashCode(contributions);
    }

    @Override
    public String toString() {
        return "Attribution[" + output + " on " + scale.id() + ": base " + base + " + " + Arrays.toString(contributions)
                + " = " + value + "]";
    }
}
