package dev.seer.registry.search;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.store.SqlDatabase;
import dev.seer.core.store.SqlDialect;
import dev.seer.registry.RegistryErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One page of a run search, MLflow's {@code SearchRuns}: the runs of some experiments that match
 * a filter, in an order, from an offset. {@link #toQuery} compiles it to SQL with bound
 * parameters; {@link #execute} runs that and cuts the page.
 */
public record RunSearch(List<Long> experimentIds, RunFilter filter, List<OrderBy> orderBy, ViewType viewType,
        int offset, int maxResults) {
    /** MLflow's largest page ({@code SEARCH_MAX_RESULTS_THRESHOLD}). */
    public static final int MAX_RESULTS_LIMIT = 50_000;

    /**
     * How PostgreSQL runs a search, for this transaction only. Serially: a page led by a metric
     * walks an index in order and stops after a page, about 20 ms over 100,000 runs; a parallel
     * plan (Gather Merge over two workers) made each worker walk its own share of that index and
     * took about 200 ms on two cores. And planned for its values: a filter matches anything from
     * one run to all of them, so a generic plan cached for the statement fits one search and not
     * the next.
     */
    /** Index entries the first stretch of a walk reads per row the page needs (see {@link #walk}). */
    static final int FIRST_STRETCH = 10;

    /**
     * Index entries a walk may read per row the page needs before the complete query answers
     * instead. Measured over 100,000 runs: a walk costs about 7 µs an entry on SQLite with two
     * filters to check, the complete query planned from a filter matching 5,000 runs about
     * 25 ms; they meet near 40 to 50 entries a row for a page of 100, and a walk wrongly given
     * up costs that query, no more.
     */
    static final int WALK_BUDGET = 50;

    private static final List<String> POSTGRESQL_SETTINGS = List.of(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            "SET LOCAL max_parallel_workers_per_gather = 0", "SET LOCAL plan_cache_mode = force_custom_plan");

    public RunSearch {
        experimentIds = List.copyOf(experimentIds);
        requireNonNull(filter, "filter is null");
        orderBy = List.copyOf(orderBy);
        requireNonNull(viewType, "viewType is null");
        if (experimentIds.isEmpty()) {
            throw invalid("A run search names at least one experiment", Map.of());
        }
        if (maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
            throw invalid("max_results [" + maxResults + "] is not between 1 and " + MAX_RESULTS_LIMIT,
                    Map.of("max_results", maxResults));
        }
        if (offset < 0 || offset > Integer.MAX_VALUE - maxResults - 1) {
            throw invalid("offset [" + offset + "] is out of range", Map.of("offset", offset));
        }
    }

    /** A search from MLflow's request fields: the filter and order as text, and the page token. */
    public static RunSearch of(List<Long> experimentIds, String filter, List<String> orderBy, ViewType viewType,
            String pageToken, int maxResults) {
        return new RunSearch(experimentIds, RunFilter.parse(filter), OrderBy.parseAll(orderBy), viewType,
                PageToken.decode(pageToken), maxResults);
    }

    /** The SELECT of at most {@code maxResults + 1} run ids, in order. */
    public Query toQuery(SqlDialect dialect) {
        return RunSqlCompiler.compile(this, requireNonNull(dialect, "dialect is null"));
    }

    /**
     * Runs the search: its page of run ids, and the token of the next page if there is one. An
     * order led by a metric first tries the query of the runs that have it, which an index
     * serves in order (see {@link RunSqlCompiler}); a page it cannot fill is read in full.
     */
    public RunPage execute(SqlDatabase database) {
        SqlDialect dialect = database.dialect();
        try (Connection connection = database.connection()) {
            // One read transaction, so the walk's statements see one snapshot: a run whose metric
            // moved between two stretches would otherwise be read twice or not at all. SQLite's
            // (in WAL mode) starts at the first read; PostgreSQL's is made repeatable.
            connection.setAutoCommit(false);
            try {
                if (dialect == SqlDialect.POSTGRESQL) {
                    try (Statement settings = connection.createStatement()) {
                        for (String setting : POSTGRESQL_SETTINGS) {
                            settings.execute(setting);
                        }
                    }
                }
                return execute(connection, dialect);
            } finally {
                connection.rollback(); // read only: ends the transaction and with it the settings
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new SeerException(RegistryErrorCode.STORAGE_FAILURE, "Searching runs failed: " + e.getMessage(),
                    Map.of(), e);
        }
    }

    private RunPage execute(Connection connection, SqlDialect dialect) throws SQLException {
        Optional<OrderBy> metric = orderBy.stream().findFirst().filter(o -> o.entity() == RunFilter.Entity.METRIC);
        if (metric.isPresent()) {
            Optional<List<String>> walked = walk(connection, dialect, metric.get());
            if (walked.isPresent()) {
                return page(walked.get().subList(offset, walked.get().size()));
            }
        }
        return page(fetch(connection, toQuery(dialect)));
    }

    /**
     * An order led by a metric, read by walking the {@code latest_metrics (key, value)} index in
     * order: the first {@code offset + maxResults + 1} matching runs, or empty when the walk
     * gives up and the complete query must answer.
     *
     * <p>Why in stretches: a walk pays per run it passes, so it wins when matches are dense (it
     * stops after a page) and loses without bound when they are rare (a filter matching 0.05 %
     * of 100,000 runs walked them all: 1.4 s on SQLite), where the complete query, planned from
     * the filters, reads only their matches. The first stretch walks {@link #FIRST_STRETCH}
     * index entries per row needed; the matches it found estimate the density, and the walk goes
     * on only if the estimate says the rest fits in {@link #WALK_BUDGET} entries per row.
     * Stretches meet at values of the metric (see {@link RunSqlCompiler#walkStretch}), so
     * nothing is read twice and their rows concatenate in order.
     */
    private Optional<List<String>> walk(Connection connection, SqlDialect dialect, OrderBy metric) throws SQLException {
        int needed = offset + maxResults + 1;
        long first = (long) FIRST_STRETCH * needed;
        Optional<Double> firstEnd = walkBound(connection, dialect, metric, first);
        List<String> runIds = new ArrayList<>(fetch(connection,
                RunSqlCompiler.walkStretch(this, dialect, Optional.empty(), firstEnd, needed)));
        if (runIds.size() == needed) {
            return Optional.of(runIds);
        }
        if (firstEnd.isEmpty() || runIds.isEmpty()) {
            return Optional.empty(); // walked them all, or found none to estimate from
        }
        double density = (double) runIds.size() / first;
        double estimate = first + (needed - runIds.size()) / density;
        if (estimate > (double) WALK_BUDGET * needed) {
            return Optional.empty();
        }
        Optional<Double> secondEnd = walkBound(connection, dialect, metric, (long) Math.ceil(estimate * 1.5));
        runIds.addAll(fetch(connection, RunSqlCompiler.walkStretch(this, dialect, firstEnd, secondEnd,
                needed - runIds.size())));
        return runIds.size() == needed ? Optional.of(runIds) : Optional.empty();
    }

    /** The value of {@code metric} at the {@code walk}-th index entry in the order; empty past the last. */
    private static Optional<Double> walkBound(Connection connection, SqlDialect dialect, OrderBy metric, long walk)
            throws SQLException {
        return select(connection, RunSqlCompiler.walkBound(metric, dialect, walk), rows -> rows.getDouble(1)).stream()
                .findFirst();
    }

    /** The run ids {@code query} selects. */
    static List<String> fetch(Connection connection, Query query) throws SQLException {
        return select(connection, query, rows -> rows.getString(1));
    }

    /** A column read from each row. */
    @FunctionalInterface
    private interface Column<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static <T> List<T> select(Connection connection, Query query, Column<T> column) throws SQLException {
        List<T> values = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
            for (int i = 0; i < query.parameters().size(); i++) {
                statement.setObject(i + 1, query.parameters().get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(column.read(rows));
                }
            }
        }
        return values;
    }

    /** The page of up to {@code maxResults + 1} fetched ids: the extra one only says a next page exists. */
    RunPage page(List<String> fetched) {
        if (fetched.size() <= maxResults) {
            return new RunPage(fetched, Optional.empty());
        }
        return new RunPage(fetched.subList(0, maxResults), Optional.of(PageToken.encode(offset + maxResults)));
    }

    private static SeerException invalid(String message, Map<String, ?> details) {
        return new SeerException(RegistryErrorCode.INVALID_REQUEST, message, details);
    }

    /** A page of run ids, in the search's order, and the token of the page after it. */
    public record RunPage(List<String> runIds, Optional<String> nextPageToken) {
        public RunPage {
            runIds = List.copyOf(runIds);
            requireNonNull(nextPageToken, "nextPageToken is null");
        }
    }
}
