package dev.seer.core.schema;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.provenance.Codec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of a table as it passes between components (a point-in-time join's result, the
 * training data made from it, a model's inputs): ordered, each name once. Immutable; its one
 * stored form is {@link #CODEC}'s.
 */
public final class Schema implements Iterable<Column> {
    /** The one JSON form of a schema. */
    public static final Codec<Schema> CODEC = new SchemaCodec();

    private static final Schema EMPTY = new Schema(List.of());

    private final List<Column> columns;
    private final Map<String, Column> byName;

    private Schema(List<Column> columns) {
        Map<String, Column> named = new LinkedHashMap<>();
        for (Column column : columns) {
            if (named.putIfAbsent(column.name(), column) != null) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Column [" + column.name()
                        + "] appears twice in a schema; names must be unique", Map.of("column", column.name()));
            }
        }
        this.columns = List.copyOf(columns);
        this.byName = Collections.unmodifiableMap(named);
    }

    /** A schema of these columns, in this order; refuses a name given twice. */
    public static Schema of(List<Column> columns) {
        return columns.isEmpty() ? EMPTY : new Schema(columns);
    }

    public static Schema of(Column... columns) {
        return of(List.of(columns));
    }

    public static Schema empty() {
        return EMPTY;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    public int size() {
        return columns.size();
    }

    public boolean isEmpty() {
        return columns.isEmpty();
    }

    public Optional<Column> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The column named {@code name}; refuses an unknown one, naming it and the schema's columns. */
    public Column column(String name) {
        return find(name).orElseThrow(() -> new SeerException(CoreErrorCode.NOT_FOUND, "The schema has no column ["
                + name + "]; it has " + names(), Map.of("column", String.valueOf(name))));
    }

    /** This schema followed by {@code other}'s columns; refuses a name both have. */
    public Schema plus(Schema other) {
        List<Column> all = new ArrayList<>(columns);
        all.addAll(other.columns);
        return of(all);
    }

    @Override
    public Iterator<Column> iterator() {
        return columns.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema other && columns.equals(other.columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        return columns.stream().map(c -> c.name() + " " + c.type().id() + (c.nullable() ? "" : " not null")).toList()
                .toString();
    }
}
