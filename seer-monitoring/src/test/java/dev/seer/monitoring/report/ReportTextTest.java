package dev.seer.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.monitoring.drift.ColumnDrift;
import dev.seer.monitoring.drift.DatasetDrift;
import dev.seer.monitoring.drift.DriftTest;
import dev.seer.monitoring.performance.Metric;
import dev.seer.monitoring.performance.Realised;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTextTest {
    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void rendersAnAlignedTableAndTheVerdict() {
        DatasetDrift drift = new DatasetDrift(List.of(
                new ColumnDrift("income", ColumnDrift.Status.OK, DriftTest.WASSERSTEIN, 0.1234567, Double.NaN,
                        Double.NaN, 0.1, true, 5000, 1200),
                new ColumnDrift("age", ColumnDrift.Status.OK, DriftTest.KS, 0.0512, 0.0213, 0.0426, 0.05, true, 900, 300),
                new ColumnDrift("country", ColumnDrift.Status.OK, DriftTest.CHI_SQUARE, Double.POSITIVE_INFINITY, 0.0,
                        0.0, 0.05, true, 900, 300),
                new ColumnDrift("zip", ColumnDrift.Status.NO_DATA, DriftTest.JENSEN_SHANNON, Double.NaN, Double.NaN,
                        Double.NaN, 0.1, false, 900, 0),
                new ColumnDrift("tenure", ColumnDrift.Status.OK, DriftTest.KS, 0.02, 0.00001234, 0.9, 0.05, false,
                        900, 300)),
                4, 3, 0.75, 0.5, true, true);
        Realised realised = Realised.of(new double[] {0.9, 0.8, 0.3, 0.2}, new int[] {1, 0, 0, 0});
        MonitorReport report = MonitorReport.builder("churn-model", FROM, TO).reference("dataset churn v3")
                .drift(drift).window(FROM, TO, null, realised).metrics(Metric.ACCURACY).build();
        assertThat(ReportText.render(report)).isEqualTo("""
                Monitoring report: churn-model
                Range:     2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z
                Reference: dataset churn v3

                Features:
                feature  test                           statistic  threshold   p-value  adj. p  drifted  ref n  cur n
                -------  -----------------------------  ---------  ---------  --------  ------  -------  -----  -----
                age      K-S p_value                       0.0512     0.0500    0.0213  0.0426  YES        900    300
                country  chi-square p_value                   inf     0.0500         0       0  YES        900    300
                income   Wasserstein distance (normed)     0.1235     0.1000         -       -  YES       5000   1200
                tenure   K-S p_value                       0.0200     0.0500  1.23e-05  0.9000  no         900    300
                zip      Jensen-Shannon distance                -     0.1000         -       -  no data    900      0

                Dataset drift: DRIFT (3 of 4 tested features drifted, 75.0%; threshold 50.0%)
                P-values adjusted for testing many features at once (Benjamini-Hochberg).

                Performance (estimated before labels, with its band; realised, with its 95% interval):
                ACCURACY:
                window                                       rows  estimated  band  alert  realised      95% interval  labelled
                -------------------------------------------  ----  ---------  ----  -----  --------  ----------------  --------
                2026-12-01T00:00:00Z - 2026-12-02T00:00:00Z     4          -     -  -        0.7500  [0.3006, 0.9544]         4

                """);
    }

    @Test
    void noDataRangeSaysSo() {
        String text = ReportText.render(MonitorReport.builder("churn", FROM, TO).build());
        assertThat(text).contains("NO DATA in this range").doesNotContain("Features:");
    }

    @Test
    void realisticReportRendersEveryPart() {
        String text = ReportText.render(Fixtures.realistic(7, false));
        assertThat(text).contains("Features:").contains("Dataset drift: no drift (3 of 11")
                .contains("Prediction drift:").contains("ROC_AUC:").contains("no data");
        // the terminal never receives a raw control character from a name
        assertThat(text.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
        assertThat(text).contains("bell\\u0007\\u001B[31m");
    }

    @Test
    void bidiOverridesAndLongNamesAreDefused() {
        String name = "evil\u202Egnp.exe" + "x".repeat(100);
        DatasetDrift drift = new DatasetDrift(List.of(new ColumnDrift(name, ColumnDrift.Status.OK, DriftTest.PSI,
                0.5, Double.NaN, Double.NaN, 0.1, true, 10, 10)), 1, 1, 1.0, 0.5, true, true);
        String text = ReportText.render(MonitorReport.builder("d", FROM, TO).drift(drift).build());
        assertThat(text).doesNotContain("\u202E").contains("evil\\u202Egnp.exe");
        String row = text.lines().filter(l -> l.startsWith("evil")).findFirst().orElseThrow();
        assertThat(row).startsWith("evil\\u202Egnp.exe" + "x".repeat(ReportText.NAME_WIDTH - 3 - 17) + "...  PSI");
    }
}
