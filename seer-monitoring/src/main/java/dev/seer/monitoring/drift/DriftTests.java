package dev.seer.monitoring.drift;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Univariate drift between a reference sample and a current sample, column by column, and dataset
 * drift over many columns. The entry point of this package.
 *
 * <p>By default each column gets the test Evidently would choose ({@link DriftTest#defaultFor}) with
 * Evidently's threshold; any column can be given its own test and threshold. Numeric columns come as
 * {@code double[]} with NaN for missing, categorical ones as {@code String[]} with null for missing;
 * missing and infinite values are dropped before testing, as Evidently drops them, and a column left
 * empty on either side gets {@link ColumnDrift.Status#NO_DATA} rather than an exception.
 *
 * <p>Each numeric column is cleaned and sorted once; every statistic (KS, Wasserstein, the
 * histograms, the distinct counts) is then a merge walk or a binary search over the two sorted
 * arrays, so a column costs two primitive sorts plus linear work, with no boxing.
 *
 * <p>Dataset drift departs from Evidently in one respect, on purpose. Evidently compares every
 * column's p-value with the raw threshold, so a report over 50 undrifted features at α = 0.05
 * flags about 2.5 of them by chance, every time. Here the p-values of one report are adjusted by
 * Benjamini–Hochberg ({@link BenjaminiHochberg}), which keeps the expected share of false drift
 * flags among the flagged columns at α, while staying far less conservative than Bonferroni on
 * real drift. Distances have no p-value and are unaffected. Both raw and adjusted p-values are
 * reported; {@link Builder#falseDiscoveryControl(boolean)} turns the adjustment off for results
 * identical to Evidently's.
 */
public final class DriftTests {
    /** Evidently's default share of drifted columns at which the dataset drifted. */
    public static final double DEFAULT_DRIFT_SHARE = 0.5;

    private final Map<String, DriftTest> tests;
    private final Map<String, Double> thresholds;
    private final double driftShare;
    private final boolean falseDiscoveryControl;

    private DriftTests(Builder builder) {
        this.tests = Map.copyOf(builder.tests);
        this.thresholds = Map.copyOf(builder.thresholds);
        this.driftShare = builder.driftShare;
        this.falseDiscoveryControl = builder.falseDiscoveryControl;
    }

    /** Evidently's defaults, with the Benjamini–Hochberg adjustment on. */
    public static DriftTests defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Drift of a numeric column; NaN is missing, ±inf is dropped too. */
    public ColumnDrift numeric(String column, double[] reference, double[] current) {
        requireNonNull(column, "column is null");
        double[] ref = Samples.cleanSorted(requireNonNull(reference, "reference is null"));
        double[] cur = Samples.cleanSorted(requireNonNull(current, "current is null"));
        DriftTest configured = tests.get(column);
        if (ref.length == 0 || cur.length == 0) {
            DriftTest test = configured != null ? configured : DriftTest.defaultFor(true, ref.length, 0);
            return ColumnDrift.noData(column, test, threshold(column, test), ref.length, cur.length);
        }
        DriftTest test = configured != null ? configured
                : DriftTest.defaultFor(true, ref.length, Samples.distinctUnion(ref, cur));
        double threshold = threshold(column, test);
        double[] r;
        switch (test) {
            case KS -> {
                r = KolmogorovSmirnov.test(ref, cur);
                return ColumnDrift.of(column, test, r[0], r[1], threshold, ref.length, cur.length);
            }
            case WASSERSTEIN -> r = new double[] {Statistics.wassersteinNormed(ref, cur), Double.NaN};
            case CHI_SQUARE -> r = Statistics.chiSquare(Frequencies.perValue(ref, cur));
            case Z -> r = Statistics.zTest(Frequencies.perValue(ref, cur));
            case JENSEN_SHANNON, PSI -> r = new double[] {distance(test, binned(ref, cur)), Double.NaN};
            default -> throw new IllegalStateException("unreachable: " + test);
        }
        return ColumnDrift.of(column, test, r[0], r[1], threshold, ref.length, cur.length);
    }

    /** Drift of a categorical column; null is missing. */
    public ColumnDrift categorical(String column, String[] reference, String[] current) {
        requireNonNull(column, "column is null");
        Map<String, long[]> counts = Frequencies.count(requireNonNull(reference, "reference is null"),
                requireNonNull(current, "current is null"));
        long refSize = 0;
        long curSize = 0;
        for (long[] c : counts.values()) {
            refSize += c[0];
            curSize += c[1];
        }
        DriftTest configured = tests.get(column);
        if (configured != null && !configured.appliesToCategorical()) {
            throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "Drift test [" + configured
                    + "] needs a numeric column; column [" + column + "] is categorical",
                    Map.of("column", column, "test", configured.name()));
        }
        if (refSize == 0 || curSize == 0) {
            DriftTest test = configured != null ? configured : DriftTest.defaultFor(false, refSize, 0);
            return ColumnDrift.noData(column, test, threshold(column, test), refSize, curSize);
        }
        DriftTest test = configured != null ? configured : DriftTest.defaultFor(false, refSize, counts.size());
        Frequencies f = Frequencies.perCategory(counts, refSize, curSize);
        double threshold = threshold(column, test);
        double[] r = switch (test) {
            case CHI_SQUARE -> Statistics.chiSquare(f);
            case Z -> Statistics.zTest(f);
            default -> new double[] {distance(test, f), Double.NaN};
        };
        return ColumnDrift.of(column, test, r[0], r[1], threshold, refSize, curSize);
    }

    /**
     * Dataset drift over columns tested by this instance: adjusts the p-values of the p-value tests
     * together (unless turned off) and applies the drift share.
     */
    public DatasetDrift dataset(List<ColumnDrift> columns) {
        requireNonNull(columns, "columns is null");
        List<ColumnDrift> out = new ArrayList<>(columns);
        if (falseDiscoveryControl) {
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                ColumnDrift c = out.get(i);
                if (c.status() == ColumnDrift.Status.OK && c.test().isPValue()) {
                    at.add(i);
                }
            }
            double[] p = new double[at.size()];
            for (int k = 0; k < p.length; k++) {
                p[k] = out.get(at.get(k)).pValue();
            }
            double[] adjusted = BenjaminiHochberg.adjust(p);
            for (int k = 0; k < p.length; k++) {
                out.set(at.get(k), out.get(at.get(k)).withAdjustedPValue(adjusted[k]));
            }
        }
        int tested = 0;
        int drifted = 0;
        for (ColumnDrift c : out) {
            if (c.status() == ColumnDrift.Status.OK) {
                tested++;
                drifted += c.drifted() ? 1 : 0;
            }
        }
        double share = tested == 0 ? 0.0 : (double) drifted / tested;
        return new DatasetDrift(out, tested, drifted, share, driftShare, tested > 0 && share >= driftShare,
                falseDiscoveryControl);
    }

    private double threshold(String column, DriftTest test) {
        Double t = thresholds.get(column);
        return t != null ? t : test.defaultThreshold();
    }

    /**
     * Evidently's binning for JS and PSI on a numeric column: Sturges equal-width bins over the
     * pooled data when the reference has more than 20 distinct values, else one bin per value.
     */
    static Frequencies binned(double[] ref, double[] cur) {
        return Samples.distinct(ref) > 20 ? Frequencies.sturges(ref, cur) : Frequencies.perValue(ref, cur);
    }

    private static double distance(DriftTest test, Frequencies f) {
        double[] r = f.referenceShares();
        double[] c = f.currentShares();
        return test == DriftTest.PSI ? Statistics.psi(r, c) : Statistics.jensenShannon(r, c);
    }

    /** Options: per-column tests and thresholds, the drift share, the false-discovery control. */
    public static final class Builder {
        private final Map<String, DriftTest> tests = new HashMap<>();
        private final Map<String, Double> thresholds = new HashMap<>();
        private double driftShare = DEFAULT_DRIFT_SHARE;
        private boolean falseDiscoveryControl = true;

        private Builder() {
        }

        /** Use this test for the column, with its default threshold unless one is set. */
        public Builder test(String column, DriftTest test) {
            tests.put(requireNonNull(column, "column is null"), requireNonNull(test, "test is null"));
            return this;
        }

        /** Use this test and threshold for the column. */
        public Builder test(String column, DriftTest test, double threshold) {
            test(column, test);
            return threshold(column, threshold);
        }

        /** The column's threshold (a p-value level or a distance), whatever test it gets. */
        public Builder threshold(String column, double threshold) {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "Drift threshold for column ["
                        + column + "] must be positive and finite, not [" + threshold + "]");
            }
            thresholds.put(requireNonNull(column, "column is null"), threshold);
            return this;
        }

        /** Share of tested columns at or above which the dataset drifted, in (0, 1]. */
        public Builder driftShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT,
                        "Drift share must be in (0, 1], not [" + share + "]");
            }
            this.driftShare = share;
            return this;
        }

        /** Benjamini–Hochberg adjustment of the p-values in a dataset report; false = as Evidently. */
        public Builder falseDiscoveryControl(boolean on) {
            this.falseDiscoveryControl = on;
            return this;
        }

        public DriftTests build() {
            return new DriftTests(this);
        }
    }
}
