package dev.seer.registry.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.metadata.MetadataDatabase;
import dev.seer.registry.RegistrySchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run search against a real engine: the registry schema, six runs written with plain SQL, and
 * every search checked for exactly its run ids in order. Each backend runs the same expectations,
 * so SQLite and PostgreSQL answer alike.
 */
abstract class RunSearchContract {
    private static final double NAN = Double.NaN;

    MetadataDatabase database;

    /** Opens an empty metadata store of the backend under test. */
    abstract MetadataDatabase open() throws Exception;

    void afterClose() throws Exception {}

    @BeforeEach
    void createRuns() throws Exception {
        database = open();
        RegistrySchema.migrate(database);
        database.inTransaction(c -> {
            experiment(c, 1, "one");
            experiment(c, 2, "two");
            run(c, "r1", 1, "alpha", "ann", "FINISHED", 1000, 2000L, "active");
            run(c, "r2", 1, "Beta", "bob", "RUNNING", 2000, null, "active");
            run(c, "r3", 1, "gamma_1", "ann", "FINISHED", 3000, 4000L, "active");
            run(c, "r4", 1, "delta", "cat", "FAILED", 4000, 4500L, "deleted");
            run(c, "r5", 2, "epsilon", "ann", "FINISHED", 5000, 6000L, "active");
            run(c, "r6", 1, "a%b", "Bob", "FAILED", 3000, null, "active");
            metrics(c, "r1", Map.of("auc", 0.9, "loss", 0.3));
            metrics(c, "r2", Map.of("auc", 0.7, "loss", NAN));
            metrics(c, "r3", Map.of("auc", NAN, "loss", 0.1));
            metrics(c, "r4", Map.of("auc", 0.95));
            metrics(c, "r5", Map.of("auc", 0.8));
            metrics(c, "r6", Map.of("a;DROP TABLE runs", 1.0));
            strings(c, "params", "r1", Map.of("model", "gbm", "depth", "5", "pattern", "axxb", "x", "a' OR 1=1 --"));
            strings(c, "params", "r2", Map.of("model", "GBM", "depth", "10"));
            strings(c, "params", "r3", Map.of("model", "linear"));
            strings(c, "params", "r4", Map.of("model", "gbm"));
            strings(c, "params", "r5", Map.of("model", "gbm"));
            strings(c, "params", "r6", Map.of("model", "g_m", "pattern", "a*b"));
            strings(c, "tags", "r1", Map.of("team", "Vision"));
            strings(c, "tags", "r2", Map.of("team", "vision"));
            strings(c, "tags", "r3", Map.of("team", "audio"));
            strings(c, "tags", "r5", Map.of("team", "Vision"));
            return null;
        });
    }

    @AfterEach
    void closeDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
        afterClose();
    }

    @Test
    void withoutAFilterTheActiveRunsComeNewestFirstTiesByRunId() {
        assertThat(search("")).containsExactly("r3", "r6", "r2", "r1");
        assertThat(search(List.of(1L, 2L), "", List.of(), ViewType.ACTIVE_ONLY)).containsExactly("r5", "r3", "r6", "r2", "r1");
        assertThat(search(List.of(1L), "", List.of(), ViewType.DELETED_ONLY)).containsExactly("r4");
        assertThat(search(List.of(1L), "", List.of(), ViewType.ALL)).containsExactly("r4", "r3", "r6", "r2", "r1");
        assertThat(search(List.of(3L), "", List.of(), ViewType.ALL)).isEmpty();
    }

    @Test
    void metricsCompareTheirLatestValueAndNanMatchesNothing() {
        assertThat(search("metrics.auc > 0.75")).containsExactly("r1");
        assertThat(search(List.of(1L, 2L), "metrics.auc > 0.75", List.of(), ViewType.ACTIVE_ONLY)).containsExactly("r5", "r1");
        assertThat(search("metrics.auc != 0.9")).containsExactly("r2");
        assertThat(search("metrics.auc <= 0.7")).containsExactly("r2");
        assertThat(search("metrics.auc = 0.7")).containsExactly("r2");
        assertThat(search("metrics.loss < 1")).containsExactly("r3", "r1");
        assertThat(search("metrics.loss = 0")).as("a NaN is stored as 0 and still matches nothing").isEmpty();
        assertThat(search("metrics.loss >= -1e3")).containsExactly("r3", "r1");
        assertThat(search("metrics.missing > 0")).isEmpty();
    }

    @Test
    void paramsAndTagsCompareCaseSensitivelyExceptIlike() {
        assertThat(search("params.model = 'gbm'")).containsExactly("r1");
        assertThat(search("params.model = 'GBM'")).containsExactly("r2");
        assertThat(search("params.model != 'gbm'")).containsExactly("r3", "r6", "r2");
        assertThat(search("params.model LIKE 'g%'")).containsExactly("r6", "r1");
        assertThat(search("params.model ILIKE 'g%'")).containsExactly("r6", "r2", "r1");
        assertThat(search("params.model ILIKE 'GB_'")).containsExactly("r2", "r1");
        assertThat(search("tags.team = 'Vision'")).containsExactly("r1");
        assertThat(search("tags.team LIKE 'V%'")).containsExactly("r1");
        assertThat(search("tags.team ILIKE 'vision'")).containsExactly("r2", "r1");
        assertThat(search("tags.team != 'Vision'")).as("a run without the tag does not match").containsExactly("r3", "r2");
    }

    @Test
    void likeWildcardsAndEscapesMatchTheSameOnEveryEngine() {
        assertThat(search("params.model LIKE 'g_m'")).containsExactly("r6", "r1");
        assertThat(search("params.model LIKE 'g\\_m'")).containsExactly("r6");
        assertThat(search("params.pattern LIKE 'a*b'")).as("a glob star is literal").containsExactly("r6");
        assertThat(search("params.pattern LIKE '%*%'")).containsExactly("r6");
        assertThat(search("params.pattern LIKE 'a%b'")).containsExactly("r6", "r1");
        assertThat(search("params.pattern LIKE 'a?b'")).isEmpty();
        assertThat(search("run_name LIKE 'a%'")).containsExactly("r6", "r1");
        assertThat(search("run_name LIKE 'a\\%b'")).containsExactly("r6");
        assertThat(search("run_name LIKE 'A%'")).isEmpty();
        assertThat(search("run_name ILIKE 'BETA'")).containsExactly("r2");
        assertThat(search("artifact_uri LIKE '%/r1/%'")).containsExactly("r1");
    }

    @Test
    void attributesCompareTheirColumns() {
        assertThat(search("attributes.status = 'FINISHED'")).containsExactly("r3", "r1");
        assertThat(search("user_id = 'bob'")).containsExactly("r2");
        assertThat(search("user_id ILIKE 'bob'")).containsExactly("r6", "r2");
        assertThat(search("run.run_id IN ('r1', 'r3', 'zz')")).containsExactly("r3", "r1");
        assertThat(search("attr.run_id NOT IN ('r1')")).containsExactly("r3", "r6", "r2");
        assertThat(search("start_time >= 2000 AND start_time < 3000")).containsExactly("r2");
        assertThat(search("end_time > 0")).as("a running run has no end").containsExactly("r3", "r1");
        assertThat(search("created > 2500")).containsExactly("r3", "r6");
        assertThat(search(List.of(1L), "lifecycle_stage = 'deleted'", List.of(), ViewType.ALL)).containsExactly("r4");
    }

    @Test
    void comparisonsJoinedByAndMustAllHold() {
        assertThat(search("metrics.auc >= 0.7 AND params.model = 'gbm'")).containsExactly("r1");
        assertThat(search("metrics.auc > 0 and params.model ILIKE 'gbm' AND tags.team ILIKE 'vision' AND status != 'FAILED'"))
                .containsExactly("r2", "r1");
        assertThat(search("params.model = 'gbm' AND params.model = 'GBM'")).isEmpty();
    }

    @Test
    void metricOrderPutsValuesThenNanThenMissingInEitherDirection() {
        assertThat(search("", "metrics.auc DESC")).containsExactly("r1", "r2", "r3", "r6");
        assertThat(search("", "metrics.auc ASC")).containsExactly("r2", "r1", "r3", "r6");
        assertThat(search("", "metrics.loss")).containsExactly("r3", "r1", "r2", "r6");
        assertThat(search("", "metrics.loss DESC")).containsExactly("r1", "r3", "r2", "r6");
    }

    @Test
    void paramTagAndAttributeOrdersPutMissingLastAndCompareCodePoints() {
        assertThat(search("", "params.depth")).containsExactly("r2", "r1", "r3", "r6");
        assertThat(search("", "params.depth DESC")).containsExactly("r1", "r2", "r3", "r6");
        assertThat(search("", "params.model")).containsExactly("r2", "r6", "r1", "r3");
        assertThat(search("", "tags.team")).containsExactly("r1", "r3", "r2", "r6");
        assertThat(search("", "attributes.run_name ASC")).containsExactly("r2", "r6", "r1", "r3");
        assertThat(search("", "end_time DESC")).containsExactly("r3", "r1", "r6", "r2");
        assertThat(search("", "end_time")).containsExactly("r1", "r3", "r6", "r2");
        assertThat(search("", "start_time ASC")).containsExactly("r1", "r2", "r3", "r6");
        assertThat(search("", "run_id DESC")).containsExactly("r6", "r3", "r2", "r1");
        assertThat(search(List.of(1L), "", List.of("tags.team DESC", "metrics.auc"), ViewType.ACTIVE_ONLY))
                .containsExactly("r2", "r3", "r1", "r6");
    }

    @Test
    void pagesFollowTheirTokensToTheEnd() {
        RunSearch.RunPage first = page("", List.of(), null, 3);
        assertThat(first.runIds()).containsExactly("r3", "r6", "r2");
        assertThat(first.nextPageToken()).contains(PageToken.encode(3));
        RunSearch.RunPage second = page("", List.of(), first.nextPageToken().orElseThrow(), 3);
        assertThat(second.runIds()).containsExactly("r1");
        assertThat(second.nextPageToken()).isEmpty();
        assertThat(page("", List.of(), null, 4).nextPageToken()).isEmpty();

        List<String> all = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            RunSearch.RunPage one = page("", List.of("metrics.auc DESC"), token.orElse(null), 1);
            all.addAll(one.runIds());
            token = one.nextPageToken();
        } while (token.isPresent());
        assertThat(all).containsExactly("r1", "r2", "r3", "r6");
    }

    @Test
    void aMetricOrderGivesTheSamePagesWhetherTheRunsWithAValueFillThemOrNot() {
        for (int size = 1; size <= 5; size++) {
            List<String> all = new ArrayList<>();
            Optional<String> token = Optional.empty();
            do {
                RunSearch.RunPage one = page("", List.of("metrics.loss ASC"), token.orElse(null), size);
                all.addAll(one.runIds());
                token = one.nextPageToken();
            } while (token.isPresent());
            assertThat(all).as("pages of %s", size).containsExactly("r3", "r1", "r2", "r6");
        }
    }

    @Test
    void injectionTextIsMatchedAsDataAndLeavesTheTablesIntact() throws SQLException {
        Map<String, Integer> before = counts();
        assertThat(search("params.x = 'a'' OR 1=1 --'")).containsExactly("r1");
        assertThat(search("metrics.`a;DROP TABLE runs` > 0")).containsExactly("r6");
        assertThat(search("params.model = 'gbm''; DROP TABLE runs; --'")).isEmpty();
        assertThat(search("tags.`team'; DELETE FROM tags; --` = 'x'")).isEmpty();
        assertThat(search("run_id IN ('r1''); DROP TABLE params; --')")).isEmpty();
        assertThat(search("", "params.`x; DROP TABLE runs`")).containsExactly("r3", "r6", "r2", "r1");
        assertThat(counts()).isEqualTo(before).containsEntry("runs", 6).containsEntry("params", 11);
    }

    /**
     * A few thousand runs against the same search done in memory: a metric and a param filter,
     * ordered by a metric with NaN and missing values, two pages. Not timed; it checks that the
     * query stays right when planners pick indexes.
     */
    @Test
    void thousandsOfRunsAgreeWithTheSameSearchInMemory() throws SQLException {
        List<Generated> runs = generate(3000);
        database.inTransaction(c -> {
            insertGenerated(c, runs);
            return null;
        });
        List<String> expected = runs.stream()
                .filter(r -> !Double.isNaN(r.m0()) && r.m0() > 0.5 && r.p0().equals("v3"))
                .sorted(Comparator.comparingInt(Generated::rank).thenComparing(Generated::m1OrZero, Comparator.reverseOrder())
                        .thenComparing(Generated::startTime, Comparator.reverseOrder()).thenComparing(Generated::runId))
                .map(Generated::runId).toList();
        assertThat(expected).hasSizeGreaterThan(200);
        List<Long> experiment = List.of(7L);
        String filter = "metrics.m0 > 0.5 AND params.p0 = 'v3'";
        RunSearch.RunPage first = RunSearch.of(experiment, filter, List.of("metrics.m1 DESC"), ViewType.ACTIVE_ONLY, null, 100)
                .execute(database);
        assertThat(first.runIds()).isEqualTo(expected.subList(0, 100));
        RunSearch.RunPage second = RunSearch.of(experiment, filter, List.of("metrics.m1 DESC"), ViewType.ACTIVE_ONLY,
                first.nextPageToken().orElseThrow(), 100).execute(database);
        assertThat(second.runIds()).isEqualTo(expected.subList(100, 200));
        // The third page crosses from the runs with a value of m1 to those with NaN or none.
        int withValue = (int) runs.stream().filter(r -> r.rank() == 0 && expected.contains(r.runId())).count();
        assertThat(withValue).isBetween(201, 299);
        RunSearch third = RunSearch.of(experiment, filter, List.of("metrics.m1 DESC"), ViewType.ACTIVE_ONLY,
                second.nextPageToken().orElseThrow(), 100);
        try (Connection c = database.connection()) {
            assertThat(RunSearch.fetch(c, RunSqlCompiler.leadingMetric(third, database.dialect()).orElseThrow()))
                    .isEqualTo(expected.subList(200, withValue));
        }
        assertThat(third.execute(database).runIds()).isEqualTo(expected.subList(200, Math.min(300, expected.size())));
    }

    /**
     * The walk of an order led by a metric reads in stretches and gives up on rare matches
     * ({@link RunSearch#walk}). Pages of 20 over filters from dense to rare (about 10 % to
     * 0.2 % of the runs), both directions, must equal the same search done in memory, page
     * after page to the end: that takes the first stretch alone, a second stretch, and the
     * complete query. The values of m1 repeat (51 of them over 3,000 runs), so stretches end
     * inside runs of equal values.
     */
    @Test
    void pagesAgreeWithTheSearchInMemoryAtEveryDensity() throws SQLException {
        List<Generated> runs = generate(3000);
        database.inTransaction(c -> {
            insertGenerated(c, runs);
            return null;
        });
        for (double threshold : new double[] {0.5, 0.8, 0.95, 0.99}) {
            for (boolean ascending : new boolean[] {false, true}) {
                Comparator<Generated> byM1 = Comparator.comparing(Generated::m1OrZero);
                List<String> expected = runs.stream()
                        .filter(r -> !Double.isNaN(r.m0()) && r.m0() > threshold && r.p0().equals("v3"))
                        .sorted(Comparator.comparingInt(Generated::rank).thenComparing(ascending ? byM1 : byM1.reversed())
                                .thenComparing(Generated::startTime, Comparator.reverseOrder()).thenComparing(Generated::runId))
                        .map(Generated::runId).toList();
                String filter = "metrics.m0 > " + threshold + " AND params.p0 = 'v3'";
                List<String> order = List.of("metrics.m1 " + (ascending ? "ASC" : "DESC"));
                List<String> paged = new ArrayList<>();
                String token = null;
                do {
                    RunSearch.RunPage page = RunSearch.of(List.of(7L), filter, order, ViewType.ACTIVE_ONLY, token, 20)
                            .execute(database);
                    paged.addAll(page.runIds());
                    token = page.nextPageToken().orElse(null);
                } while (token != null);
                assertThat(paged).as("%s ordered by %s", filter, order).isEqualTo(expected);
            }
        }
    }

    private List<String> search(String filter, String... orderBy) {
        return search(List.of(1L), filter, List.of(orderBy), ViewType.ACTIVE_ONLY);
    }

    private List<String> search(List<Long> experiments, String filter, List<String> orderBy, ViewType viewType) {
        RunSearch.RunPage page = RunSearch.of(experiments, filter, orderBy, viewType, null, 1000).execute(database);
        assertThat(page.nextPageToken()).isEmpty();
        return page.runIds();
    }

    private RunSearch.RunPage page(String filter, List<String> orderBy, String token, int maxResults) {
        return RunSearch.of(List.of(1L), filter, orderBy, ViewType.ACTIVE_ONLY, token, maxResults).execute(database);
    }

    private Map<String, Integer> counts() throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            for (String table : List.of("experiments", "runs", "params", "tags", "latest_metrics")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getInt(1));
                }
            }
        }
        return counts;
    }

    private static void experiment(Connection c, long id, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO experiments"
                + " (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)"
                + " VALUES (?, ?, ?, 'active', 0, 0)")) {
            s.setLong(1, id);
            s.setString(2, name);
            s.setString(3, "file:///a/" + name);
            s.executeUpdate();
        }
    }

    private static void run(Connection c, String runId, long experiment, String name, String user, String status, long start,
            Long end, String stage) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(RUN_INSERT)) {
            bindRun(s, runId, experiment, name, user, status, start, end, stage);
            s.executeUpdate();
        }
    }

    private static final String RUN_INSERT = "INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time,"
            + " end_time, lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static void bindRun(PreparedStatement s, String runId, long experiment, String name, String user, String status,
            long start, Long end, String stage) throws SQLException {
        s.setString(1, runId);
        s.setLong(2, experiment);
        s.setString(3, name);
        s.setString(4, user);
        s.setString(5, status);
        s.setLong(6, start);
        if (end == null) {
            s.setNull(7, Types.BIGINT);
        } else {
            s.setLong(7, end);
        }
        s.setString(8, stage);
        s.setString(9, "file:///a/" + runId + "/artifacts");
    }

    private static final String METRIC_INSERT =
            "INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, 0, 0)";

    private static void metrics(Connection c, String runId, Map<String, Double> metrics) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(METRIC_INSERT)) {
            for (Map.Entry<String, Double> metric : metrics.entrySet()) {
                bindMetric(s, runId, metric.getKey(), metric.getValue());
                s.executeUpdate();
            }
        }
    }

    /** A NaN is stored as 0 with is_nan set, as the schema says. */
    private static void bindMetric(PreparedStatement s, String runId, String key, double value) throws SQLException {
        s.setString(1, runId);
        s.setString(2, key);
        s.setDouble(3, Double.isNaN(value) ? 0 : value);
        s.setBoolean(4, Double.isNaN(value));
    }

    private static void strings(Connection c, String table, String runId, Map<String, String> values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (run_id, key, value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> value : values.entrySet()) {
                s.setString(1, runId);
                s.setString(2, value.getKey());
                s.setString(3, value.getValue());
                s.executeUpdate();
            }
        }
    }

    /** A generated run; m1 is NaN for every 7th run and missing for every 11th. */
    private record Generated(String runId, long startTime, double m0, Double m1, String p0) {
        int rank() {
            return m1 == null ? 2 : m1.isNaN() ? 1 : 0;
        }

        double m1OrZero() {
            return rank() == 0 ? m1 : 0;
        }
    }

    private static List<Generated> generate(int count) {
        Random random = new Random(42);
        List<Generated> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double m0 = i % 13 == 0 ? NAN : random.nextDouble();
            Double m1 = i % 11 == 0 ? null : i % 7 == 0 ? NAN : Math.round(random.nextDouble() * 50) / 50.0;
            runs.add(new Generated(String.format("g%05d", i), 100_000 + (i * 7919L) % 1000, m0, m1, "v" + random.nextInt(5)));
        }
        return runs;
    }

    private static void insertGenerated(Connection c, List<Generated> runs) throws SQLException {
        experiment(c, 7, "generated");
        try (PreparedStatement run = c.prepareStatement(RUN_INSERT);
                PreparedStatement metric = c.prepareStatement(METRIC_INSERT);
                PreparedStatement param = c.prepareStatement("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)")) {
            for (Generated r : runs) {
                bindRun(run, r.runId(), 7, r.runId(), "gen", "FINISHED", r.startTime(), null, "active");
                run.addBatch();
                bindMetric(metric, r.runId(), "m0", r.m0());
                metric.addBatch();
                if (r.m1() != null) {
                    bindMetric(metric, r.runId(), "m1", r.m1());
                    metric.addBatch();
                }
                for (int p = 0; p < 3; p++) {
                    param.setString(1, r.runId());
                    param.setString(2, "p" + p);
                    param.setString(3, p == 0 ? r.p0() : "other" + p);
                    param.addBatch();
                }
            }
            run.executeBatch();
            metric.executeBatch();
            param.executeBatch();
        }
    }
}
