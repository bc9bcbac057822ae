package dev.seer.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertRule;
import dev.seer.monitoring.alert.AlertRules;
import dev.seer.monitoring.alert.Figure;
import dev.seer.monitoring.drift.DriftTest;
import dev.seer.monitoring.profile.Profile;
import dev.seer.monitoring.report.MonitorReport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MonitorTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final WatchedColumns COLUMNS = new WatchedColumns(List.of("spend", "tenure"), OutputShape.SCORE);

    /** Rows of (spend, tenure, score) with spend shifted by {@code shift}; the score is P(label = 1). */
    static double[][] rows(Random random, int n, double shift) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            double spend = random.nextGaussian() + shift;
            double tenure = 0.5 * spend + random.nextGaussian();
            double score = 1 / (1 + Math.exp(-(spend - tenure)));
            rows[i] = new double[] {spend, tenure, score};
        }
        return rows;
    }

    static Labelled labelled(Random random, double[][] rows) {
        double[] scores = new double[rows.length];
        double[] outcomes = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            scores[i] = rows[i][2];
            outcomes[i] = random.nextDouble() < rows[i][2] ? 1 : 0;
        }
        return new Labelled(scores, outcomes);
    }

    static Profile profile(WatchedColumns columns, double[][] rows) {
        Profile profile = Profile.create(columns.schema());
        for (double[] row : rows) {
            Object[] values = new Object[row.length];
            for (int i = 0; i < row.length; i++) {
                values[i] = row[i];
            }
            profile.update(values);
        }
        return profile;
    }

    static Reservoir reservoir(WatchedColumns columns, double[][] rows) {
        Reservoir reservoir = Reservoir.create(columns.width(), 2000, 7);
        for (double[] row : rows) {
            reservoir.offer(row);
        }
        return reservoir;
    }

    static Reference reference(Random random) {
        double[][] train = rows(random, 2000, 0);
        return new Reference("churn_train:1/train", COLUMNS, profile(COLUMNS, train), reservoir(COLUMNS, train),
                Optional.of(labelled(random, rows(random, 2000, 0))));
    }

    static ClosedWindow window(int hour, double[][] rows) {
        return window(COLUMNS, hour, rows);
    }

    static ClosedWindow window(WatchedColumns columns, int hour, double[][] rows) {
        Instant start = T0.plus(Duration.ofHours(hour));
        return new ClosedWindow("churn", start, start.plus(Duration.ofHours(1)), rows.length, columns,
                profile(columns, rows), reservoir(columns, rows));
    }

    static Map<String, Figure> byName(Monitor.Monitored monitored) {
        Map<String, Figure> out = new HashMap<>();
        monitored.figures().forEach(f -> assertThat(out.put(f.name(), f)).as(f.name()).isNull());
        return out;
    }

    /** Labels that agree with the score's side of 0.5 but for a share {@code wrong} of them: a steady error rate. */
    static Labelled noisy(Random random, double[][] rows, double wrong) {
        double[] scores = new double[rows.length];
        double[] outcomes = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            scores[i] = rows[i][2];
            int side = rows[i][2] >= 0.5 ? 1 : 0;
            outcomes[i] = random.nextDouble() < wrong ? 1 - side : side;
        }
        return new Labelled(scores, outcomes);
    }

    Monitor monitor = new Monitor(MonitorSettings.defaults(), DetectorStates.inMemory());

    @Test
    void aShiftedFeatureDriftsAndAnUnshiftedOneDoesNot() {
        Random random = new Random(1);
        Reference reference = reference(random);
        Monitor.Monitored monitored = monitor.figures(reference, window(0, rows(random, 1000, 1.0)), Optional.empty());
        Map<String, Figure> figures = byName(monitored);

        assertThat(figures.get("churn/drift/spend/wasserstein_normed").value()).isGreaterThan(0.5);
        assertThat(figures.get("churn/drift/spend/drifted").value()).isEqualTo(1);
        assertThat(figures.get("churn/drift/tenure/drifted").value()).isEqualTo(1); // tenure follows spend
        assertThat(figures.get("churn/drift/dataset/share").value()).isEqualTo(1);
        assertThat(figures.get("churn/drift/multivariate/reconstruction_error").status()).isEqualTo(Figure.Status.OK);
        assertThat(figures.get("churn/volume/rows/count").value()).isEqualTo(1000);

        Monitor.Monitored calm = monitor.figures(reference, window(1, rows(random, 1000, 0)), Optional.empty());
        Map<String, Figure> still = byName(calm);
        assertThat(still.get("churn/drift/spend/wasserstein_normed").value()).isLessThan(0.1);
        assertThat(still.get("churn/drift/spend/drifted").value()).isZero();
        assertThat(still.get("churn/drift/tenure/drifted").value()).isZero();
        assertThat(still.get("churn/drift/dataset/drifted").value()).isZero();
        assertThat(still.get("churn/drift/prediction/drifted").value()).isZero();
        assertThat(still.get("churn/drift/multivariate/alert").value()).isZero();
        assertThat(calm.problems()).isEmpty();
    }

    @Test
    void aPerFeatureOverrideChoosesTheTestAndItsThreshold() {
        Random random = new Random(2);
        Monitor ks = new Monitor(MonitorSettings.defaults().withOverride("spend", DriftTest.KS, OptionalDouble.of(0.01)),
                DetectorStates.inMemory());
        Map<String, Figure> figures = byName(ks.figures(reference(random), window(0, rows(random, 1000, 0.5)),
                Optional.empty()));
        assertThat(figures).containsKey("churn/drift/spend/ks").doesNotContainKey("churn/drift/spend/wasserstein_normed");
        assertThat(figures.get("churn/drift/spend/ks").value()).isLessThan(0.01);
        assertThat(ks.knownFigures(COLUMNS, "churn")).contains("churn/drift/spend/ks")
                .doesNotContain("churn/drift/spend/wasserstein_normed").contains("churn/drift/tenure/wasserstein_normed");
    }

    @Test
    void settingsRefuseABadThresholdOrShareWhenReadNotWhenAWindowCloses() {
        assertThatThrownBy(() -> MonitorSettings.defaults().withOverride("spend", DriftTest.PSI, OptionalDouble.of(-1)))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.getMessage()).contains("[spend]"));
        MonitorSettings defaults = MonitorSettings.defaults();
        assertThatThrownBy(() -> new MonitorSettings(0, Map.of(), true, defaults.cbpe(), 30))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.getMessage()).contains("Drift share"));
        assertThatThrownBy(() -> new MonitorSettings(0.5, Map.of(), true, defaults.cbpe(), 0))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.getMessage()).contains("Minimum rows"));
    }

    @Test
    void theCbpeEstimateOfAnUnshiftedWindowIsCloseToTheRealisedPerformance() {
        Random random = new Random(3);
        Reference reference = reference(random);
        double[][] rows = rows(random, 2000, 0);
        Map<String, Figure> figures = byName(monitor.figures(reference, window(0, rows), Optional.of(labelled(random, rows))));

        double estimated = figures.get("churn/performance/estimated/accuracy").value();
        double realised = figures.get("churn/performance/realised/accuracy").value();
        assertThat(estimated).isCloseTo(realised, within(0.03));
        assertThat(figures.get("churn/performance/estimated/roc_auc").value())
                .isCloseTo(figures.get("churn/performance/realised/roc_auc").value(), within(0.03));
    }

    @Test
    void withoutLabelsThePerformanceFiguresAreNoData() {
        Random random = new Random(4);
        Reference unlabelled = new Reference("r", COLUMNS, profile(COLUMNS, rows(random, 100, 0)),
                reservoir(COLUMNS, rows(random, 100, 0)), Optional.empty());
        Monitor.Monitored monitored = monitor.figures(unlabelled, window(0, rows(random, 200, 0)), Optional.empty());
        Map<String, Figure> figures = byName(monitored);
        assertThat(figures.get("churn/performance/estimated/accuracy").status()).isEqualTo(Figure.Status.NO_DATA);
        assertThat(figures.get("churn/performance/realised/accuracy").status()).isEqualTo(Figure.Status.NO_DATA);
        assertThat(figures.get("churn/concept/ddm/drift").status()).isEqualTo(Figure.Status.NO_DATA);
        assertThat(monitored.problems()).anySatisfy(p -> assertThat(p).contains("no labelled rows"));
    }

    @Test
    void aWindowWithTooFewRowsHasNoDataDriftButCountsItsRows() {
        Random random = new Random(5);
        Monitor.Monitored monitored = monitor.figures(reference(random), window(0, rows(random, 5, 3)), Optional.empty());
        Map<String, Figure> figures = byName(monitored);
        assertThat(figures.get("churn/drift/spend/drifted").status()).isEqualTo(Figure.Status.NO_DATA);
        assertThat(figures.get("churn/drift/dataset/share").status()).isEqualTo(Figure.Status.NO_DATA);
        assertThat(figures.get("churn/volume/rows/count").value()).isEqualTo(5);
    }

    @Test
    void aReferenceLackingAFeatureGivesNoDataFiguresAndAProblemNotAnException() {
        Random random = new Random(6);
        WatchedColumns spendOnly = new WatchedColumns(List.of("spend"), OutputShape.SCORE);
        double[][] train = new double[1000][];
        double[][] full = rows(random, 1000, 0);
        for (int i = 0; i < train.length; i++) {
            train[i] = new double[] {full[i][0], full[i][2]};
        }
        Reference narrow = new Reference("old", spendOnly, profile(spendOnly, train), reservoir(spendOnly, train),
                Optional.empty());

        Monitor.Monitored monitored = monitor.figures(narrow, window(0, rows(random, 500, 0)), Optional.empty());

        Map<String, Figure> figures = byName(monitored);
        assertThat(figures.get("churn/drift/tenure/drifted").status()).isEqualTo(Figure.Status.NO_DATA);
        assertThat(figures.get("churn/drift/spend/drifted").status()).isEqualTo(Figure.Status.OK);
        assertThat(figures.get("churn/drift/multivariate/reconstruction_error").status()).isEqualTo(Figure.Status.OK);
        assertThat(monitored.problems()).anySatisfy(p -> assertThat(p).contains("[tenure]").contains("[old]"));
        assertThatThrownBy(() -> Monitor.check(narrow, COLUMNS)).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INCOMPATIBLE);
            assertThat(e.getMessage()).contains("[tenure]");
        });
    }

    @Test
    void aReferenceOfAnotherOutputShapeGivesNoDataPredictionDrift() {
        Random random = new Random(7);
        WatchedColumns values = new WatchedColumns(COLUMNS.features(), OutputShape.VALUE);
        double[][] rows = rows(random, 500, 0);
        Monitor.Monitored monitored = monitor.figures(reference(random), window(values, 0, rows), Optional.empty());
        Map<String, Figure> figures = byName(monitored);
        assertThat(figures.get("churn/drift/prediction/drifted").status()).isEqualTo(Figure.Status.NO_DATA);
        assertThat(monitored.problems()).anySatisfy(p -> assertThat(p).contains("[prediction]"));
    }

    @Test
    void everyFigureProducedIsKnownAndARuleOnAnUnknownFigureIsRefused() {
        Random random = new Random(8);
        double[][] rows = rows(random, 500, 0);
        Monitor.Monitored monitored = monitor.figures(reference(random), window(0, rows), Optional.of(labelled(random, rows)));
        Set<String> known = monitor.knownFigures(COLUMNS, "churn");
        assertThat(monitored.figures().stream().map(Figure::name).collect(Collectors.toSet())).isSubsetOf(known);

        AlertRule typo = new AlertRule("spend", "churn/drift/spend/wasserstein_norm", AlertRule.Comparison.GT, 0.1);
        assertThatThrownBy(() -> AlertRules.check(typo, known)).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME);
            assertThat(e.getMessage()).contains("churn/drift/spend/wasserstein_normed");
        });
    }

    @Test
    void conceptDetectorsCarryOverWindowsAndAWindowEvaluatedAgainIsNotFedTwice() {
        Random random = new Random(9);
        Reference reference = reference(random);
        DetectorStates states = DetectorStates.inMemory();
        Monitor watching = new Monitor(MonitorSettings.defaults(), states);
        for (int hour = 0; hour < 3; hour++) {
            double[][] rows = rows(random, 300, 0);
            Map<String, Figure> figures = byName(watching.figures(reference, window(hour, rows),
                    Optional.of(noisy(random, rows, 0.1))));
            assertThat(figures.get("churn/concept/ddm/drift").value()).as("hour " + hour).isZero();
        }
        // the relation flips: every label is the opposite of what the score says
        double[][] rows = rows(random, 300, 0);
        Labelled flipped = noisy(random, rows, 0.9);
        ClosedWindow changed = window(3, rows);
        assertThat(byName(watching.figures(reference, changed, Optional.of(flipped))).get("churn/concept/ddm/drift").value())
                .isEqualTo(1);
        assertThat(byName(watching.figures(reference, changed, Optional.of(flipped))).get("churn/concept/adwin/drift").value())
                .isEqualTo(1);
        byte[] fed = states.read("churn", Monitor.DDM).orElseThrow().state();
        assertThat(byName(watching.figures(reference, changed, Optional.of(flipped))).get("churn/concept/ddm/drift").value())
                .isEqualTo(1);
        assertThat(states.read("churn", Monitor.DDM).orElseThrow().state()).isEqualTo(fed);
    }

    @Test
    void aReportOfAnEmptyRangeHasNoDataAndOneOfWindowsHasDriftAndPerformance() {
        Random random = new Random(10);
        Reference reference = reference(random);
        MonitorReport empty = monitor.report(reference, List.of(), List.of(), "churn", T0, T0.plus(Duration.ofDays(1)), T0);
        assertThat(empty.status()).isEqualTo(MonitorReport.Status.NO_DATA);

        double[][] first = rows(random, 800, 1.0);
        double[][] second = rows(random, 400, 1.0);
        MonitorReport report = monitor.report(reference, List.of(window(0, first), window(1, second)),
                List.of(Optional.of(labelled(random, first)), Optional.empty()), "churn", T0, T0.plus(Duration.ofHours(2)), T0);
        assertThat(report.status()).isEqualTo(MonitorReport.Status.OK);
        assertThat(report.drift().orElseThrow().columns()).anySatisfy(c -> {
            assertThat(c.column()).isEqualTo("spend");
            assertThat(c.drifted()).isTrue();
        });
        assertThat(report.windows()).hasSize(2);
        assertThat(report.windows().get(0).realised()).isNotNull();
        assertThat(report.windows().get(1).realised()).isNull();
        assertThat(report.windows().get(1).estimated()).isNotNull();
    }
}
