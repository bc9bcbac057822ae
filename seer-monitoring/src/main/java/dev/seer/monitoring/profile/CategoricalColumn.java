package dev.seer.monitoring.profile;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The profile of one categorical column: count, missing count, a frequent-items sketch (the
 * Misra-Gries family as in Anderson et al. 2017, "A High-Performance Algorithm for Identifying
 * Frequent Items in Data Streams"; DataSketches' {@link ItemsSketch}) and a HyperLogLog distinct
 * count (Flajolet et al. 2007; DataSketches' {@link HllSketch}, HLL_4).
 *
 * <p>The frequent-items sketch counts exactly while the column has at most 3/4 of its map size
 * distinct values (96 at the default 128); beyond, each estimate is within
 * {@link #maximumError()} (about 3.5 / mapSize of the count) of the truth. A missing value is
 * null; any other value counts by its {@code toString()}.
 *
 * <p>Not thread-safe: a column belongs to its {@link Profile}, which has a single writer.
 */
public final class CategoricalColumn {
    private final String name;
    private final int mapSize;
    private final int lgK;
    private final ItemsSketch<String> items;
    private HllSketch distinct;
    private long count;
    private long missing;

    CategoricalColumn(String name, int mapSize, int lgK) {
        this(name, mapSize, lgK, new ItemsSketch<>(mapSize), new HllSketch(lgK, TgtHllType.HLL_4));
    }

    private CategoricalColumn(String name, int mapSize, int lgK, ItemsSketch<String> items, HllSketch distinct) {
        this.name = requireNonNull(name, "name is null");
        this.mapSize = mapSize;
        this.lgK = lgK;
        this.items = items;
        this.distinct = distinct;
    }

    static CategoricalColumn restore(String name, int mapSize, ItemsSketch<String> items, HllSketch distinct,
            long count, long missing) {
        CategoricalColumn column = new CategoricalColumn(name, mapSize, distinct.getLgConfigK(), items, distinct);
        column.count = count;
        column.missing = missing;
        return column;
    }

    void update(String value) {
        if (value == null) {
            missing++;
            return;
        }
        count++;
        items.update(value);
        distinct.update(value);
    }

    void updateMissing() {
        missing++;
    }

    void merge(CategoricalColumn other) {
        count += other.count;
        missing += other.missing;
        items.merge(other.items);
        Union union = new Union(lgK);
        union.update(distinct);
        union.update(other.distinct);
        distinct = union.getResult(TgtHllType.HLL_4);
    }

    CategoricalColumn copy() {
        CategoricalColumn copy = new CategoricalColumn(name, mapSize, lgK);
        copy.merge(this);
        return copy;
    }

    ItemsSketch<String> itemsSketch() {
        return items;
    }

    HllSketch distinctSketch() {
        return distinct;
    }

    int mapSize() {
        return mapSize;
    }

    public String name() {
        return name;
    }

    /** Values seen that were not missing. */
    public long count() {
        return count;
    }

    /** Values seen that were null. */
    public long missing() {
        return missing;
    }

    /** Rows seen: {@code count() + missing()}. */
    public long rows() {
        return count + missing;
    }

    /** The HyperLogLog estimate of the number of distinct values (relative standard error about 1.6% at lgK 12). */
    public double distinct() {
        return distinct.getEstimate();
    }

    /** The estimated count of one value (0 for a value never seen or too rare to keep). */
    public long estimate(String value) {
        requireNonNull(value, "value is null");
        return items.getEstimate(value);
    }

    /** The largest error of any {@link #estimate}: 0 while the sketch counts exactly. */
    public long maximumError() {
        return items.getMaximumError();
    }

    /**
     * The most frequent values, most frequent first, at most {@code limit} of them; a value whose
     * true count may exceed {@link #maximumError()} is never left out (no false negatives).
     */
    public List<ItemCount> top(int limit) {
        if (limit < 1) {
            throw SketchDrift.invalid("top limit [" + limit + "] must be at least 1");
        }
        List<ItemsSketch.Row<String>> rows = new ArrayList<>(List.of(items.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)));
        // ties in the same order on every run and after a round trip through bytes
        rows.sort(Comparator.comparingLong((ItemsSketch.Row<String> row) -> row.getEstimate()).reversed()
                .thenComparing(ItemsSketch.Row::getItem));
        List<ItemCount> top = new ArrayList<>();
        for (ItemsSketch.Row<String> row : rows) {
            if (top.size() == limit) {
                break;
            }
            top.add(new ItemCount(row.getItem(), row.getEstimate(), row.getLowerBound(), row.getUpperBound()));
        }
        return Collections.unmodifiableList(top);
    }

    /**
     * The estimated share of each given value, then one last share for every other value, so that
     * two profiles compared on the same list of values give distributions of the same bins for PSI,
     * Jensen-Shannon or chi-square. The shares sum to 1 (the last is clamped at 0 should the
     * estimates' errors overshoot). Values must be unique.
     */
    public double[] pmf(List<String> values) {
        requireNonNull(values, "values is null");
        if (count == 0) {
            throw SketchDrift.noValues(name);
        }
        if (values.stream().distinct().count() != values.size()) {
            throw SketchDrift.invalid("values of column [" + name + "] must be unique");
        }
        double[] shares = new double[values.size() + 1];
        double named = 0;
        for (int i = 0; i < values.size(); i++) {
            shares[i] = (double) estimate(values.get(i)) / count;
            named += shares[i];
        }
        shares[values.size()] = Math.max(0, 1 - named);
        if (named > 1) {
            double total = Arrays.stream(shares).sum();
            for (int i = 0; i < shares.length; i++) {
                shares[i] /= total;
            }
        }
        return shares;
    }

    /** A frequent value with its estimated count and the bounds of its true count. */
    public record ItemCount(String value, long estimate, long lowerBound, long upperBound) {
    }
}
