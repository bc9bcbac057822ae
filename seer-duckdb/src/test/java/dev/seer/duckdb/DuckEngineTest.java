package dev.seer.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckEngineTest {
    @TempDir
    Path dir;

    @Test
    void aLongStatementReportsItsProgressAsABar() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        String csv = DuckEngine.literal(dir.resolve("big.csv").toString());
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT i, i * 2.5 AS x, 'row ' || i AS label FROM range(3000000) r(i)) TO " + csv + " (HEADER)");
            // DuckDB estimates progress from the rows a scan has read of its total: a file read reports it.
            DuckEngine.executeWithProgress(duck, "CREATE TABLE t AS SELECT * FROM read_csv(" + csv + ")", "loading",
                    reports::add, Duration.ofMillis(10));
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3_000_000L); // the statement ran to the end
            }
        }
        assertThat(reports).isNotEmpty().allSatisfy(r -> assertThat(r).matches("loading \\[#*-*\\] \\d{1,3}%"));
    }

    @Test
    void theBarFillsInTwentiethsAndStaysWithinBounds() {
        assertThat(DuckEngine.bar(0)).isEqualTo("[--------------------] 0%");
        assertThat(DuckEngine.bar(42.4)).isEqualTo("[########------------] 42%");
        assertThat(DuckEngine.bar(100)).isEqualTo("[####################] 100%");
        assertThat(DuckEngine.bar(130)).isEqualTo("[####################] 100%");
    }
}
