package dev.seer.monitoring.report;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.drift.ColumnDrift;
import dev.seer.monitoring.drift.DatasetDrift;
import dev.seer.monitoring.performance.Estimate;
import dev.seer.monitoring.performance.Metric;
import dev.seer.monitoring.performance.Realised;
import dev.seer.monitoring.profile.CategoricalColumn;
import dev.seer.monitoring.profile.NumericColumn;
import dev.seer.monitoring.profile.Profile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The drift and performance report of one deployment over a time range, as an immutable value built
 * from the results the other monitoring packages produce: the dataset drift ({@link DatasetDrift}),
 * per-feature distributions of the reference and the current data (from {@link Profile}s), an
 * optional prediction drift, and optional performance per window ({@link Estimate} from CBPE
 * beside {@link Realised}). {@link ReportText} and {@link ReportHtml} render it.
 *
 * <p>Features are sorted by name (Java's {@link String} order) and windows by start, so the same
 * results always render the same bytes, whatever order they were added in.
 *
 * <p>No data is a status, not an error: a range in which nothing was logged gives a report of
 * {@link Status#NO_DATA} (every part may be absent), which renders as a "no data in this range"
 * section; a feature or window without data renders as "no data" in its place.
 */
public final class MonitorReport {
    /** Whether the range held any current data. */
    public enum Status {
        OK,
        NO_DATA
    }

    private final String deployment;
    private final Instant from;
    private final Instant to;
    private final String reference;
    private final Instant generatedAt;
    private final DatasetDrift drift;
    private final List<Feature> features;
    private final Feature prediction;
    private final List<Window> windows;
    private final List<Metric> metrics;

    private MonitorReport(Builder b) {
        this.deployment = b.deployment;
        this.from = b.from;
        this.to = b.to;
        this.reference = b.reference;
        this.generatedAt = b.generatedAt;
        this.drift = b.drift;
        this.features = b.features();
        this.prediction = b.predictionDrift == null && b.predictionDistribution == null ? null
                : new Feature(b.predictionDrift != null ? b.predictionDrift.column() : "prediction",
                        b.predictionDrift, b.predictionDistribution);
        List<Window> sorted = new ArrayList<>(b.windows);
        sorted.sort(Comparator.comparing(Window::from).thenComparing(Window::to));
        this.windows = List.copyOf(sorted);
        this.metrics = List.copyOf(b.metrics);
    }

    /** A builder for the deployment's report over [from, to); from must be before to. */
    public static Builder builder(String deployment, Instant from, Instant to) {
        return new Builder(deployment, from, to);
    }

    public String deployment() {
        return deployment;
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    /** What the current data is compared with, e.g. a dataset version; empty when not given. */
    public String reference() {
        return reference;
    }

    /** When the report was made (from the caller's clock), if given. */
    public Optional<Instant> generatedAt() {
        return Optional.ofNullable(generatedAt);
    }

    /** The dataset drift, if computed. */
    public Optional<DatasetDrift> drift() {
        return Optional.ofNullable(drift);
    }

    /** Every feature with a drift result or a distribution, sorted by name. */
    public List<Feature> features() {
        return features;
    }

    /** The drift of the model's output, if computed. */
    public Optional<Feature> prediction() {
        return Optional.ofNullable(prediction);
    }

    /** Performance windows, sorted by start. */
    public List<Window> windows() {
        return windows;
    }

    /** The metrics the performance part shows, in this order. */
    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * The most current rows any part of the report saw: a drift column's current size, a
     * distribution's current rows, the prediction's, a window's rows.
     */
    public long currentRows() {
        long rows = 0;
        for (Feature f : features) {
            rows = Math.max(rows, f.currentRows());
        }
        if (prediction != null) {
            rows = Math.max(rows, prediction.currentRows());
        }
        for (Window w : windows) {
            rows = Math.max(rows, w.rows());
        }
        return rows;
    }

    /** {@link Status#NO_DATA} when no part of the report saw a current row. */
    public Status status() {
        return currentRows() == 0 ? Status.NO_DATA : Status.OK;
    }

    /**
     * One feature: its drift result and its distributions, either possibly absent (null).
     *
     * @param name the feature's name
     * @param drift its drift result, or null when it was profiled but not tested
     * @param distribution its reference and current distributions, or null when not profiled
     */
    public record Feature(String name, ColumnDrift drift, Distribution distribution) {
        public Feature {
            requireNonNull(name, "name is null");
        }

        /** Current rows seen for the feature (0 when it has no current data). */
        public long currentRows() {
            long rows = drift == null ? 0 : drift.currentSize();
            return distribution == null ? rows : Math.max(rows, distribution.currentCount() + distribution.currentMissing());
        }

        /** Whether the feature has current data to show. */
        public boolean hasData() {
            return currentRows() > 0;
        }
    }

    /**
     * The reference and current distributions of one feature, over shared bins or values so the
     * two can be overlaid.
     */
    public sealed interface Distribution permits Histogram, TopItems {
        long referenceCount();

        long referenceMissing();

        long currentCount();

        long currentMissing();

        /**
         * A histogram over equal-width bins shared by both sides, from the columns' KLL sketches:
         * Sturges' rule on the pooled count ({@code ceil(log2 n) + 1}, as numpy's "sturges"), at
         * most {@value Distributions#MAX_BINS} bins, spanning the pooled exact min and max.
         */
        static Distribution numeric(NumericColumn reference, NumericColumn current) {
            return Distributions.histogram(requireNonNull(reference, "reference is null"),
                    requireNonNull(current, "current is null"));
        }

        /**
         * The {@code limit} values with the largest share on either side (from the frequent-items
         * sketches), with each side's share of each, and the share of all other values.
         */
        static Distribution categorical(CategoricalColumn reference, CategoricalColumn current, int limit) {
            return Distributions.topItems(requireNonNull(reference, "reference is null"),
                    requireNonNull(current, "current is null"), limit);
        }
    }

    /** One bin [lower, upper) (the last one closed); a share is NaN for a side without data. */
    public record Bin(double lower, double upper, double referenceShare, double currentShare) {
    }

    /** A numeric feature's histogram; no bins when neither side has data. */
    public record Histogram(List<Bin> bins, long referenceCount, long referenceMissing, long currentCount,
            long currentMissing, double referenceMean, double currentMean) implements Distribution {
        public Histogram {
            bins = List.copyOf(bins);
        }
    }

    /** One categorical value and its share on each side (NaN for a side without data). */
    public record Item(String value, double referenceShare, double currentShare) {
        public Item {
            requireNonNull(value, "value is null");
        }
    }

    /** A categorical feature's most frequent values and the share of the rest on each side. */
    public record TopItems(List<Item> items, double referenceOther, double currentOther, long referenceCount,
            long referenceMissing, long currentCount, long currentMissing) implements Distribution {
        public TopItems {
            items = List.copyOf(items);
        }
    }

    /**
     * Performance over one window [from, to): the estimate before labels, the realised values once
     * they came; either may be null (not computed).
     */
    public record Window(Instant from, Instant to, Estimate estimated, Realised realised) {
        public Window {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            if (!from.isBefore(to)) {
                throw invalid("Window start [" + from + "] must be before its end [" + to + "]");
            }
        }

        /** The most rows either side saw. */
        public long rows() {
            return Math.max(estimated == null ? 0 : estimated.rows(), realised == null ? 0 : realised.rows());
        }
    }

    static SeerException invalid(String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, message);
    }

    /** Gathers the parts; every part is optional. */
    public static final class Builder {
        private final String deployment;
        private final Instant from;
        private final Instant to;
        private String reference = "";
        private Instant generatedAt;
        private DatasetDrift drift;
        private final Map<String, Distribution> distributions = new TreeMap<>();
        private ColumnDrift predictionDrift;
        private Distribution predictionDistribution;
        private final List<Window> windows = new ArrayList<>();
        private List<Metric> metrics = List.of(Metric.values());

        private Builder(String deployment, Instant from, Instant to) {
            this.deployment = requireNonNull(deployment, "deployment is null");
            this.from = requireNonNull(from, "from is null");
            this.to = requireNonNull(to, "to is null");
            if (!from.isBefore(to)) {
                throw invalid("Report range start [" + from + "] must be before its end [" + to + "]");
            }
        }

        /** A description of the reference, e.g. "dataset churn version 3 (training)". */
        public Builder reference(String description) {
            this.reference = requireNonNull(description, "description is null");
            return this;
        }

        /** When the report was made, from the caller's clock. */
        public Builder generatedAt(Instant time) {
            this.generatedAt = requireNonNull(time, "time is null");
            return this;
        }

        /** The dataset drift; its column names must be unique. */
        public Builder drift(DatasetDrift datasetDrift) {
            requireNonNull(datasetDrift, "datasetDrift is null");
            if (datasetDrift.columns().stream().map(ColumnDrift::column).distinct().count()
                    != datasetDrift.columns().size()) {
                throw invalid("Dataset drift lists a column twice");
            }
            this.drift = datasetDrift;
            return this;
        }

        /** One feature's distributions (replacing any given before for that name). */
        public Builder distribution(String feature, Distribution distribution) {
            distributions.put(requireNonNull(feature, "feature is null"),
                    requireNonNull(distribution, "distribution is null"));
            return this;
        }

        /**
         * The distributions of every column of the reference profile, numeric as histograms and
         * categorical as their 10 most frequent values. The current profile must have the same
         * columns with the same types, else INCOMPATIBLE naming the column.
         */
        public Builder profiles(Profile referenceProfile, Profile currentProfile) {
            requireNonNull(referenceProfile, "referenceProfile is null");
            requireNonNull(currentProfile, "currentProfile is null");
            Map<String, Profile.Type> current = new TreeMap<>();
            currentProfile.schema().forEach(c -> current.put(c.name(), c.type()));
            for (Profile.Column column : referenceProfile.schema()) {
                Profile.Type type = current.remove(column.name());
                if (type != column.type()) {
                    throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "Column [" + column.name()
                            + "] of the reference is " + (type == null ? "missing from the current profile"
                                    : column.type() + " in the reference and " + type + " in the current profile"),
                            Map.of("column", column.name()));
                }
            }
            if (!current.isEmpty()) {
                String extra = current.keySet().iterator().next();
                throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "Column [" + extra
                        + "] of the current profile is missing from the reference", Map.of("column", extra));
            }
            for (Profile.Column column : referenceProfile.schema()) {
                String name = column.name();
                distribution(name, column.type() == Profile.Type.NUMERIC
                        ? Distribution.numeric(referenceProfile.numeric(name), currentProfile.numeric(name))
                        : Distribution.categorical(referenceProfile.categorical(name),
                                currentProfile.categorical(name), Distributions.DEFAULT_TOP));
            }
            return this;
        }

        /** The drift of the model's output and, if not null, its distributions. */
        public Builder prediction(ColumnDrift drift, Distribution distribution) {
            this.predictionDrift = requireNonNull(drift, "drift is null");
            this.predictionDistribution = distribution;
            return this;
        }

        /** Performance over the window [from, to): estimated, realised, either may be null. */
        public Builder window(Instant windowFrom, Instant windowTo, Estimate estimated, Realised realised) {
            windows.add(new Window(windowFrom, windowTo, estimated, realised));
            return this;
        }

        /** The metrics to show, in order (all of {@link Metric} by default). */
        public Builder metrics(Metric... shown) {
            if (shown.length == 0) {
                throw invalid("A report needs at least one metric to show");
            }
            this.metrics = List.of(shown);
            return this;
        }

        public MonitorReport build() {
            return new MonitorReport(this);
        }

        private List<Feature> features() {
            Map<String, ColumnDrift> drifts = new TreeMap<>();
            if (drift != null) {
                drift.columns().forEach(c -> drifts.put(c.column(), c));
            }
            TreeMap<String, Feature> out = new TreeMap<>();
            drifts.forEach((name, d) -> out.put(name, new Feature(name, d, distributions.get(name))));
            distributions.forEach((name, d) -> out.putIfAbsent(name, new Feature(name, null, d)));
            return List.copyOf(out.values());
        }
    }
}
