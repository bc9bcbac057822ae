package dev.seer.registry.search;

import dev.seer.core.store.SqlDialect;
import dev.seer.registry.search.RunFilter.Comparison;
import dev.seer.registry.search.RunFilter.Entity;
import dev.seer.registry.search.RunFilter.Millis;
import dev.seer.registry.search.RunFilter.Operator;
import dev.seer.registry.search.RunFilter.Real;
import dev.seer.registry.search.RunFilter.Text;
import dev.seer.registry.search.RunFilter.Texts;
import dev.seer.registry.search.RunFilter.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Compiles a {@link RunSearch} to one SELECT of run ids. The shape:
 *
 * <pre>
 * SELECT r.run_id FROM runs r
 *   JOIN latest_metrics f0 ON f0.run_id = r.run_id AND f0.key = ? AND f0.is_nan = 0 AND f0.value &gt; ?
 *   JOIN params f1 ON f1.run_id = r.run_id AND f1.key = ? AND f1.value = ?
 *   LEFT JOIN latest_metrics o0 ON o0.run_id = r.run_id AND o0.key = ?
 * WHERE r.experiment_id IN (?) AND r.lifecycle_stage = ? [AND attribute comparisons]
 * ORDER BY CASE WHEN o0.run_id IS NULL THEN 2 WHEN o0.is_nan = 1 THEN 1 ELSE 0 END, o0.value DESC,
 *          r.start_time DESC, r.run_id
 * LIMIT ? OFFSET ?
 * </pre>
 *
 * <p>Safety: the SQL text is built only from this class's literals: table and column names come
 * from {@link Entity} and {@link RunAttribute}, operators from a switch, aliases are numbered.
 * Every key, value, pattern, id and bound is a {@code ?} parameter.
 *
 * <p>Why joins: a run has at most one row per key in {@code latest_metrics}, {@code params} and
 * {@code tags} (their primary key is {@code (run_id, key)}), so an inner join on a key is an
 * EXISTS that cannot duplicate runs, and it leaves the planner free to start from whichever side
 * is selective: a metric range or a param value through {@code (key, value)} indexes, or the runs
 * of an experiment through {@code runs (experiment_id, start_time DESC, run_id)}, which also
 * delivers the default order without sorting. As in MLflow, a run without the key does not match
 * any comparison on it ({@code !=} included); a NaN metric matches no numeric comparison.
 *
 * <p>Order: MLflow puts values first, then NaN, then missing, in either direction; the CASE
 * rank does that on both engines (PostgreSQL would otherwise put NULLs first when descending).
 * Strings order by code point ({@code COLLATE "C"} on PostgreSQL, SQLite's BINARY), so both
 * engines agree; run ids (hex) are left in the column's collation so that the runs index keeps
 * serving the default order. The page fetches one row more than it shows, to know if another page follows.
 *
 * <p>Speed of an order by a metric: the CASE rank above can come from no index, so that query
 * joins every matching run and sorts them all (seconds for 100,000 runs on SQLite when the
 * filter matches most of them). But the runs with a value of that metric come first, so when
 * they alone fill the page, the page is the first rows of {@link #leadingMetric}'s query: those
 * runs only, ordered by {@code o0.value} first, which the {@code latest_metrics (key, value)}
 * index yields in order, letting the engine stop after the page instead of sorting all. On
 * SQLite, {@code CROSS JOIN}s make that index the outer loop; PostgreSQL's planner picks for
 * itself. Such a walk is cheap when matches are dense and costly when they are rare, so
 * {@link RunSearch#execute} walks in bounded stretches ({@link #walkStretch}, {@link #walkBound})
 * and otherwise runs the complete query, which each engine plans from its statistics.
 */
final class RunSqlCompiler {
    /** Characters of a parameter's or tag's value that PostgreSQL's (key, value) index holds. */
    static final int INDEXED_PREFIX = 200;

    private final RunSearch search;
    private final SqlDialect dialect;
    /** The first order key, a metric, drives the query as {@code o0} (see {@link #leadingMetric}); else null. */
    private final OrderBy leading;
    private final StringBuilder joins = new StringBuilder();
    private final List<Object> joinParameters = new ArrayList<>();
    private final StringBuilder where = new StringBuilder();
    private final List<Object> whereParameters = new ArrayList<>();
    private final List<String> order = new ArrayList<>();
    private int aliases;

    private RunSqlCompiler(RunSearch search, SqlDialect dialect, OrderBy leading) {
        this.search = search;
        this.dialect = dialect;
        this.leading = leading;
    }

    /** The complete query: every matching run, in order. */
    static Query compile(RunSearch search, SqlDialect dialect) {
        return new RunSqlCompiler(search, dialect, null).compile();
    }

    /**
     * When the first order key is a metric: the same search over only the runs that have a
     * (non-NaN) value of it. Its rows are a prefix of the complete query's, so a full page of
     * them is the page.
     */
    static Optional<Query> leadingMetric(RunSearch search, SqlDialect dialect) {
        return search.orderBy().stream().findFirst().filter(o -> o.entity() == Entity.METRIC)
                .map(first -> new RunSqlCompiler(search, dialect, first).compile());
    }

    /**
     * One stretch of {@link #leadingMetric(RunSearch, SqlDialect)}'s walk: its first
     * {@code limit} runs whose value of the metric lies between {@code after} (exclusive, where
     * the previous stretch stopped) and {@code through} (inclusive), both in the walk's
     * direction; either end may be open. Every run past {@code through} comes after every run of
     * the stretch in the complete order, so stretches concatenate into a prefix of it.
     */
    static Query walkStretch(RunSearch search, SqlDialect dialect, Optional<Double> after, Optional<Double> through,
            int limit) {
        OrderBy first = search.orderBy().stream().findFirst().filter(o -> o.entity() == Entity.METRIC)
                .orElseThrow(() -> new IllegalArgumentException("the search's order is not led by a metric"));
        return new RunSqlCompiler(search, dialect, first).compile(after, through, limit, 0);
    }

    /**
     * The {@code walk}-th value of the metric in the walk's order (over every run, as the index
     * holds them), where a stretch of at most {@code walk} index entries ends; no row when fewer
     * runs have one. Read from the {@code latest_metrics (key, value)} index alone.
     */
    static Query walkBound(OrderBy metric, SqlDialect dialect, long walk) {
        String sql = "SELECT value FROM latest_metrics WHERE key = ? AND " + notNan(dialect, "latest_metrics")
                + " ORDER BY value" + (metric.ascending() ? " ASC" : " DESC") + " LIMIT 1 OFFSET ?";
        return new Query(sql, List.of(metric.key(), walk - 1));
    }

    private Query compile() {
        return compile(Optional.empty(), Optional.empty(), search.maxResults() + 1, search.offset());
    }

    private Query compile(Optional<Double> after, Optional<Double> through, int limit, int offset) {
        String from = leading == null ? "runs r" : "latest_metrics o0 CROSS JOIN runs r";
        if (leading != null) {
            aliases++;
            where.append("o0.key = ? AND ").append(notNan(dialect, "o0")).append(" AND r.run_id = o0.run_id AND ");
            whereParameters.add(leading.key());
            after.ifPresent(value -> valueCondition(leading.ascending() ? ">" : "<", value));
            through.ifPresent(value -> valueCondition(leading.ascending() ? "<=" : ">=", value));
            order.add("o0.value" + (leading.ascending() ? " ASC" : " DESC"));
        }
        scope();
        search.filter().comparisons().forEach(this::comparison);
        search.orderBy().stream().skip(leading == null ? 0 : 1).forEach(this::orderBy);
        tieBreaks();
        List<Object> parameters = new ArrayList<>(joinParameters);
        parameters.addAll(whereParameters);
        parameters.add(limit);
        parameters.add(offset);
        String sql = "SELECT r.run_id FROM " + from + joins + " WHERE " + where
                + " ORDER BY " + String.join(", ", order) + " LIMIT ? OFFSET ?";
        return new Query(sql, parameters);
    }

    private void valueCondition(String operator, double value) {
        where.append("o0.value ").append(operator).append(" ? AND ");
        whereParameters.add(value);
    }

    private void scope() {
        where.append("r.experiment_id IN (").append(placeholders(search.experimentIds().size())).append(')');
        whereParameters.addAll(search.experimentIds());
        switch (search.viewType()) {
            case ACTIVE_ONLY -> whereCondition("r.lifecycle_stage = ?", List.of("active"));
            case DELETED_ONLY -> whereCondition("r.lifecycle_stage = ?", List.of("deleted"));
            case ALL -> { }
        }
    }

    private void comparison(Comparison comparison) {
        if (comparison.entity() == Entity.ATTRIBUTE) {
            RunAttribute attribute = RunAttribute.forKey(comparison.key()).orElseThrow();
            List<Object> parameters = new ArrayList<>();
            String condition = condition("r." + attribute.key(), comparison.operator(), comparison.value(), parameters);
            whereCondition(condition, parameters);
            return;
        }
        String alias = "f" + aliases++;
        joinParameters.add(comparison.key());
        StringBuilder on = new StringBuilder(alias + ".run_id = r.run_id AND " + alias + ".key = ?");
        if (comparison.entity() == Entity.METRIC) {
            on.append(" AND ").append(notNan(dialect, alias)); // a NaN satisfies no numeric comparison
        }
        Optional<String> prefixed = indexedEquality(comparison, alias);
        on.append(" AND ").append(prefixed.orElseGet(() -> condition(alias + ".value", comparison.operator(),
                comparison.value(), joinParameters)));
        joins.append(joinKeyword()).append(table(comparison.entity())).append(' ').append(alias).append(" ON ").append(on);
    }

    /**
     * PostgreSQL indexes a parameter's or tag's value by its first {@link #INDEXED_PREFIX}
     * characters (a whole value may be longer than a B-tree entry holds; registry migration V5),
     * so an equality is written on that prefix, which the index serves. For a value shorter than
     * the prefix the prefix comparison alone is the equality (a longer stored value has a prefix
     * of full length, so it cannot equal it); only a value of the prefix's length or more also
     * compares the whole. One condition rather than both: with both, {@code params.p0 = '3'} over
     * 100,000 runs took 38.6 ms instead of 4.3 (p50), the planner likely multiplying the two
     * conditions' selectivities as if they were independent.
     */
    private Optional<String> indexedEquality(Comparison comparison, String alias) {
        if (dialect != SqlDialect.POSTGRESQL || comparison.entity() == Entity.METRIC
                || comparison.operator() != Operator.EQ || !(comparison.value() instanceof Text text)) {
            return Optional.empty(); // parameters and tags compare by =, !=, LIKE and ILIKE; only = can use it
        }
        String prefix = "left(" + alias + ".value, " + INDEXED_PREFIX + ")";
        String value = text.value();
        if (value.codePointCount(0, value.length()) < INDEXED_PREFIX) {
            joinParameters.add(value);
            return Optional.of(prefix + " = ?");
        }
        joinParameters.add(value);
        joinParameters.add(value);
        return Optional.of(alias + ".value = ? AND " + prefix + " = left(?, " + INDEXED_PREFIX + ")");
    }

    /** {@code column operator ?}, adding the bound values to {@code parameters}. */
    private String condition(String column, Operator operator, Value value, List<Object> parameters) {
        if (value instanceof Real real) {
            parameters.add(real.value());
        } else if (value instanceof Millis millis) {
            parameters.add(millis.value());
        } else if (value instanceof Text text) {
            parameters.add(pattern(operator, text.value()));
        } else {
            parameters.addAll(((Texts) value).values());
        }
        return switch (operator) {
            case EQ -> column + " = ?";
            case NE -> column + " <> ?";
            case GT -> column + " > ?";
            case GE -> column + " >= ?";
            case LT -> column + " < ?";
            case LE -> column + " <= ?";
            case LIKE -> dialect == SqlDialect.SQLITE ? column + " GLOB ?" : column + " LIKE ? ESCAPE '\\'";
            case ILIKE -> dialect == SqlDialect.SQLITE ? "lower(" + column + ") LIKE lower(?) ESCAPE '\\'"
                    : column + " ILIKE ? ESCAPE '\\'";
            case IN -> column + " IN (" + placeholders(((Texts) value).values().size()) + ")";
            case NOT_IN -> column + " NOT IN (" + placeholders(((Texts) value).values().size()) + ")";
        };
    }

    /** A LIKE pattern in the form the engine's operator reads; other strings as they are. */
    private String pattern(Operator operator, String value) {
        if (operator == Operator.LIKE && dialect == SqlDialect.SQLITE) {
            return LikePattern.toGlob(value);
        }
        return operator == Operator.LIKE || operator == Operator.ILIKE ? LikePattern.toLike(value) : value;
    }

    private void orderBy(OrderBy orderBy) {
        String direction = orderBy.ascending() ? " ASC" : " DESC";
        if (orderBy.entity() == Entity.ATTRIBUTE) {
            RunAttribute attribute = orderBy.attribute();
            String column = "r." + attribute.key();
            if (attribute.isNullable()) {
                order.add("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END");
            }
            order.add(column + (attribute.isTime() || attribute == RunAttribute.RUN_ID ? "" : collate()) + direction);
            return;
        }
        String alias = "o" + aliases++;
        joins.append(" LEFT JOIN ").append(table(orderBy.entity())).append(' ').append(alias)
                .append(" ON ").append(alias).append(".run_id = r.run_id AND ").append(alias).append(".key = ?");
        joinParameters.add(orderBy.key());
        if (orderBy.entity() == Entity.METRIC) {
            order.add("CASE WHEN " + alias + ".run_id IS NULL THEN 2 WHEN " + isNan(alias) + " THEN 1 ELSE 0 END");
            order.add(alias + ".value" + direction);
        } else {
            order.add("CASE WHEN " + alias + ".run_id IS NULL THEN 1 ELSE 0 END");
            order.add(alias + ".value" + collate() + direction);
        }
    }

    /** MLflow's default order closes every order: newest first, then by run id. */
    private void tieBreaks() {
        if (!ordersBy(RunAttribute.START_TIME)) {
            order.add("r.start_time DESC");
        }
        if (!ordersBy(RunAttribute.RUN_ID)) {
            order.add("r.run_id"); // hex ids order alike in every collation, and so the index serves the order
        }
    }

    private boolean ordersBy(RunAttribute attribute) {
        return search.orderBy().stream().anyMatch(o -> o.attribute() == attribute);
    }

    private void whereCondition(String condition, List<Object> parameters) {
        where.append(" AND ").append(condition);
        whereParameters.addAll(parameters);
    }

    private static String table(Entity entity) {
        return switch (entity) {
            case METRIC -> "latest_metrics";
            case PARAM -> "params";
            case TAG -> "tags";
            case ATTRIBUTE -> throw new IllegalArgumentException("attributes are columns of runs");
        };
    }

    /**
     * SQLite's planner keeps the tables of a CROSS JOIN in their written order: under a leading
     * metric the filters are then looked up per run in index order, rather than driving the scan.
     */
    private String joinKeyword() {
        return leading != null && dialect == SqlDialect.SQLITE ? " CROSS JOIN " : " JOIN ";
    }

    /** SQLite stores is_nan as 0 or 1, PostgreSQL as a boolean. */
    private static String notNan(SqlDialect dialect, String alias) {
        return dialect == SqlDialect.SQLITE ? alias + ".is_nan = 0" : "NOT " + alias + ".is_nan";
    }

    private String isNan(String alias) {
        return dialect == SqlDialect.SQLITE ? alias + ".is_nan = 1" : alias + ".is_nan";
    }

    /** Code-point order on PostgreSQL, whatever the database's collation; SQLite's default already is. */
    private String collate() {
        return dialect == SqlDialect.POSTGRESQL ? " COLLATE \"C\"" : "";
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
