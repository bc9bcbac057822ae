package dev.seer.serving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.serving.MetadataBackend;
import dev.seer.serving.ServingErrorCode;
import dev.seer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeploymentStoreTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    abstract static class Cases extends MetadataBackend {
        MutableClock clock = new MutableClock(T0);
        AuditLog audit;
        DeploymentStore store;

        Cases(Kind kind) {
            super(kind);
        }

        void open() {
            MetadataDatabase database = openDatabase();
            audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
            store = new DeploymentStore(database, audit, clock);
        }

        @AfterEach
        void close() throws Exception {
            if (audit != null) {
                audit.close();
            }
        }

        static DeploymentStore.Change champion(String name, int version) {
            return new DeploymentStore.Change(name, new ModelRef("churn", version), Optional.empty(), 0, Optional.empty(),
                    MissingPolicy.REFUSE, MissingPolicy.REFUSE);
        }

        @Test
        void aStreamBindingIsStoredWithItsRevisionAndAWholeChangeWithoutOneDropsIt() {
            open();
            StreamBinding binding = new StreamBinding("churn.requests", "churn.scores");
            Deployment bound = store.put(new DeploymentStore.Change("churn", new ModelRef("churn", 1), Optional.empty(), 0,
                    Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.REFUSE, Optional.of(binding)), Optional.of(0L), "alice");
            assertThat(store.get("churn").stream()).contains(binding);
            Deployment unbound = store.put(champion("churn", 2), Optional.of(1L), "alice");
            assertThat(unbound.stream()).isEmpty();
            assertThat(store.history("churn")).containsExactly(Optional.of(bound), Optional.of(unbound));
            assertThat(store.list()).containsExactly(unbound);
        }

        @Test
        void aChangeReplacesTheWholeDeploymentAndKeepsEveryRevision() {
            open();
            Deployment first = store.put(champion("churn", 1), Optional.of(0L), "alice");
            clock.advance(Duration.ofHours(1));
            Deployment second = store.put(new DeploymentStore.Change("churn", new ModelRef("churn", 1),
                    Optional.of(new ModelRef("churn", 2)), 10, Optional.empty(), MissingPolicy.MODEL_DEFAULT,
                    MissingPolicy.REFUSE), Optional.of(1L), "bob");

            assertThat(first.revision()).isEqualTo(1);
            assertThat(second.revision()).isEqualTo(2);
            assertThat(store.get("churn")).isEqualTo(second);
            assertThat(store.list()).containsExactly(second);
            assertThat(store.history("churn")).containsExactly(Optional.of(first), Optional.of(second));
            assertThat(store.at("churn", T0.minusSeconds(1))).isEmpty();
            assertThat(store.at("churn", T0.plusSeconds(60))).contains(first);
            assertThat(store.at("churn", T0.plus(Duration.ofHours(2)))).contains(second);
            assertThat(audit.query(AuditQuery.all().page(0, 50)).entries().stream().map(AuditEntry::action).toList())
                    .containsExactly("deployment.changed", "deployment.changed");
        }

        @Test
        void aChangeAgainstAnOldRevisionIsAConflict() {
            open();
            store.put(champion("churn", 1), Optional.of(0L), "alice");
            store.put(champion("churn", 2), Optional.of(1L), "bob");
            assertThatThrownBy(() -> store.put(champion("churn", 3), Optional.of(1L), "carol"))
                    .isInstanceOf(SeerException.class).hasMessageContaining("revision 2, not 1")
                    .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.DEPLOYMENT_CONFLICT);
            assertThatThrownBy(() -> store.put(champion("churn", 3), Optional.of(0L), "carol"))
                    .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.DEPLOYMENT_CONFLICT);
            assertThat(store.get("churn").champion().version()).isEqualTo(2);
        }

        @Test
        void racingChangesEachGetTheirOwnRevision() throws Exception {
            open();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<Deployment>> puts = java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(v -> pool.submit(() -> {
                    go.await();
                    return store.put(champion("racy", v), Optional.empty(), "op" + v);
                })).toList();
                go.countDown();
                List<Long> revisions = new java.util.ArrayList<>();
                for (Future<Deployment> f : puts) {
                    revisions.add(f.get().revision());
                }
                assertThat(revisions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
                assertThat(store.history("racy")).hasSize(8);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void aRemovedDeploymentIsUnknownButItsHistoryStays() {
            open();
            store.put(champion("churn", 1), Optional.empty(), "alice");
            clock.advance(Duration.ofMinutes(5));
            store.remove("churn", "alice");
            assertThatThrownBy(() -> store.get("churn")).extracting(e -> ((SeerException) e).errorCode())
                    .isEqualTo(ServingErrorCode.UNKNOWN_DEPLOYMENT);
            assertThat(store.history("churn")).hasSize(2).last().isEqualTo(Optional.empty());
            assertThat(store.at("churn", T0.plusSeconds(1))).isPresent();
            assertThat(store.at("churn", T0.plus(Duration.ofMinutes(6)))).isEmpty();
            Deployment again = store.put(champion("churn", 4), Optional.of(0L), "alice");
            assertThat(again.revision()).isEqualTo(3);
            assertThatThrownBy(() -> store.remove("nothing", "alice")).extracting(e -> ((SeerException) e).errorCode())
                    .isEqualTo(ServingErrorCode.UNKNOWN_DEPLOYMENT);
        }

        @Test
        void namesThatCouldReachSqlOrPathsAreRefused() {
            open();
            for (String bad : List.of("a'; DROP TABLE deployments; --", "../etc", "a/b", "%2e%2e", "A", "", "a\u0000b",
                    "x".repeat(64))) {
                assertThatThrownBy(() -> store.find(bad)).extracting(e -> ((SeerException) e).errorCode())
                        .isEqualTo(ServingErrorCode.INVALID_DEPLOYMENT);
            }
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
