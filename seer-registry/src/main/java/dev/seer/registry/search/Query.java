package dev.seer.registry.search;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A statement and its parameters, bound in order with {@code setObject}. The SQL text is made
 * only of the compiler's own words; everything a user wrote is among the parameters.
 */
public record Query(String sql, List<Object> parameters) {
    public Query {
        requireNonNull(sql, "sql is null");
        parameters = List.copyOf(parameters);
    }
}
