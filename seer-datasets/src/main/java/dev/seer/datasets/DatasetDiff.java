package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two versions compared by key: the columns added, removed or changed in type, the rows added,
 * removed and changed (with a sample of each by key), and each column's profile side by side.
 *
 * @param statistics per column, in the order of version a's columns then b's new ones
 */
public record DatasetDiff(DatasetRef a, DatasetRef b, List<String> key, List<ColumnChange> schema, Rows rows,
        Samples samples, Map<String, Statistics> statistics) {
    public DatasetDiff {
        requireNonNull(a, "a is null");
        requireNonNull(b, "b is null");
        key = List.copyOf(key);
        schema = List.copyOf(schema);
        requireNonNull(rows, "rows is null");
        requireNonNull(samples, "samples is null");
        statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
    }

    /** How a column changed from a to b. */
    public enum Change { ADDED, REMOVED, TYPE }

    /** A column added (only {@code typeB}), removed (only {@code typeA}) or changed in type (both). */
    public record ColumnChange(String column, Change change, Optional<String> typeA, Optional<String> typeB) {
        public ColumnChange {
            requireNonNull(column, "column is null");
            requireNonNull(change, "change is null");
            requireNonNull(typeA, "typeA is null");
            requireNonNull(typeB, "typeB is null");
        }
    }

    /** How many rows were added, removed and changed. */
    public record Rows(long added, long removed, long changed) {}

    /** Up to ten keys of each kind of row, each key as column to value (text; null for a null key part). */
    public record Samples(List<Map<String, String>> added, List<Map<String, String>> removed,
            List<Map<String, String>> changed) {
        public Samples {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
        }
    }

    /** A column's profile (DuckDB's SUMMARIZE, free-form) in each version; empty where it has no such column. */
    public record Statistics(Optional<JsonNode> a, Optional<JsonNode> b) {
        public Statistics {
            requireNonNull(a, "a is null");
            requireNonNull(b, "b is null");
        }
    }
}
