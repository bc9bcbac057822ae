package dev.seer.monitoring.report;

import dev.seer.monitoring.profile.CategoricalColumn;
import dev.seer.monitoring.profile.NumericColumn;
import dev.seer.monitoring.report.MonitorReport.Bin;
import dev.seer.monitoring.report.MonitorReport.Histogram;
import dev.seer.monitoring.report.MonitorReport.Item;
import dev.seer.monitoring.report.MonitorReport.TopItems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The report's distributions from profile columns. Numeric: equal-width bins over the pooled exact
 * range, their shares from each side's KLL sketch ({@link NumericColumn#pmf}), so both sides share
 * the bins and overlay. The number of bins follows Sturges' rule, as Evidently's drift binning and
 * numpy's "sturges" do, capped at {@link #MAX_BINS} so a chart of a million rows stays readable (the
 * rule gives 21 there). Categorical: the union of each side's most frequent values, ranked by the
 * larger of the two shares, the top {@code limit} kept and the rest pooled as "other".
 */
final class Distributions {
    static final int MAX_BINS = 30;
    static final int DEFAULT_TOP = 10;

    private Distributions() {
    }

    static Histogram histogram(NumericColumn reference, NumericColumn current) {
        List<Bin> bins = new ArrayList<>();
        if (reference.count() > 0 || current.count() > 0) {
            double lo = Math.min(min(reference), min(current));
            double hi = Math.max(max(reference), max(current));
            double[] edges = edges(lo, hi, sturges(reference.count() + current.count()));
            double[] split = new double[edges.length - 2];
            System.arraycopy(edges, 1, split, 0, split.length);
            double[] ref = shares(reference, split);
            double[] cur = shares(current, split);
            for (int i = 0; i < edges.length - 1; i++) {
                bins.add(new Bin(edges[i], edges[i + 1], ref[i], cur[i]));
            }
        }
        return new Histogram(bins, reference.count(), reference.missing(), current.count(), current.missing(),
                reference.mean(), current.mean());
    }

    static int sturges(long n) {
        int bins = (int) Math.ceil(Math.log(n) / Math.log(2)) + 1;
        return Math.max(1, Math.min(MAX_BINS, bins));
    }

    /** k equal-width bins over [lo, hi]; one bin when the range is empty or too narrow to split. */
    static double[] edges(double lo, double hi, int k) {
        double[] edges = new double[k + 1];
        for (int i = 0; i <= k; i++) {
            edges[i] = lo + (hi - lo) * i / k;
        }
        edges[k] = hi;
        for (int i = 1; i <= k; i++) {
            if (!(edges[i] > edges[i - 1])) {
                return new double[] {lo, hi};
            }
        }
        return edges;
    }

    private static double[] shares(NumericColumn column, double[] split) {
        if (column.count() == 0) {
            double[] none = new double[split.length + 1];
            Arrays.fill(none, Double.NaN);
            return none;
        }
        return split.length == 0 ? new double[] {1.0} : column.pmf(split);
    }

    private static double min(NumericColumn c) {
        return c.count() == 0 ? Double.POSITIVE_INFINITY : c.min();
    }

    private static double max(NumericColumn c) {
        return c.count() == 0 ? Double.NEGATIVE_INFINITY : c.max();
    }

    static TopItems topItems(CategoricalColumn reference, CategoricalColumn current, int limit) {
        if (limit < 1) {
            throw MonitorReport.invalid("Top items limit [" + limit + "] must be at least 1");
        }
        TreeSet<String> shares = new TreeSet<>();
        collect(reference, limit, shares);
        collect(current, limit, shares);
        List<String> values = new ArrayList<>(shares);
        double[] ref = pmf(reference, values);
        double[] cur = pmf(current, values);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            items.add(new Item(values.get(i), ref[i], cur[i]));
        }
        items.sort(Comparator.comparingDouble((Item it) -> -larger(it)).thenComparing(Item::value));
        List<Item> kept = List.copyOf(items.subList(0, Math.min(limit, items.size())));
        return new TopItems(kept, other(reference, kept, true), other(current, kept, false), reference.count(),
                reference.missing(), current.count(), current.missing());
    }

    private static void collect(CategoricalColumn column, int limit, TreeSet<String> into) {
        if (column.count() > 0) {
            column.top(limit).forEach(item -> into.add(item.value()));
        }
    }

    private static double[] pmf(CategoricalColumn column, List<String> values) {
        if (column.count() == 0) {
            double[] none = new double[values.size() + 1];
            Arrays.fill(none, Double.NaN);
            return none;
        }
        return column.pmf(values);
    }

    /** NaN counts as 0 so an item seen on one side only still ranks. */
    private static double larger(Item item) {
        double r = Double.isNaN(item.referenceShare()) ? 0 : item.referenceShare();
        double c = Double.isNaN(item.currentShare()) ? 0 : item.currentShare();
        return Math.max(r, c);
    }

    private static double other(CategoricalColumn column, List<Item> kept, boolean reference) {
        if (column.count() == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (Item item : kept) {
            sum += reference ? item.referenceShare() : item.currentShare();
        }
        return Math.max(0, 1 - sum);
    }
}
