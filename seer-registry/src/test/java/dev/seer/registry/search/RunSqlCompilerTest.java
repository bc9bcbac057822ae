package dev.seer.registry.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.store.SqlDialect;
import dev.seer.registry.RegistryErrorCode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunSqlCompilerTest {
    @Test
    void theShapeOnSqlite() {
        Query query = RunSearch.of(List.of(1L, 2L), "metrics.auc > 0.5 AND params.model = 'gbm' AND status != 'FAILED'",
                List.of("metrics.loss DESC"), ViewType.ACTIVE_ONLY, null, 100).toQuery(SqlDialect.SQLITE);
        assertThat(query.sql()).isEqualTo("SELECT r.run_id FROM runs r"
                + " JOIN latest_metrics f0 ON f0.run_id = r.run_id AND f0.key = ? AND f0.is_nan = 0 AND f0.value > ?"
                + " JOIN params f1 ON f1.run_id = r.run_id AND f1.key = ? AND f1.value = ?"
                + " LEFT JOIN latest_metrics o2 ON o2.run_id = r.run_id AND o2.key = ?"
                + " WHERE r.experiment_id IN (?, ?) AND r.lifecycle_stage = ? AND r.status <> ?"
                + " ORDER BY CASE WHEN o2.run_id IS NULL THEN 2 WHEN o2.is_nan = 1 THEN 1 ELSE 0 END, o2.value DESC,"
                + " r.start_time DESC, r.run_id LIMIT ? OFFSET ?");
        assertThat(query.parameters()).containsExactly("auc", 0.5, "model", "gbm", "loss", 1L, 2L, "active", "FAILED", 101, 0);
    }

    @Test
    void theShapeOnPostgresql() {
        Query query = RunSearch.of(List.of(3L), "tags.team ILIKE 'vis%' AND params.p LIKE 'a\\_%'",
                List.of("params.p", "attributes.run_id DESC"), ViewType.ALL, PageToken.encode(20), 10)
                .toQuery(SqlDialect.POSTGRESQL);
        assertThat(query.sql()).isEqualTo("SELECT r.run_id FROM runs r"
                + " JOIN tags f0 ON f0.run_id = r.run_id AND f0.key = ? AND f0.value ILIKE ? ESCAPE '\\'"
                + " JOIN params f1 ON f1.run_id = r.run_id AND f1.key = ? AND f1.value LIKE ? ESCAPE '\\'"
                + " LEFT JOIN params o2 ON o2.run_id = r.run_id AND o2.key = ?"
                + " WHERE r.experiment_id IN (?)"
                + " ORDER BY CASE WHEN o2.run_id IS NULL THEN 1 ELSE 0 END, o2.value COLLATE \"C\" ASC,"
                + " r.run_id DESC, r.start_time DESC LIMIT ? OFFSET ?");
        assertThat(query.parameters()).containsExactly("team", "vis%", "p", "a\\_%", "p", 3L, 11, 20);
    }

    @Test
    void anOrderLedByAMetricAlsoHasTheQueryOfTheRunsWithAValue() {
        RunSearch search = RunSearch.of(List.of(1L), "metrics.auc > 0.5 AND params.model = 'gbm'",
                List.of("metrics.loss DESC", "params.depth"), ViewType.ACTIVE_ONLY, PageToken.encode(10), 100);
        Query sqlite = RunSqlCompiler.leadingMetric(search, SqlDialect.SQLITE).orElseThrow();
        assertThat(sqlite.sql()).isEqualTo("SELECT r.run_id FROM latest_metrics o0 CROSS JOIN runs r"
                + " CROSS JOIN latest_metrics f1 ON f1.run_id = r.run_id AND f1.key = ? AND f1.is_nan = 0 AND f1.value > ?"
                + " CROSS JOIN params f2 ON f2.run_id = r.run_id AND f2.key = ? AND f2.value = ?"
                + " LEFT JOIN params o3 ON o3.run_id = r.run_id AND o3.key = ?"
                + " WHERE o0.key = ? AND o0.is_nan = 0 AND r.run_id = o0.run_id AND r.experiment_id IN (?) AND r.lifecycle_stage = ?"
                + " ORDER BY o0.value DESC, CASE WHEN o3.run_id IS NULL THEN 1 ELSE 0 END, o3.value ASC,"
                + " r.start_time DESC, r.run_id LIMIT ? OFFSET ?");
        assertThat(sqlite.parameters()).containsExactly("auc", 0.5, "model", "gbm", "depth", "loss", 1L, "active", 101, 10);
        assertThat(RunSqlCompiler.leadingMetric(search, SqlDialect.POSTGRESQL).orElseThrow().sql())
                .contains("FROM latest_metrics o0 CROSS JOIN runs r JOIN latest_metrics f1 ON")
                .contains("WHERE o0.key = ? AND NOT o0.is_nan AND r.run_id = o0.run_id");
        assertThat(RunSqlCompiler.leadingMetric(RunSearch.of(List.of(1L), "", List.of("params.depth", "metrics.auc"),
                ViewType.ALL, null, 1), SqlDialect.SQLITE)).isEmpty();
        assertThat(RunSqlCompiler.leadingMetric(RunSearch.of(List.of(1L), "", List.of(), ViewType.ALL, null, 1),
                SqlDialect.SQLITE)).isEmpty();
    }

    @Test
    void sqliteMatchesLikeWithGlobAndIlikeWithLower() {
        Query query = RunSearch.of(List.of(1L), "run_name LIKE 'a*%' AND user_id ILIKE 'AN_'", List.of(), ViewType.DELETED_ONLY,
                null, 5).toQuery(SqlDialect.SQLITE);
        assertThat(query.sql()).contains("WHERE r.experiment_id IN (?) AND r.lifecycle_stage = ?"
                + " AND r.run_name GLOB ? AND lower(r.user_id) LIKE lower(?) ESCAPE '\\'");
        assertThat(query.parameters()).containsExactly(1L, "deleted", "a[*]*", "AN_", 6, 0);
    }

    @Test
    void timesListsAndNullableOrdersCompile() {
        Query query = RunSearch.of(List.of(1L), "start_time >= 10 AND run_id NOT IN ('a', 'b')", List.of("end_time DESC"),
                ViewType.ACTIVE_ONLY, null, 1).toQuery(SqlDialect.POSTGRESQL);
        assertThat(query.sql()).contains("AND r.start_time >= ? AND r.run_id NOT IN (?, ?)")
                .endsWith("ORDER BY CASE WHEN r.end_time IS NULL THEN 1 ELSE 0 END, r.end_time DESC,"
                        + " r.start_time DESC, r.run_id LIMIT ? OFFSET ?");
        assertThat(query.parameters()).containsExactly(1L, "active", 10L, "a", "b", 2, 0);
    }

    @Test
    void noTextOfAFilterReachesTheSql() {
        String hostile = "a'; DROP TABLE runs; --";
        String filter = "params.`" + hostile.replace("`", "``") + "` = '" + hostile.replace("'", "''") + "'"
                + " AND tags.\"x\"\"y\" LIKE 'z'' OR ''1''=''1'"
                + " AND metrics.`m) OR 1=1 --` >= -1e3 AND run_id IN ('q''), (1')";
        for (SqlDialect dialect : SqlDialect.values()) {
            Query query = RunSearch.of(List.of(1L), filter, List.of("metrics.`o; DELETE FROM params`"), ViewType.ALL, null, 3)
                    .toQuery(dialect);
            assertThat(query.sql()).doesNotContain("DROP", "DELETE", "--", " OR ", "1=1", "x\"y", "q'");
            assertThat(query.sql().replace("'\\'", "")).doesNotContain("'");
            assertThat(query.parameters()).contains(hostile, "x\"y", "m) OR 1=1 --", -1000.0, "q'), (1",
                    "o; DELETE FROM params");
        }
    }

    @Test
    void aPageCutsTheExtraRowIntoANextToken() {
        RunSearch search = RunSearch.of(List.of(1L), "", List.of(), ViewType.ALL, PageToken.encode(4), 2);
        assertThat(search.page(List.of("a", "b", "c"))).isEqualTo(new RunSearch.RunPage(List.of("a", "b"),
                Optional.of(PageToken.encode(6))));
        assertThat(search.page(List.of("a", "b"))).isEqualTo(new RunSearch.RunPage(List.of("a", "b"), Optional.empty()));
        assertThat(search.page(List.of())).isEqualTo(new RunSearch.RunPage(List.of(), Optional.empty()));
    }

    @Test
    void aSearchNeedsExperimentsAndASensiblePage() {
        assertInvalid(() -> RunSearch.of(List.of(), "", List.of(), ViewType.ALL, null, 1), "A run search names at least one experiment");
        assertInvalid(() -> RunSearch.of(List.of(1L), "", List.of(), ViewType.ALL, null, 0), "max_results [0] is not between 1 and 50000");
        assertInvalid(() -> RunSearch.of(List.of(1L), "", List.of(), ViewType.ALL, null, 50_001), "max_results [50001]");
        assertInvalid(() -> new RunSearch(List.of(1L), RunFilter.ALL, List.of(), ViewType.ALL, -1, 1), "offset [-1] is out of range");
        assertInvalid(() -> RunSearch.of(List.of(1L), "", List.of(), ViewType.ALL, PageToken.encode(Integer.MAX_VALUE), 10),
                "is out of range");
        assertInvalid(() -> RunSearch.of(List.of(1L), "metrics.a >", List.of(), ViewType.ALL, null, 1), "expected a number");
        assertInvalid(() -> RunSearch.of(List.of(1L), "", List.of("metrics.a up"), ViewType.ALL, null, 1), "found [up]");
        assertInvalid(() -> RunSearch.of(List.of(1L), "", List.of(), ViewType.ALL, "zz", 1), "Page token [zz]");
    }

    private static void assertInvalid(Runnable search, String message) {
        assertThatThrownBy(search::run).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_REQUEST);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
