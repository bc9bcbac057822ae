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
            Optional<Query> leading = RunSqlCompiler.leadingMetric(this, dialect);
            if (leading.isPresent()) {
                List<String> runIds = fetch(connection, leading.get());
                if (runIds.size() > maxResults) {
                    return page(runIds);
                }
            }
            return page(fetch(connection, toQuery(dialect)));
        } catch (SQLException e) {
            throw new SeerException(RegistryErrorCode.STORAGE_FAILURE, "Searching runs failed: " + e.getMessage(),
                    Map.of(), e);
        }
    }

    /** The run ids {@code query} selects. */
    static List<String> fetch(Connection connection, Query query) throws SQLException {
        List<String> runIds = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
            for (int i = 0; i < query.parameters().size(); i++) {
                statement.setObject(i + 1, query.parameters().get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    runIds.add(rows.getString(1));
                }
            }
        }
        return runIds;
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
