package dev.seer.training.data;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where training reads dataset versions: training's own port, which the wiring implements over
 * the dataset store, so that this module sees the files and the recorded facts of a version and
 * nothing of how versions are stored.
 */
public interface DatasetSource {
    /** The version {@code ref} names ({@code churn:3}, {@code churn:latest} or {@code churn}), its files hash-checked. */
    Snapshot open(String ref);

    /**
     * One dataset version as training reads it.
     *
     * @param ref the version, {@code NAME:VERSION}
     * @param sha256 the content hash of its data
     * @param label the label column recorded with the version, if one was
     * @param key the columns that identify a row; never features
     * @param columns every column with its type as DuckDB names it, in file order
     * @param splits the Parquet file of each split ({@code train}, {@code validation}, {@code test}); empty if unsplit
     */
    record Snapshot(String ref, String sha256, Optional<String> label, List<String> key, List<Column> columns,
            Map<String, Path> splits) {
        public Snapshot {
            requireNonNull(ref, "ref is null");
            requireNonNull(sha256, "sha256 is null");
            requireNonNull(label, "label is null");
            key = List.copyOf(key);
            columns = List.copyOf(columns);
            splits = Map.copyOf(splits);
        }
    }

    /** A column and its DuckDB type ({@code DOUBLE}, {@code VARCHAR}, {@code TIMESTAMP WITH TIME ZONE}). */
    record Column(String name, String type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }
}
