package dev.seer.monitoring.multivariate;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Multivariate drift by data reconstruction error: NannyML's {@code
 * DataReconstructionDriftCalculator} (nannyml/drift/multivariate/data_reconstruction, commit
 * 4c86ee35; docs/design/monitoring-research.md §4).
 *
 * <p>Fit: on the reference, impute (mean / most frequent), encode categories by their relative
 * frequency, standardise, and keep the leading principal components that explain 65% of the
 * variance. These components capture how the features move together. A row's reconstruction error
 * is the Euclidean distance, in the standardised space, between the row and its projection onto
 * the kept components; a chunk's error is the mean over its rows. When the relations between
 * features change (a correlation breaks) the rows leave the reference's subspace and the error
 * rises, even if every feature's own distribution is unchanged, which no per-feature test sees.
 *
 * <p>Thresholds: the reference is cut into chunks (10 by default, of n / 10 rows, a remainder kept
 * as a further chunk, as NannyML's default chunker), each chunk's error computed, and the alert
 * band is their mean ± 3 standard deviations (population); a lower bound at or below 0 is dropped.
 * A chunk alerts when its error is not strictly inside the band.
 *
 * <p>Choices where NannyML leaves things open: a category unseen in the reference encodes as
 * frequency 0 (so a new category raises the error); columns keep the caller's order (the error
 * does not depend on it); the PCA is an eigendecomposition of the p x p covariance, so memory
 * does not grow with the reference (three passes over its rows).
 */
public final class ReconstructionDrift {

    /**
     * Settings: the share of variance the kept components explain (NannyML: 0.65), how many
     * chunks the reference is cut into for the thresholds (10), and the band's width in standard
     * deviations (3).
     */
    public record Options(double varianceToKeep, int referenceChunks, double thresholdStdDevs) {
        public static final Options DEFAULTS = new Options(0.65, 10, 3.0);

        public Options {
            if (!(varianceToKeep > 0 && varianceToKeep < 1)) {
                throw invalid("Variance to keep [" + varianceToKeep + "] is not in (0, 1)");
            }
            if (referenceChunks < 1) {
                throw invalid("Reference chunks [" + referenceChunks + "] must be at least 1");
            }
            if (!(thresholdStdDevs > 0) || Double.isInfinite(thresholdStdDevs)) {
                throw invalid("Threshold [" + thresholdStdDevs + "] standard deviations must be positive");
            }
        }
    }

    /**
     * The verdict on one chunk: its row count, mean reconstruction error, the error's sampling
     * error (standard deviation of the row errors, ddof 1, over sqrt(rows); NaN for one row), and
     * whether it is outside the thresholds. A chunk with no rows has no data: error NaN, no alert.
     */
    public record Score(int rows, double error, double samplingError, boolean alert) {
        public boolean hasData() {
            return rows > 0;
        }
    }

    private final Encoder encoder;
    private final Pca pca;
    private final double[] referenceChunkErrors;
    private final double lower; // -infinity when dropped
    private final double upper;

    private ReconstructionDrift(Encoder encoder, Pca pca, double[] referenceChunkErrors, double lower, double upper) {
        this.encoder = encoder;
        this.pca = pca;
        this.referenceChunkErrors = referenceChunkErrors;
        this.lower = lower;
        this.upper = upper;
    }

    /** Fits on the reference with NannyML's defaults. */
    public static ReconstructionDrift fit(List<Column> reference) {
        return fit(reference, Options.DEFAULTS);
    }

    /**
     * Fits on the reference's columns (numeric or categorical, equally long, names unique).
     *
     * @throws SeerException INVALID_ARGUMENT when there are no columns, columns of unequal length,
     *     a column with no value at all, or fewer rows than reference chunks (and at least 2)
     */
    public static ReconstructionDrift fit(List<Column> reference, Options options) {
        requireNonNull(reference, "reference is null");
        requireNonNull(options, "options is null");
        int n = checkShape(reference, "reference");
        if (n < Math.max(2, options.referenceChunks())) {
            throw invalid("Reference has [" + n + "] rows, fewer than its [" + options.referenceChunks()
                    + "] chunks (and at least 2 are needed)");
        }
        Encoder encoder = Encoder.fit(reference);
        Pca pca = Pca.fit(new double[encoder.width()], covariance(encoder, reference, n), options.varianceToKeep());
        double[] errors = referenceChunkErrors(encoder, pca, reference, n, options.referenceChunks());
        double mean = 0;
        for (double e : errors) {
            mean += e;
        }
        mean /= errors.length;
        double variance = 0;
        for (double e : errors) {
            variance += (e - mean) * (e - mean);
        }
        double std = Math.sqrt(variance / errors.length);
        double lower = mean - options.thresholdStdDevs() * std;
        double upper = mean + options.thresholdStdDevs() * std;
        return new ReconstructionDrift(encoder, pca, errors, lower > 0 ? lower : Double.NEGATIVE_INFINITY, upper);
    }

    // The covariance of the standardised rows, about their own mean (zero up to rounding), as
    // sklearn's PCA centres them; divided by n - 1 as its explained variance is.
    private static double[][] covariance(Encoder encoder, List<Column> reference, int n) {
        int p = encoder.width();
        double[] sum = new double[p];
        double[][] products = new double[p][p];
        double[] row = new double[p];
        for (int i = 0; i < n; i++) {
            encoder.encode(reference, i, row);
            for (int a = 0; a < p; a++) {
                sum[a] += row[a];
                for (int b = 0; b <= a; b++) {
                    products[a][b] += row[a] * row[b];
                }
            }
        }
        double[][] covariance = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b <= a; b++) {
                double c = (products[a][b] - sum[a] * sum[b] / n) / (n - 1);
                covariance[a][b] = c;
                covariance[b][a] = c;
            }
        }
        return covariance;
    }

    private static double[] referenceChunkErrors(Encoder encoder, Pca pca, List<Column> reference, int n, int chunks) {
        int size = n / chunks;
        List<Double> errors = new ArrayList<>();
        for (int start = 0; start < n; start += size) {
            errors.add(chunkErrors(encoder, pca, reference, start, Math.min(n, start + size))[0]);
        }
        return errors.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Mean and ddof-1 standard deviation of the row errors of rows [from, to). */
    private static double[] chunkErrors(Encoder encoder, Pca pca, List<Column> columns, int from, int to) {
        double[] row = new double[encoder.width()];
        double[] errors = new double[to - from];
        double mean = 0;
        for (int i = from; i < to; i++) {
            encoder.encode(columns, i, row);
            errors[i - from] = pca.reconstructionError(row);
            mean += errors[i - from];
        }
        mean /= errors.length;
        double squares = 0;
        for (double e : errors) {
            squares += (e - mean) * (e - mean);
        }
        return new double[] {mean, Math.sqrt(squares / (errors.length - 1))};
    }

    /**
     * Scores a chunk whose columns carry the reference's names and kinds (in any order).
     *
     * @throws SeerException UNKNOWN_NAME for a column the reference does not have; INCOMPATIBLE
     *     for a reference column missing from the chunk or of the other kind; INVALID_ARGUMENT for
     *     columns of unequal length or an infinite number
     */
    public Score score(List<Column> chunk) {
        requireNonNull(chunk, "chunk is null");
        List<Column> aligned = align(chunk);
        int n = aligned.isEmpty() ? 0 : checkShape(aligned, "chunk");
        if (n == 0) {
            return new Score(0, Double.NaN, Double.NaN, false);
        }
        double[] meanAndStd = chunkErrors(encoder, pca, aligned, 0, n);
        double error = meanAndStd[0];
        return new Score(n, error, meanAndStd[1] / Math.sqrt(n), !(lower < error && error < upper));
    }

    private List<Column> align(List<Column> chunk) {
        Map<String, Column> byName = new HashMap<>();
        for (Column column : chunk) {
            if (byName.put(column.name(), column) != null) {
                throw invalid("Chunk has column [" + column.name() + "] twice");
            }
        }
        Set<String> known = new HashSet<>(encoder.names());
        for (String name : byName.keySet()) {
            if (!known.contains(name)) {
                throw new SeerException(MonitoringErrorCode.UNKNOWN_NAME,
                        "Column [" + name + "] is not in the reference " + encoder.names(), Map.of());
            }
        }
        List<Column> aligned = new ArrayList<>();
        for (int j = 0; j < encoder.width(); j++) {
            String name = encoder.names().get(j);
            Column column = byName.get(name);
            if (column == null || column.isNumeric() != encoder.isNumeric(j)) {
                throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "Chunk column [" + name + "] is "
                        + (column == null ? "missing" : "not " + (encoder.isNumeric(j) ? "numeric" : "categorical"))
                        + " as in the reference", Map.of());
            }
            aligned.add(column);
        }
        return aligned;
    }

    private static int checkShape(List<Column> columns, String what) {
        if (columns.isEmpty()) {
            throw invalid("The " + what + " has no columns");
        }
        Set<String> names = new HashSet<>();
        int n = columns.get(0).size();
        for (Column column : columns) {
            if (!names.add(column.name())) {
                throw invalid("The " + what + " has column [" + column.name() + "] twice");
            }
            if (column.size() != n) {
                throw invalid("The " + what + "'s column [" + column.name() + "] has [" + column.size()
                        + "] rows, not [" + n + "] as [" + columns.get(0).name() + "]");
            }
        }
        return n;
    }

    /** How many principal components were kept. */
    public int componentCount() {
        return pca.componentCount();
    }

    /** The kept components, one unit row each over the reference's columns in order (sign fixed). */
    public double[][] components() {
        return pca.components();
    }

    /** Every component's share of the reference's standardised variance, descending. */
    public double[] explainedVarianceRatio() {
        return pca.explainedVarianceRatio();
    }

    /** The mean reconstruction errors of the reference's chunks, from which the thresholds come. */
    public double[] referenceChunkErrors() {
        return referenceChunkErrors.clone();
    }

    /** The lower alert threshold; empty when mean - k std <= 0 (dropped, as NannyML does). */
    public OptionalDouble lowerThreshold() {
        return lower == Double.NEGATIVE_INFINITY ? OptionalDouble.empty() : OptionalDouble.of(lower);
    }

    public double upperThreshold() {
        return upper;
    }

    private static SeerException invalid(String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, message, Map.of());
    }
}
