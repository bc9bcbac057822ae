package dev.seer.registry.search;

import static java.util.Objects.requireNonNull;

import dev.seer.registry.search.RunFilter.Entity;
import java.util.List;

/**
 * One key of a run search's order, MLflow's {@code order_by} clause: {@code metrics.auc DESC},
 * {@code params.max_depth}, {@code attributes.start_time ASC}. Runs without the key, and runs whose
 * metric is NaN, come last whichever the direction (values, then NaN, then missing), as in MLflow.
 * After the given keys come {@code start_time DESC} and {@code run_id}, MLflow's default order.
 */
public record OrderBy(Entity entity, String key, boolean ascending) {
    /** The order of a search that names none: the newest run first. */
    public static final List<OrderBy> DEFAULT = List.of(new OrderBy(Entity.ATTRIBUTE, "start_time", false));

    public OrderBy {
        requireNonNull(entity, "entity is null");
        requireNonNull(key, "key is null");
        if (entity == Entity.ATTRIBUTE && RunAttribute.forKey(key).filter(a -> a.key().equals(key)).isEmpty()) {
            throw new IllegalArgumentException("[" + key + "] is not one of the attributes " + RunAttribute.keys());
        }
    }

    /** Parses one clause; an unknown key or a trailing word is refused with its column. */
    public static OrderBy parse(String clause) {
        return new FilterParser(requireNonNull(clause, "clause is null"), "Order by").parseOrderBy();
    }

    /** Parses each clause, in order. */
    public static List<OrderBy> parseAll(List<String> clauses) {
        return clauses.stream().map(OrderBy::parse).toList();
    }

    /** The attribute this orders by, or null for a metric, param or tag. */
    RunAttribute attribute() {
        return entity == Entity.ATTRIBUTE ? RunAttribute.forKey(key).orElseThrow() : null;
    }
}
