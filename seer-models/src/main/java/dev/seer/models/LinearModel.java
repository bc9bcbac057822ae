package dev.seer.models;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.provenance.Codec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Seer's own linear model, what its linear and logistic regression write: the prediction of a row
 * x is {@code link(intercept + sum(weights[i] * x[i]))}, {@link Link#IDENTITY} for a regression's
 * value, {@link Link#LOGIT} (the logistic function) for a binary classifier's P(class 1).
 *
 * <p>A missing value (NaN) in feature i is replaced by {@code fillValues[i]} before the sum: Seer's
 * training fills with the column's training mean, and the model carries those means so a row served
 * with a gap is filled the way the training rows were. A model without fill values (an empty array,
 * as one imported from elsewhere or written in format 1) predicts NaN for a row with NaN.
 *
 * <p>Immutable; the weights are copied in and out. The one stored form is {@link #CODEC}'s, with
 * {@code "kind": "seer-linear"}, read back by {@link Models#load} as {@link ModelFormat#SEER_LINEAR}.
 */
// weights and fillValues are arrays for the arithmetic; copied in and out, and equals/hashCode compare contents
@SuppressWarnings("ArrayRecordComponent")
public record LinearModel(List<String> features, double[] weights, double intercept, Link link, double[] fillValues) {
    /** The one JSON form of a linear model. */
    public static final Codec<LinearModel> CODEC = new LinearModelCodec();

    /** How the linear score becomes the prediction. */
    public enum Link {
        /** The score itself: a regression's value. */
        IDENTITY,
        /** 1 / (1 + e^-score): a binary classifier's P(class 1). */
        LOGIT
    }

    private static final double[] NO_FILL = {};

    /** A model without fill values: a row with NaN predicts NaN. */
    public LinearModel(List<String> features, double[] weights, double intercept, Link link) {
        this(features, weights, intercept, link, NO_FILL);
    }

    public LinearModel {
        features = List.copyOf(requireNonNull(features, "features is null"));
        weights = requireNonNull(weights, "weights is null").clone();
        requireNonNull(link, "link is null");
        fillValues = requireNonNull(fillValues, "fillValues is null").clone();
        if (features.isEmpty() || features.size() != weights.length) {
            throw invalid("A linear model needs one weight per feature, at least one; it has [" + features.size()
                    + "] features and [" + weights.length + "] weights");
        }
        if (new HashSet<>(features).size() != features.size()) {
            throw invalid("A linear model names each feature once; it has " + features);
        }
        if (!Double.isFinite(intercept) || Arrays.stream(weights).anyMatch(w -> !Double.isFinite(w))) {
            throw invalid("A linear model's weights and intercept are finite numbers; it has " + Arrays.toString(weights)
                    + " and [" + intercept + "]");
        }
        if (fillValues.length != 0 && fillValues.length != weights.length) {
            throw invalid("A linear model has one fill value per feature or none; it has [" + features.size()
                    + "] features and [" + fillValues.length + "] fill values");
        }
        if (Arrays.stream(fillValues).anyMatch(v -> !Double.isFinite(v))) {
            throw invalid("A linear model's fill values are finite numbers; it has " + Arrays.toString(fillValues));
        }
    }

    /** Whether a missing value is filled ({@link #fillValues()} has one per feature) rather than predicting NaN. */
    public boolean fillsMissingValues() {
        return fillValues.length != 0;
    }

    /** The value used in place of NaN, per feature; empty when the model has none. */
    @Override
    public double[] fillValues() {
        return fillValues.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The stored form as canonical UTF-8 JSON (equal models, equal bytes and hashes), as {@link Models#load} reads it. */
    public byte[] toBytes() {
        return Json.canonical(CODEC.encode(this)).getBytes(StandardCharsets.UTF_8);
    }

    double predict(double[] row) {
        double score = intercept;
        for (int i = 0; i < weights.length; i++) {
            double value = row[i];
            score += weights[i] * (Double.isNaN(value) && fillValues.length != 0 ? fillValues[i] : value);
        }
        return link == Link.LOGIT ? 1 / (1 + Math.exp(-score)) : score;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearModel other && features.equals(other.features) && Arrays.equals(weights, other.weights)
                && Double.compare(intercept, other.intercept) == 0 && link == other.link
                && Arrays.equals(fillValues, other.fillValues);
    }

    @Override
    public int hashCode() {
        return (((features.hashCode() * 31 + Arrays.hashCode(weights)) * 31 + Double.hashCode(intercept)) * 31
                + link.hashCode()) * 31 + Arrays.hashCode(fillValues);
    }

    @Override
    public String toString() {
        return "LinearModel[" + link + " " + features + " " + Arrays.toString(weights) + " + " + intercept
                + (fillValues.length == 0 ? "" : ", NaN filled with " + Arrays.toString(fillValues)) + "]";
    }

    private static SeerException invalid(String message) {
        return new SeerException(ModelErrorCode.INVALID_MODEL, message, Map.of());
    }
}
