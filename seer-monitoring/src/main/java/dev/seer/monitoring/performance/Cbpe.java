package dev.seer.monitoring.performance;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Confidence-based performance estimation (CBPE) for binary classifiers, as NannyML computes it
 * (NannyML/nannyml, nannyml/performance_estimation/confidence_based/, commit 4c86ee35; see
 * docs/design/monitoring-research.md §3): the performance of predictions whose labels have not
 * arrived, from the model's own scores, once they are calibrated.
 *
 * <p>Fit on a labelled reference (the model's scores on data it performs on as expected):
 * <ol>
 *   <li>the sampling-error components of every metric ({@link SamplingError}), from the raw
 *       scores and predicted labels;</li>
 *   <li>alert thresholds: the reference cut into {@code referenceChunks} chunks of
 *       rows / referenceChunks rows (a remainder kept as one more chunk, NannyML's default
 *       chunker), the realised metric of each ({@link Realised}, sklearn's definitions), and
 *       mean ± 3 std (divisor n, NaN chunks ignored) clipped to [0, 1];</li>
 *   <li>calibration: an isotonic map from score to probability ({@link Isotonic}) fitted on the
 *       whole reference, used only when it lowers the calibration error ({@link CalibrationCheck},
 *       with {@link Calibration#AUTO}, the default).</li>
 * </ol>
 * Estimate a chunk: calibrate its scores, build the expected confusion matrix ({@link Expected}),
 * and per metric the band estimate ± 3 standard errors and the alert against the thresholds.
 *
 * <p>Where we differ from NannyML, and why: the calibration check's splits and the tie order of
 * its sorts (see {@link CalibrationCheck}) and of the ROC AUC ordering (see {@link Expected}), so
 * that a transcription outside numpy reproduces every number; and a reference chunk with a single
 * class or a single predicted label has sklearn's realised values (0 for an empty ratio, NaN only
 * for ROC AUC) in the thresholds, where NannyML's realised F1, for one, is NaN for such a chunk
 * and left out by its NaN-ignoring mean and std. A
 * reference whose length is not a multiple of {@code referenceChunks} gets a small last chunk
 * that widens the thresholds, as in NannyML; prefer a multiple.
 *
 * <p>The estimate is right only while P(label | score) stays as in the reference: it follows a
 * covariate shift that moves the scores, but cannot see a change of the relation between inputs
 * and label (concept drift); for that, compare with {@link Realised} once labels arrive.
 */
public final class Cbpe {
    /** Whether to calibrate the reference's scores before estimating. */
    public enum Calibration {
        /** Calibrate iff isotonic calibration lowers the reference's calibration error (NannyML's rule). */
        AUTO,
        /** Always calibrate. */
        ALWAYS,
        /** Take the scores as probabilities. */
        NEVER
    }

    /**
     * Settings of a fit.
     *
     * @param threshold the predicted label is 1 when score >= threshold (when labels are not given)
     * @param calibration when to calibrate
     * @param referenceChunks how many chunks the reference is cut into for the alert thresholds
     * @param seed the seed of the calibration check's shuffled splits
     */
    public record Options(double threshold, Calibration calibration, int referenceChunks, long seed) {
        static final double DEFAULT_THRESHOLD = 0.5;

        public Options {
            requireNonNull(calibration, "calibration is null");
            if (!(threshold > 0 && threshold <= 1)) {
                throw Inputs.invalid("CBPE threshold [" + threshold + "] is not in (0, 1]");
            }
            if (referenceChunks < 2) {
                throw Inputs.invalid("CBPE needs at least [2] reference chunks, not [" + referenceChunks + "]");
            }
        }

        /** Threshold 0.5, {@link Calibration#AUTO}, 10 reference chunks, seed 42 (NannyML's defaults). */
        public static Options defaults() {
            return new Options(DEFAULT_THRESHOLD, Calibration.AUTO, 10, 42);
        }
    }

    private static final double SAMPLING_ERROR_RANGE = 3;
    private static final double THRESHOLD_STDS = 3;

    private final Options options;
    private final Isotonic calibrator;
    private final Map<Metric, SamplingError.Component> samplingErrors;
    private final Map<Metric, double[]> thresholds;

    private Cbpe(Options options, Isotonic calibrator, Map<Metric, SamplingError.Component> samplingErrors,
            Map<Metric, double[]> thresholds) {
        this.options = options;
        this.calibrator = calibrator;
        this.samplingErrors = samplingErrors;
        this.thresholds = thresholds;
    }

    /** Fits on reference scores and labels; the predicted label is score >= options.threshold(). */
    public static Cbpe fit(double[] scores, int[] labels, Options options) {
        requireNonNull(options, "options is null");
        Inputs.scores(scores);
        return fit(scores, Inputs.predicted(scores, options.threshold()), labels, options);
    }

    /** Fits on reference scores, the model's own predicted labels, and the true labels. */
    public static Cbpe fit(double[] scores, int[] predicted, int[] labels, Options options) {
        requireNonNull(options, "options is null");
        Inputs.scores(scores);
        Inputs.labels("predicted labels", predicted, scores.length);
        Inputs.labels("labels", labels, scores.length);
        int positives = Arrays.stream(labels).sum();
        if (positives == 0 || positives == labels.length) {
            throw Inputs.invalid("A CBPE reference needs both classes; its [" + labels.length
                    + "] rows have [" + positives + "] positives");
        }
        if (scores.length < 2 * options.referenceChunks()) {
            throw Inputs.invalid("A CBPE reference of [" + scores.length + "] rows is too small for ["
                    + options.referenceChunks() + "] chunks of at least [2] rows");
        }
        boolean calibrate = switch (options.calibration()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> CalibrationCheck.needed(scores, labels, options.seed());
        };
        return new Cbpe(options,
                calibrate ? Isotonic.fit(scores, labels, null) : null,
                SamplingError.components(scores, predicted, labels),
                thresholds(scores, predicted, labels, options.referenceChunks()));
    }

    private static Map<Metric, double[]> thresholds(double[] scores, int[] predicted, int[] labels, int chunks) {
        int size = scores.length / chunks;
        int count = (scores.length + size - 1) / size;
        Map<Metric, double[]> realised = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            realised.put(metric, new double[count]);
        }
        for (int c = 0; c < count; c++) {
            int from = c * size;
            int to = Math.min(from + size, scores.length);
            Realised chunk = Realised.compute(Arrays.copyOfRange(scores, from, to),
                    Arrays.copyOfRange(predicted, from, to), Arrays.copyOfRange(labels, from, to));
            for (Metric metric : Metric.values()) {
                realised.get(metric)[c] = chunk.get(metric).value();
            }
        }
        Map<Metric, double[]> out = new EnumMap<>(Metric.class);
        realised.forEach((metric, values) -> out.put(metric, meanPlusMinusStds(values)));
        return out;
    }

    /** {lower, upper} = NaN-ignoring mean ± 3 std (divisor n), clipped to [0, 1]. */
    private static double[] meanPlusMinusStds(double[] values) {
        double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        if (present.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = Ranking.mean(present);
        double sum = 0;
        for (double v : present) {
            sum += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(sum / present.length);
        return new double[] {Math.max(0, mean - THRESHOLD_STDS * std), Math.min(1, mean + THRESHOLD_STDS * std)};
    }

    /** Estimates a chunk; its predicted labels are score >= the fit's threshold. */
    public Estimate estimate(double[] scores) {
        Inputs.scores(scores);
        return estimate(scores, Inputs.predicted(scores, options.threshold()));
    }

    /** Estimates a chunk with the model's own predicted labels. */
    public Estimate estimate(double[] scores, int[] predicted) {
        Inputs.scores(scores);
        Inputs.labels("predicted labels", predicted, scores.length);
        Map<Metric, Estimate.Value> values = new EnumMap<>(Metric.class);
        if (scores.length == 0) {
            for (Metric metric : Metric.values()) {
                double[] t = thresholds.get(metric);
                values.put(metric, new Estimate.Value(Double.NaN, Double.NaN, Double.NaN, Double.NaN, t[0], t[1], false));
            }
            return new Estimate(0, values);
        }
        double[] probabilities = calibrator == null ? scores : calibrator.apply(scores);
        Expected.metrics(probabilities, scores, predicted).forEach((metric, value) -> {
            double error = samplingErrors.get(metric).of(scores.length);
            double[] t = thresholds.get(metric);
            values.put(metric, new Estimate.Value(value, error,
                    Math.max(0, value - SAMPLING_ERROR_RANGE * error), Math.min(1, value + SAMPLING_ERROR_RANGE * error),
                    t[0], t[1], value < t[0] || value > t[1]));
        });
        return new Estimate(scores.length, values);
    }

    /** Whether the fit calibrates scores (always false with NEVER, true with ALWAYS). */
    public boolean calibrated() {
        return calibrator != null;
    }

    /** The calibrated probabilities of {@code scores} (the scores themselves when not calibrated). */
    public double[] calibrate(double[] scores) {
        Inputs.scores(scores);
        return calibrator == null ? scores.clone() : calibrator.apply(scores);
    }
}
