package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.Sha256;
import dev.seer.serving.ServingErrorCode;
import dev.seer.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prediction log with a {@link BatchReplica}: answered only once copied, stopped by a failed copy, caught up at open. */
class PredictionLogReplicaTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final CollectingAudit audit = new CollectingAudit();

    @Test
    void anAppendCompletesOnlyOnceTheReplicaAcknowledgesItsBatch() throws Exception {
        FakeReplica replica = new FakeReplica(OptionalLong.empty(), false);
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT, audit, clock, replica)) {
            Prediction p = Predictions.of(log.nextId(), 1);
            CompletableFuture<BatchReceipt> appended = log.append(List.of(p));
            FakeReplica.Sent sent = replica.next();
            // the batch is on disk (answer-after: sync), but not yet acknowledged by the replica
            assertThat(appended).isNotDone();
            assertThat(sent.batch()).isEqualTo(1);
            sent.ack().complete(null);
            assertThat(appended.join().batch()).isEqualTo(1);
            assertThat(sent.sha256()).isEqualTo(HexFormat.of().formatHex(Sha256.of(sent.bytes())))
                    .isEqualTo(audit.hashes().get(1L));
            assertThat(log.get(p.id())).isEqualTo(p);
            // a reader of the replica decodes the batch; a changed byte is caught
            assertThat(PredictionLog.predictionsOf(sent.bytes())).containsExactly(p);
            byte[] changed = sent.bytes().clone();
            changed[changed.length - 1] ^= 1;
            assertThatThrownBy(() -> PredictionLog.predictionsOf(changed)).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_CORRUPT));
            assertThatThrownBy(() -> PredictionLog.predictionsOf(new byte[3])).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_CORRUPT));
        }
        assertThat(replica.closed()).isTrue();
    }

    @Test
    void aFailedCopyFailsTheAppendAndStopsTheLogWhileTheBatchStaysInTheLocalLog() throws Exception {
        FakeReplica replica = new FakeReplica(OptionalLong.empty(), false);
        Prediction p;
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT, audit, clock, replica)) {
            p = Predictions.of(log.nextId(), 1);
            CompletableFuture<BatchReceipt> appended = log.append(List.of(p));
            replica.next().ack().completeExceptionally(new IllegalStateException("cluster unreachable"));
            assertThatThrownBy(appended::join).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOfSatisfying(SeerException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE);
                        assertThat(e.getMessage()).contains("Batch 1", "replication failed", "cluster unreachable");
                    });
            // later batches would leave a gap in the replica: refused
            assertThatThrownBy(() -> log.append(List.of(Predictions.of(log.nextId(), 2))).join()).cause()
                    .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                            .isEqualTo(ServingErrorCode.LOG_FAILURE));
            assertThat(replica.batches()).containsExactly(1L);
        }
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT, audit, clock)) {
            assertThat(log.get(p.id())).isEqualTo(p);
            assertThat(log.verify(audit.hashes()).ok()).isTrue();
        }
    }

    @Test
    void openingCopiesTheBatchesAfterTheReplicasLastInOrderBeforeNewOnes() {
        List<Prediction> written = new ArrayList<>();
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT.withSegmentBytes(4096), audit, clock)) {
            for (int i = 0; i < 40; i++) { // one batch each, over several segments
                Prediction p = Predictions.of(log.nextId(), i);
                log.append(List.of(p)).join();
                written.add(p);
            }
        }
        FakeReplica replica = new FakeReplica(OptionalLong.of(2), true);
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT.withSegmentBytes(4096), audit, clock, replica)) {
            List<Long> caughtUp = new ArrayList<>();
            for (long b = 3; b <= 40; b++) {
                caughtUp.add(b);
            }
            assertThat(replica.batches()).isEqualTo(caughtUp);
            for (FakeReplica.Sent s : replica.sent()) {
                assertThat(s.sha256()).isEqualTo(audit.hashes().get(s.batch()))
                        .isEqualTo(HexFormat.of().formatHex(Sha256.of(s.bytes())));
            }
            assertThat(log.append(List.of(Predictions.of(log.nextId(), 41))).join().batch()).isEqualTo(41);
            assertThat(replica.batches()).last().isEqualTo(41L);
        }
    }

    @Test
    void aReplicaHoldingMoreBatchesThanTheLogIsRefusedAtOpen() {
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT, audit, clock)) {
            log.append(List.of(Predictions.of(log.nextId(), 1))).join();
        }
        FakeReplica ahead = new FakeReplica(OptionalLong.of(5), true);
        assertThatThrownBy(() -> PredictionLog.open(dir, LogOptions.DEFAULT, audit, clock, ahead))
                .isInstanceOfSatisfying(SeerException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE);
                    assertThat(e.getMessage()).contains("holds batch 5", "ends at batch 1");
                });
        assertThat(ahead.closed()).isTrue();
        assertThat(ahead.batches()).isEmpty();
        // the directory was released
        PredictionLog.open(dir, LogOptions.DEFAULT, audit, clock).close();
    }
}
