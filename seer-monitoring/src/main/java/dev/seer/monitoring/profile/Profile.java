package dev.seer.monitoring.profile;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllSketch;

/**
 * A mergeable profile of a table: for each column of a schema, summary statistics and sketches
 * (KLL quantiles for numeric columns; frequent items and HyperLogLog for categorical ones) from
 * which drift statistics are computed without the rows, in the manner of whylogs' profiles.
 * Profiles of disjoint parts of the data merge into the profile of the whole, so one profile per
 * time window answers any range of windows (see {@link WindowedProfiles}).
 *
 * <p>Thread-safety: a profile is not thread-safe. It has a single writer (the thread calling
 * {@code update} and {@code updateColumn}), and its column views read the live state, so readers
 * on other threads need a copy: {@link #merge}, {@link #copy} and {@link #fromBytes} build new
 * profiles and never change their inputs. {@link WindowedProfiles} hands out such copies under
 * its own lock.
 */
public final class Profile {
    private final List<Column> schema;
    private final Settings settings;
    private final Map<String, Integer> positions;
    private final Object[] columns;

    private Profile(List<Column> schema, Settings settings, Object[] columns) {
        this.schema = schema;
        this.settings = settings;
        this.columns = columns;
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < schema.size(); i++) {
            byName.put(schema.get(i).name(), i);
        }
        this.positions = Collections.unmodifiableMap(byName);
    }

    /** An empty profile of the schema with the default settings (KLL k 200, frequent-items map 128, HLL lgK 12). */
    public static Profile create(List<Column> schema) {
        return create(schema, Settings.DEFAULT);
    }

    /** An empty profile of the schema: column names unique, at least one column. */
    public static Profile create(List<Column> schema, Settings settings) {
        requireNonNull(schema, "schema is null");
        requireNonNull(settings, "settings is null");
        List<Column> copy = List.copyOf(schema);
        if (copy.isEmpty()) {
            throw SketchDrift.invalid("A profile needs at least one column");
        }
        Object[] columns = new Object[copy.size()];
        for (int i = 0; i < copy.size(); i++) {
            Column column = copy.get(i);
            for (int j = 0; j < i; j++) {
                if (copy.get(j).name().equals(column.name())) {
                    throw SketchDrift.invalid("Column [" + column.name() + "] appears twice in the schema");
                }
            }
            columns[i] = column.type() == Type.NUMERIC
                    ? new NumericColumn(column.name(), settings.kllK())
                    : new CategoricalColumn(column.name(), settings.frequentItemsMapSize(), settings.hllLgK());
        }
        return new Profile(copy, settings, columns);
    }

    static Profile restore(List<Column> schema, Settings settings, Object[] columns) {
        return new Profile(List.copyOf(schema), settings, columns);
    }

    public List<Column> schema() {
        return schema;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Adds one row, its values in schema order: a {@link Number} or null for a numeric column
     * (null, NaN and ±infinity count as missing), any value or null for a categorical column
     * (counted by its {@code toString()}).
     */
    public void update(Object[] row) {
        requireNonNull(row, "row is null");
        if (row.length != columns.length) {
            throw SketchDrift.invalid("Row has [" + row.length + "] values, the schema [" + columns.length + "] columns");
        }
        // Every value is checked before any is added, so a refused row leaves no column counted.
        for (int i = 0; i < columns.length; i++) {
            Object value = row[i];
            if (columns[i] instanceof NumericColumn numeric && value != null && !(value instanceof Number)) {
                throw SketchDrift.invalid("Column [" + numeric.name() + "] is numeric; value [" + value + "] is a "
                        + value.getClass().getSimpleName());
            }
        }
        for (int i = 0; i < columns.length; i++) {
            Object value = row[i];
            if (columns[i] instanceof NumericColumn numeric) {
                if (value == null) {
                    numeric.updateMissing();
                } else {
                    numeric.update(((Number) value).doubleValue());
                }
            } else {
                ((CategoricalColumn) columns[i]).update(value == null ? null : value.toString());
            }
        }
    }

    /** Adds a numeric column's values (NaN and ±infinity count as missing). */
    public void updateColumn(String name, double[] values) {
        requireNonNull(values, "values is null");
        NumericColumn column = numeric(name);
        for (double value : values) {
            column.update(value);
        }
    }

    /** Adds a categorical column's values (null counts as missing). */
    public void updateColumn(String name, String[] values) {
        requireNonNull(values, "values is null");
        CategoricalColumn column = categorical(name);
        for (String value : values) {
            column.update(value);
        }
    }

    /** The numeric column of that name; UNKNOWN_NAME if none, INCOMPATIBLE if it is categorical. */
    public NumericColumn numeric(String name) {
        Object column = column(name);
        if (column instanceof NumericColumn numeric) {
            return numeric;
        }
        throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "Column [" + name + "] is categorical, not numeric");
    }

    /** The categorical column of that name; UNKNOWN_NAME if none, INCOMPATIBLE if it is numeric. */
    public CategoricalColumn categorical(String name) {
        Object column = column(name);
        if (column instanceof CategoricalColumn categorical) {
            return categorical;
        }
        throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "Column [" + name + "] is numeric, not categorical");
    }

    private Object column(String name) {
        requireNonNull(name, "name is null");
        Integer position = positions.get(name);
        if (position == null) {
            throw new SeerException(MonitoringErrorCode.UNKNOWN_NAME, "Profile has no column [" + name + "]",
                    Map.of("column", name));
        }
        return columns[position];
    }

    Object columnAt(int position) {
        return columns[position];
    }

    /**
     * A new profile of both profiles' data; neither input changes. The other profile must have the
     * same columns with the same types (in any order; the result has this profile's order and
     * settings), else INCOMPATIBLE naming the first column that differs.
     */
    public Profile merge(Profile other) {
        requireNonNull(other, "other is null");
        checkSameSchema(other);
        Profile merged = copy();
        merged.mergeFrom(other);
        return merged;
    }

    /** Adds the other profile, of a checked schema, into this one. */
    void mergeFrom(Profile other) {
        for (int i = 0; i < columns.length; i++) {
            Object theirs = other.column(schema.get(i).name());
            if (columns[i] instanceof NumericColumn numeric) {
                numeric.merge((NumericColumn) theirs);
            } else {
                ((CategoricalColumn) columns[i]).merge((CategoricalColumn) theirs);
            }
        }
    }

    private void checkSameSchema(Profile other) {
        for (Column column : schema) {
            Integer position = other.positions.get(column.name());
            if (position == null) {
                throw incompatible(column.name(), "Column [" + column.name() + "] is missing from the other profile");
            }
            Type theirs = other.schema.get(position).type();
            if (theirs != column.type()) {
                throw incompatible(column.name(), "Column [" + column.name() + "] is " + column.type()
                        + " here and " + theirs + " in the other profile");
            }
        }
        for (Column column : other.schema) {
            if (!positions.containsKey(column.name())) {
                throw incompatible(column.name(), "The other profile has column [" + column.name()
                        + "], which this profile does not");
            }
        }
    }

    private static SeerException incompatible(String column, String message) {
        return new SeerException(MonitoringErrorCode.INCOMPATIBLE, message, Map.of("column", column));
    }

    /** An independent copy. */
    public Profile copy() {
        Object[] copies = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            copies[i] = columns[i] instanceof NumericColumn numeric
                    ? numeric.copy()
                    : ((CategoricalColumn) columns[i]).copy();
        }
        return new Profile(schema, settings, copies);
    }

    /** The compact, versioned byte form (see {@code ProfileCodec} for the layout). */
    public byte[] toBytes() {
        return ProfileCodec.write(this);
    }

    /** Reads a profile from {@link #toBytes()}'s form; CORRUPT_STATE naming what is wrong otherwise. */
    public static Profile fromBytes(byte[] bytes) {
        return ProfileCodec.read(bytes);
    }

    /** A column's type, which chooses its sketches. */
    public enum Type {
        NUMERIC,
        CATEGORICAL
    }

    /** A named, typed column of a schema. */
    public record Column(String name, Type type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            if (name.isEmpty()) {
                throw SketchDrift.invalid("A column name must not be empty");
            }
        }

        public static Column numeric(String name) {
            return new Column(name, Type.NUMERIC);
        }

        public static Column categorical(String name) {
            return new Column(name, Type.CATEGORICAL);
        }
    }

    /**
     * Sketch sizes.
     *
     * @param kllK KLL's k, 8 to 65,535: the rank error is about 2.296 / k^0.9723 (1.33% at the
     *     default 200, DataSketches' and whylogs' default), the memory about 3k doubles at most
     * @param frequentItemsMapSize the frequent-items sketch's map size, a power of two from 8:
     *     exact counts up to 3/4 of it distinct values, else an error of about 3.5 / size of the
     *     count (128 by default: 96 exact categories, 2.7% error beyond)
     * @param hllLgK HyperLogLog's log2 of its register count, 4 to 21 (12 by default: relative
     *     standard error 1.6%, 2 KB serialised)
     */
    public record Settings(int kllK, int frequentItemsMapSize, int hllLgK) {
        public static final Settings DEFAULT = new Settings(KllSketch.DEFAULT_K, 128, 12);

        public Settings {
            if (kllK < 8 || kllK > KllSketch.MAX_K) {
                throw SketchDrift.invalid("KLL k [" + kllK + "] must be from 8 to " + KllSketch.MAX_K);
            }
            if (frequentItemsMapSize < 8 || Integer.bitCount(frequentItemsMapSize) != 1) {
                throw SketchDrift.invalid("Frequent-items map size [" + frequentItemsMapSize
                        + "] must be a power of two, at least 8");
            }
            if (hllLgK < 4 || hllLgK > 21) {
                throw SketchDrift.invalid("HLL lgK [" + hllLgK + "] must be from 4 to 21");
            }
        }
    }
}
