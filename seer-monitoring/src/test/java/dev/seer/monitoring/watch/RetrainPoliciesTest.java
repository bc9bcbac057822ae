package dev.seer.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.monitoring.watch.RetrainPolicy.Action;
import dev.seer.monitoring.watch.RetrainRun.Status;
import dev.seer.testing.MutableClock;
import dev.seer.testing.PostgresDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainPoliciesTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void aPolicyRefusesBadFieldsNamingThem() {
        assertThatThrownBy(() -> RetrainPolicy.of("churn", Set.of(), Optional.empty(), Action.CHALLENGER))
                .hasMessageContaining("[on]");
        assertThatThrownBy(() -> RetrainPolicy.of("Churn!", Set.of("r1"), Optional.empty(), Action.CHALLENGER))
                .hasMessageContaining("[deployment]");
        assertThatThrownBy(() -> RetrainPolicy.of("churn", Set.of("a,b"), Optional.empty(), Action.CHALLENGER))
                .hasMessageContaining("[on]");
        assertThatThrownBy(() -> new RetrainPolicy("churn", Set.of("r1"), Optional.empty(), Duration.ofDays(7),
                Action.CHALLENGER, 100, 1000, Duration.ZERO)).hasMessageContaining("[challenger_percent]");
        assertThatThrownBy(() -> Action.parse("deploy", "action")).isInstanceOf(SeerException.class)
                .hasMessageContaining("[action]");
    }

    @Test
    void aNamedRuleTriggersWhereverItIsAndAStarOnlyOnTheDeploymentsOwnFigures() {
        RetrainPolicy named = RetrainPolicy.of("churn", Set.of("spend_drift"), Optional.empty(), Action.CHALLENGER);
        assertThat(named.triggeredBy("spend_drift", "churn/drift/spend/drifted")).isTrue();
        assertThat(named.triggeredBy("other", "churn/drift/spend/drifted")).isFalse();
        RetrainPolicy any = RetrainPolicy.of("churn", Set.of("*"), Optional.empty(), Action.CHALLENGER);
        assertThat(any.triggeredBy("x", "churn/performance/realised/accuracy")).isTrue();
        assertThat(any.triggeredBy("x", "churn_eu/performance/realised/accuracy")).isFalse();
    }

    abstract static class Cases {
        @TempDir
        Path home;

        final MutableClock clock = new MutableClock(T0);
        private final boolean postgres;
        private PostgresDatabase server;
        private MetadataDatabase database;
        RetrainPolicies store;

        Cases(boolean postgres) {
            this.postgres = postgres;
        }

        void open() {
            if (database == null) {
                MetadataConfig config = new MetadataConfig("", "", "", 4);
                if (postgres) {
                    server = PostgresDatabase.create();
                    config = new MetadataConfig(server.url(), server.user(), "", 4);
                }
                database = MetadataDatabase.open(config, home);
            }
            store = new RetrainPolicies(database, clock);
        }

        @AfterEach
        void close() throws Exception {
            if (database != null) {
                database.close();
            }
            if (server != null) {
                server.close();
            }
        }

        @Test
        void aPutReplacesTheDeploymentsPolicyAndItReadsBackAsSet() {
            open();
            RetrainPolicy first = RetrainPolicy.of("churn", Set.of("spend_drift", "auc_drop"), Optional.empty(),
                    Action.CHALLENGER);
            store.put(first, "ana");
            RetrainPolicy second = new RetrainPolicy("churn", Set.of(), Optional.of(Duration.ofDays(7)), Duration.ofDays(3),
                    Action.PROMOTE, 20, 500, Duration.ofHours(6));
            clock.advance(Duration.ofMinutes(1));
            RetrainPolicies.Stored stored = store.put(second, "bo");
            assertThat(stored.policy()).isEqualTo(second);
            assertThat(stored.setBy()).isEqualTo("bo");
            assertThat(stored.setAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
            store.put(first, "ana");
            open(); // read back by a new store over the same tables, as after a restart
            assertThat(store.list()).extracting(RetrainPolicies.Stored::policy).containsExactly(first);
            assertThat(store.get("other")).isEmpty();
            assertThat(store.remove("churn")).isTrue();
            assertThat(store.get("churn")).isEmpty();
        }

        @Test
        void runsAreRecordedAsTheyGoAndTheLatestIsFirst() {
            open();
            RetrainRun run = RetrainRun.started("rt-1", "churn", "spend_drift", T0);
            store.record(run);
            assertThat(store.last("churn")).contains(run);
            RetrainRun done = run.withDataset("churn_training:2").withTrained("run-9", Optional.of("churn:3"),
                    Optional.of(true)).finished(T0.plusSeconds(40), Status.CHALLENGER_DEPLOYED, "churn:3 is the challenger", "");
            store.record(done);
            RetrainRun later = RetrainRun.started("rt-2", "churn", "schedule", T0.plusSeconds(3600))
                    .finished(T0.plusSeconds(3601), Status.SKIPPED, "12 labelled rows, fewer than 1000", "");
            store.record(later);
            store.record(RetrainRun.started("rt-3", "other", "manual", T0.plusSeconds(7200)));
            open();
            assertThat(store.runs("churn", 10)).containsExactly(later, done);
            assertThat(store.runs("churn", 1)).containsExactly(later);
            assertThat(store.runs("churn", 10).get(1).gatePassed()).contains(true);
        }

        @Test
        void aScheduleIsDueOnePeriodAfterTheLastRunOrAfterItWasSetAndTheCooldownCountsFromTheLastRun() {
            open();
            RetrainPolicy weekly = new RetrainPolicy("churn", Set.of(), Optional.of(Duration.ofDays(7)), Duration.ofDays(7),
                    Action.CHALLENGER, 10, 1000, Duration.ofDays(1));
            store.put(weekly, "ana");
            store.put(RetrainPolicy.of("alerted", Set.of("r1"), Optional.empty(), Action.PROMOTE), "ana");
            assertThat(store.due(T0.plus(Duration.ofDays(7)).minusSeconds(1))).isEmpty();
            assertThat(store.due(T0.plus(Duration.ofDays(7)))).containsExactly(weekly);
            assertThat(store.coolingDown(weekly, T0)).isFalse();

            Instant ran = T0.plus(Duration.ofDays(7));
            store.record(RetrainRun.started("rt-1", "churn", "schedule", ran));
            assertThat(store.due(ran.plusSeconds(1))).isEmpty();
            assertThat(store.due(ran.plus(Duration.ofDays(7)))).containsExactly(weekly);
            assertThat(store.coolingDown(weekly, ran.plus(Duration.ofHours(23)))).isTrue();
            assertThat(store.coolingDown(weekly, ran.plus(Duration.ofDays(1)))).isFalse();
        }
    }

    @Nested
    class OnSqlite extends Cases {
        OnSqlite() {
            super(false);
        }
    }

    @Nested
    class OnPostgres extends Cases {
        OnPostgres() {
            super(true);
        }
    }

}
