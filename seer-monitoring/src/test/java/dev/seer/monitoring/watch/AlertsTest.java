package dev.seer.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.AlertEvaluator.Phase;
import dev.seer.monitoring.alert.AlertRule;
import dev.seer.monitoring.alert.Figure;
import dev.seer.testing.MutableClock;
import dev.seer.testing.PostgresDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final WatchedColumns COLUMNS = new WatchedColumns(List.of("spend", "tenure"), OutputShape.SCORE);
    static final String SHARE = "churn/drift/dataset/share";

    enum Kind { SQLITE, POSTGRESQL }

    abstract static class Cases {
        @TempDir
        Path home;
        final Kind kind;
        PostgresDatabase postgres;
        MetadataDatabase database;
        final MutableClock clock = new MutableClock(T0);
        AuditLog audit;
        AlertStore store;
        Alerts alerts;
        final List<AlertEvaluator.Transition> delivered = new ArrayList<>();
        final Set<String> known = new Monitor(MonitorSettings.defaults(), DetectorStates.inMemory())
                .knownFigures(COLUMNS, "churn");

        Cases(Kind kind) {
            this.kind = kind;
        }

        void open() {
            MetadataConfig config = switch (kind) {
                case SQLITE -> new MetadataConfig("", "", "", 4);
                case POSTGRESQL -> {
                    postgres = PostgresDatabase.create();
                    yield new MetadataConfig(postgres.url(), postgres.user(), "", 4);
                }
            };
            database = MetadataDatabase.open(config, home);
            audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
            store = new AlertStore(database);
            alerts = new Alerts(store, audit, delivered::add, clock);
        }

        @AfterEach
        void close() throws Exception {
            if (audit != null) {
                audit.close();
            }
            if (database != null) {
                database.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }

        /** The figures of hour {@code hour}: the dataset share, and the multivariate error as NO_DATA. */
        static List<Figure> window(int hour, double share) {
            Instant start = T0.plus(Duration.ofHours(hour));
            Instant end = start.plus(Duration.ofHours(1));
            return List.of(Figure.ok(SHARE, start, end, share),
                    Figure.noData("churn/drift/multivariate/reconstruction_error", start, end));
        }

        List<String> actions() {
            return audit.query(AuditQuery.all()).entries().stream().map(AuditEntry::action).toList();
        }

        @Test
        void aRuleFiresAfterItsPersistenceIsDeliveredAfterCommitAndResolves() {
            open();
            alerts.addRule(new AlertRule("drift", SHARE, AlertRule.Comparison.GE, 0.5, 2, AlertRule.Severity.CRITICAL),
                    known, "alice");

            assertThat(alerts.evaluate("churn", window(0, 0.1))).isEmpty();
            assertThat(alerts.evaluate("churn", window(1, 0.6))).extracting(AlertEvaluator.Transition::to)
                    .containsExactly(Phase.PENDING);
            List<AlertEvaluator.Transition> fired = alerts.evaluate("churn", window(2, 0.7));
            assertThat(fired).extracting(AlertEvaluator.Transition::to).containsExactly(Phase.FIRING);
            assertThat(delivered).extracting(AlertEvaluator.Transition::to).containsExactly(Phase.PENDING, Phase.FIRING);
            assertThat(alerts.list(Optional.of(Phase.FIRING))).singleElement().satisfies(a -> {
                assertThat(a.deployment()).isEqualTo("churn");
                assertThat(a.rule().id()).isEqualTo("drift");
                assertThat(a.state().lastValue()).isEqualTo(0.7);
            });

            alerts.evaluate("churn", window(3, 0.2));
            assertThat(alerts.list(Optional.empty())).singleElement()
                    .satisfies(a -> assertThat(a.state().phase()).isEqualTo(Phase.RESOLVED));
            assertThat(alerts.history(Optional.of("churn"), 10)).extracting(e -> e.transition().to())
                    .containsExactly(Phase.RESOLVED, Phase.FIRING, Phase.PENDING);
        }

        @Test
        void aTransitionWhoseDeliveryFailedIsDeliveredOnceByTheNextServerInOrder() {
            open();
            alerts.addRule(new AlertRule("drift", SHARE, AlertRule.Comparison.GE, 0.5, 1, AlertRule.Severity.CRITICAL),
                    known, "alice");
            Alerts stopping = new Alerts(store, audit, t -> {
                throw new IllegalStateException("stopped before delivering");
            }, clock);
            assertThatThrownBy(() -> stopping.evaluate("churn", window(0, 0.7))).hasMessageContaining("stopped");
            assertThatThrownBy(() -> stopping.evaluate("churn", window(1, 0.2))).hasMessageContaining("stopped");
            assertThat(alerts.history(Optional.of("churn"), 10)).as("stored all the same").hasSize(2);

            // the next server (or evaluation) delivers both, oldest first, and only once
            assertThat(alerts.deliverPending()).isEqualTo(2);
            assertThat(delivered).extracting(AlertEvaluator.Transition::to).containsExactly(Phase.FIRING, Phase.RESOLVED);
            assertThat(alerts.deliverPending()).isZero();
            alerts.evaluate("churn", window(2, 0.1));
            assertThat(delivered).as("nothing delivered twice").hasSize(2);
        }

        @Test
        void evaluatingTheSameWindowTwiceIsHarmless() {
            open();
            alerts.addRule(new AlertRule("drift", SHARE, AlertRule.Comparison.GE, 0.5), known, "alice");
            assertThat(alerts.evaluate("churn", window(0, 0.9))).hasSize(1);
            assertThat(alerts.evaluate("churn", window(0, 0.9))).isEmpty();
            assertThat(delivered).hasSize(1);
            assertThat(alerts.history(Optional.empty(), 10)).hasSize(1);
            assertThat(store.figures("churn", T0, T0.plus(Duration.ofHours(1)))).hasSize(2);
        }

        @Test
        void figuresAreReadBackLatestAndByRangeWithNoDataAsNaN() {
            open();
            alerts.evaluate("churn", window(0, 0.1));
            alerts.evaluate("churn", window(1, 0.3));
            alerts.evaluate("other", List.of(Figure.ok("other/volume/rows/count", T0, T0.plusSeconds(60), 4)));

            List<Figure> latest = store.latestFigures("churn");
            assertThat(latest).extracting(Figure::name)
                    .containsExactly(SHARE, "churn/drift/multivariate/reconstruction_error");
            assertThat(latest.get(0).value()).isEqualTo(0.3);
            assertThat(latest.get(1).status()).isEqualTo(Figure.Status.NO_DATA);
            assertThat(latest.get(1).value()).isNaN();
            assertThat(store.figures("churn", T0, T0.plus(Duration.ofHours(2)))).hasSize(4);
            assertThat(store.figures("churn", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2))))
                    .extracting(Figure::windowStart).containsOnly(T0.plus(Duration.ofHours(1)));
            assertThat(store.latestFigures("nobody")).isEmpty();

            assertThat(store.pruneFigures(T0.plus(Duration.ofHours(1)).plusSeconds(1))).isEqualTo(3);
            assertThat(store.figures("churn", T0, T0.plus(Duration.ofHours(2)))).extracting(Figure::windowStart)
                    .containsOnly(T0.plus(Duration.ofHours(1)));
        }

        @Test
        void aRuleOnAnUnknownFigureIsRefusedWithNearNamesAndATakenIdConflicts() {
            open();
            AlertRule typo = new AlertRule("typo", "churn/drift/dataset/shar", AlertRule.Comparison.GE, 0.5);
            assertThatThrownBy(() -> alerts.addRule(typo, known, "alice")).isInstanceOfSatisfying(SeerException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME);
                assertThat(e.getMessage()).contains(SHARE);
            });
            assertThat(alerts.rules()).isEmpty();

            alerts.addRule(new AlertRule("drift", SHARE, AlertRule.Comparison.GE, 0.5), known, "alice");
            assertThatThrownBy(() -> alerts.addRule(new AlertRule("drift", SHARE, AlertRule.Comparison.GE, 0.7), known, "bob"))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.RULE_EXISTS));
            assertThat(alerts.rules()).singleElement().satisfies(r -> {
                assertThat(r.rule().threshold()).isEqualTo(0.5);
                assertThat(r.createdBy()).isEqualTo("alice");
                assertThat(r.createdAt()).isEqualTo(T0);
            });
        }

        @Test
        void aPatternRuleAppliesToEveryDeploymentAndARemovedRuleLeavesTheList() {
            open();
            Set<String> both = new HashSet<>(known);
            both.add("other/drift/dataset/share");
            alerts.addRule(new AlertRule("any", "*/drift/dataset/share", AlertRule.Comparison.GT, 0.5), both, "alice");
            alerts.evaluate("churn", window(0, 0.9));
            alerts.evaluate("other", List.of(Figure.ok("other/drift/dataset/share", T0, T0.plusSeconds(60), 0.8)));
            assertThat(alerts.list(Optional.of(Phase.FIRING))).extracting(Alerts.Alert::deployment)
                    .containsExactly("churn", "other");

            alerts.removeRule("any", "bob");
            assertThat(alerts.list(Optional.empty())).isEmpty();
            assertThatThrownBy(() -> alerts.removeRule("any", "bob")).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME));
            assertThat(actions()).containsExactly("alert.rule_added", "alert.rule_removed");
        }

        @Test
        void anAcknowledgementIsStoredAuditedAndBoundedAndUnknownRulesAreRefused() {
            open();
            alerts.addRule(new AlertRule("drift", SHARE, AlertRule.Comparison.GE, 0.5), known, "alice");
            alerts.evaluate("churn", window(0, 0.1));
            assertThatThrownBy(() -> alerts.ack("drift", SHARE, "carol", "seen")).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT));
            alerts.evaluate("churn", window(1, 0.9));
            clock.advance(Duration.ofMinutes(5));

            assertThat(alerts.ack("drift", SHARE, "carol", "looking into it")).singleElement()
                    .satisfies(a -> assertThat(a.state().acknowledgement().by()).isEqualTo("carol"));
            assertThat(alerts.list(Optional.of(Phase.FIRING))).singleElement().satisfies(a -> {
                assertThat(a.state().acknowledgement().note()).isEqualTo("looking into it");
                assertThat(a.state().acknowledgement().at()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
            });
            assertThat(actions()).containsExactly("alert.rule_added", "alert.acknowledged");

            assertThatThrownBy(() -> alerts.ack("nope", null, "carol", "")).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME));
            assertThatThrownBy(() -> alerts.ack("drift", "churn/drift/spend/drifted", "carol", ""))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME));
            assertThatThrownBy(() -> alerts.ack("drift", SHARE, "c".repeat(201), ""))
                    .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.getMessage()).contains("[by]"));
        }

        @Test
        void theMonitorsFiguresOfAShiftedWindowFireADriftRuleAndTheCalmWindowsBeforeItDoNot() {
            open();
            Random random = new Random(11);
            Reference reference = MonitorTest.reference(random);
            Monitor monitor = new Monitor(MonitorSettings.defaults(), store);
            alerts.addRule(new AlertRule("spend", "churn/drift/spend/drifted", AlertRule.Comparison.GE, 1), known, "alice");
            for (int hour = 0; hour < 3; hour++) {
                Monitor.Monitored calm = monitor.figures(reference, MonitorTest.window(hour, MonitorTest.rows(random, 500, 0)),
                        Optional.empty());
                assertThat(alerts.evaluate("churn", calm.figures())).as("hour " + hour).isEmpty();
            }
            Monitor.Monitored shifted = monitor.figures(reference, MonitorTest.window(3, MonitorTest.rows(random, 500, 1)),
                    Optional.empty());
            assertThat(alerts.evaluate("churn", shifted.figures())).singleElement().satisfies(t -> {
                assertThat(t.to()).isEqualTo(Phase.FIRING);
                assertThat(t.windowStart()).isEqualTo(T0.plus(Duration.ofHours(3)));
            });
            assertThat(store.latestFigures("churn")).extracting(Figure::name).contains("churn/drift/spend/wasserstein_normed",
                    "churn/volume/rows/count");
        }

        @Test
        void conceptDetectorStatesPersistAcrossStoresOfTheSameDatabase() {
            open();
            byte[] state = {1, 2, 3};
            store.write("churn", "ddm", new DetectorStates.Saved(state, T0, true));
            store.write("churn", "ddm", new DetectorStates.Saved(new byte[] {4}, T0.plusSeconds(3600), false));
            AlertStore again = new AlertStore(database);
            DetectorStates.Saved saved = again.read("churn", "ddm").orElseThrow();
            assertThat(saved.state()).containsExactly(4);
            assertThat(saved.fedThrough()).isEqualTo(T0.plusSeconds(3600));
            assertThat(saved.detected()).isFalse();
            assertThat(again.read("churn", "adwin")).isEmpty();
        }
    }

    @Nested
    class OnSqlite extends Cases {
        OnSqlite() {
            super(Kind.SQLITE);
        }
    }

    @Nested
    class OnPostgres extends Cases {
        OnPostgres() {
            super(Kind.POSTGRESQL);
        }
    }
}
