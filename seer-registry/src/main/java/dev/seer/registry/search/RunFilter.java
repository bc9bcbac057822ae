package dev.seer.registry.search;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * A parsed run search filter, MLflow's language: comparisons on a run's latest metrics, params,
 * tags and attributes, joined by {@code AND} (MLflow has no {@code OR}). Examples:
 * {@code metrics.auc > 0.9 AND params.model = 'gbm'},
 * {@code tags.`mlflow.user` ILIKE '%ann%'}, {@code attributes.run_id IN ('a1', 'b2')}.
 *
 * <p>The tree only holds values: the compiler ({@link RunSearch}) chooses every table and column
 * from a fixed list and binds keys and values as parameters, so no filter text reaches SQL.
 */
public sealed interface RunFilter permits RunFilter.Comparison, RunFilter.And {
    /** The empty filter: every run. */
    RunFilter ALL = new And(List.of());

    /** Parses {@code filter}; a null or blank filter is {@link #ALL}. */
    static RunFilter parse(String filter) {
        return filter == null || filter.isBlank() ? ALL : new FilterParser(filter, "Filter").parseFilter();
    }

    /** The comparisons a run must all satisfy. */
    List<Comparison> comparisons();

    /** What a filter or order key names. */
    enum Entity {
        METRIC, PARAM, TAG, ATTRIBUTE;

        /** The prefix MLflow writes first ({@code metrics.}, {@code params.}, ...). */
        public String prefix() {
            return this == ATTRIBUTE ? "attributes" : name().toLowerCase(Locale.ROOT) + "s";
        }
    }

    /** The comparison operators; which of them an entity takes is MLflow's rule (see {@link Comparison}). */
    enum Operator {
        EQ("="), NE("!="), GT(">"), GE(">="), LT("<"), LE("<="), LIKE("LIKE"), ILIKE("ILIKE"), IN("IN"), NOT_IN("NOT IN");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** The right-hand side of a comparison. */
    sealed interface Value permits Real, Millis, Text, Texts {}

    /** A metric value. */
    record Real(double value) implements Value {
        public Real {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a metric is compared with a finite number, not [" + value + "]");
            }
        }
    }

    /** A time attribute's value, epoch milliseconds. */
    record Millis(long value) implements Value {}

    /** A param, tag or string attribute's value, or a LIKE pattern. */
    record Text(String value) implements Value {
        public Text {
            requireNonNull(value, "value is null");
        }
    }

    /** The list of an {@code IN} or {@code NOT IN}. */
    record Texts(List<String> values) implements Value {
        public Texts {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("an IN list is not empty");
            }
        }
    }

    /**
     * One comparison. Its parts must fit together as MLflow's rules say: metrics take the six
     * numeric operators and a number; params and tags {@code = != LIKE ILIKE} and a string;
     * attributes their kind's (times as metrics, strings as params, and {@code run_id} also
     * {@code IN} and {@code NOT IN}). An attribute's key is its canonical name ({@code start_time}).
     */
    record Comparison(Entity entity, String key, Operator operator, Value value) implements RunFilter {
        public Comparison {
            requireNonNull(entity, "entity is null");
            requireNonNull(key, "key is null");
            requireNonNull(operator, "operator is null");
            requireNonNull(value, "value is null");
            String problem = Rules.problem(entity, key, operator, value);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }

        @Override
        public List<Comparison> comparisons() {
            return List.of(this);
        }
    }

    /** Comparisons that must all hold; none is every run. */
    record And(List<Comparison> comparisons) implements RunFilter {
        public And {
            comparisons = List.copyOf(comparisons);
        }
    }
}
