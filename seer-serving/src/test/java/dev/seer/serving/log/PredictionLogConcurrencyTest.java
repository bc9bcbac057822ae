package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionLogConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void concurrentAppendsShareSyncsAndAreAllDurableAndReadable() throws Exception {
        CollectingAudit audit = new CollectingAudit();
        ConcurrentLinkedQueue<Prediction> acknowledged = new ConcurrentLinkedQueue<>();
        int threads = 16;
        int perThread = 60;
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT.withSegmentBytes(64 << 10), audit, Clock.systemUTC())) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    List<CompletableFuture<?>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Prediction p = Predictions.of(log.nextId(), thread * perThread + i);
                        mine.add(log.append(List.of(p)).thenRun(() -> acknowledged.add(p)));
                        if (i % 10 == 9) {
                            mine.forEach(CompletableFuture::join); // at most ten in flight per thread
                        }
                    }
                    mine.forEach(CompletableFuture::join);
                });
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        assertThat(acknowledged).hasSize(threads * perThread);
        // Group commit: fewer batches (syncs) than appends.
        assertThat(audit.batches().size()).isLessThan(threads * perThread);
        try (PredictionLog log = PredictionLog.open(dir, LogOptions.DEFAULT.withSegmentBytes(64 << 10), audit, Clock.systemUTC())) {
            for (Prediction p : acknowledged) {
                assertThat(log.get(p.id())).isEqualTo(p);
            }
            assertThat(log.query(PredictionQuery.all())).hasSize(threads * perThread);
            LogVerification v = log.verify(audit.hashes());
            assertThat(v.ok()).as("%s", v.problem()).isTrue();
            assertThat(v.predictionsChecked()).isEqualTo(threads * perThread);
        }
    }
}
