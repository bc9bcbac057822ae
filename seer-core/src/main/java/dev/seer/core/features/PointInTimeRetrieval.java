package dev.seer.core.features;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.schema.Schema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Training data from the feature store: for each row of an entity file (join keys and an
 * {@value #EVENT_TIMESTAMP}), the value every asked feature had at that time, never one from the
 * row's future (a point-in-time-correct join). The result says exactly what was read (view
 * versions and batches), so a dataset built from it can be reproduced and traced. The feature
 * store implements it; datasets, and later training, call it.
 */
public interface PointInTimeRetrieval {
    /** The column of the entity file that holds each row's time. */
    String EVENT_TIMESTAMP = "event_timestamp";

    /** Joins and writes the result (Parquet) to {@code request.out()}. */
    Result retrieve(Request request);

    /** Every ingested batch, oldest first: what results' {@link ViewInput#batches()} name. */
    List<BatchRecord> batches();

    /**
     * A retrieval. {@code features}: {@code view:feature} references, or one feature service
     * name. {@code viewVersions} pins views to recorded definitions (others use the latest);
     * {@code batches}, when present, limits the files read to those batches: with both, a
     * retrieval reads exactly what an earlier one read (see {@link Result#inputs()}).
     */
    record Request(Path entities, List<String> features, Path out, boolean filterByCreated, Map<String, Integer> viewVersions,
            Optional<Set<String>> batches) {
        public Request {
            requireNonNull(entities, "entities is null");
            features = List.copyOf(features);
            requireNonNull(out, "out is null");
            viewVersions = Map.copyOf(viewVersions);
            requireNonNull(batches, "batches is null");
        }

        /** The latest definitions and every batch. */
        public Request(Path entities, List<String> features, Path out, boolean filterByCreated) {
            this(entities, features, out, filterByCreated, Map.of(), Optional.empty());
        }
    }

    /**
     * What a retrieval produced: the rows written, how many found at least one feature value,
     * the feature columns in order, the file. {@code joinMillis}: time in the sort-merge join itself
     * (the rest is reading and writing); {@code passes}: key-range passes over the feature
     * files, summed over views (1 per view when it fits in memory); {@code inputs}: per view,
     * the definition and the batches read; {@code service}: the feature service asked for, if one was;
     * {@code schema}: the feature columns with their types, as the definitions declare them (every
     * one nullable: an entity row may find no value), or empty where a result was read from a form
     * that carries only the names (the HTTP API's).
     */
    record Result(long rows, long matched, List<String> columns, Path out, long joinMillis, int passes, List<ViewInput> inputs,
            Optional<ServiceVersion> service, Schema schema) {
        public Result {
            columns = List.copyOf(columns);
            inputs = List.copyOf(inputs);
            requireNonNull(service, "service is null");
            requireNonNull(schema, "schema is null");
            if (!schema.isEmpty() && !schema.names().equals(columns)) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Schema " + schema + " does not describe columns "
                        + columns, Map.of("columns", columns.toString()));
            }
        }

        /** A result whose columns' types are not known (read from a form that carries only their names). */
        public Result(long rows, long matched, List<String> columns, Path out, long joinMillis, int passes,
                List<ViewInput> inputs, Optional<ServiceVersion> service) {
            this(rows, matched, columns, out, joinMillis, passes, inputs, service, Schema.empty());
        }
    }

    /** A recorded feature service definition. */
    record ServiceVersion(String name, int version) {}

    /**
     * What one view contributed: its definition's version, the features asked of it, its join
     * keys, the ingested batches whose files were read (in storage order), and for stored
     * features how many entity rows matched a row of each batch (window aggregates read every
     * batch listed, so they have no such count).
     */
    record ViewInput(String view, int version, List<String> features, List<String> joinKeys, List<String> batches,
            Map<String, Long> matchedRows) {
        public ViewInput {
            features = List.copyOf(features);
            joinKeys = List.copyOf(joinKeys);
            batches = List.copyOf(batches);
            matchedRows = Map.copyOf(matchedRows);
        }
    }
}
