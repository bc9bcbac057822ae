package dev.seer.features.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep removes what crashed ingestions left, and nothing of an ingestion still in flight. */
class OfflineStoreTest {
    @TempDir
    Path dir;

    @Test
    void aBatchInFlightInAnotherStoreIsNotSweptAndIsOnceItsLockIsGone() throws Exception {
        OfflineStore ingesting = new OfflineStore(dir);
        OfflineStore sweeping = new OfflineStore(dir); // as another process sharing the store would
        Path staging = ingesting.staging("batchX");
        Files.createDirectories(staging.resolve("views/v/date=2026-01-01"));
        Files.writeString(staging.resolve("views/v/date=2026-01-01/part-batchX-0.parquet"), "rows");
        List<String> published = ingesting.publish(staging, "batchX");
        Path file = dir.resolve(published.get(0));

        sweeping.sweep(Set::of); // published, not yet recorded, lock held: in flight
        assertThat(file).exists();

        ingesting.removeStaging(staging); // the ingestion ends without recording (a failure)
        sweeping.sweep(Set::of);
        assertThat(file).doesNotExist();
        assertThat(dir.resolve(".staging")).isEmptyDirectory();
    }

    @Test
    void aBatchRecordedWhileTheSweepRanIsKept() throws Exception {
        OfflineStore store = new OfflineStore(dir);
        Path staging = store.staging("batchY");
        Files.createDirectories(staging.resolve("views/v"));
        Files.writeString(staging.resolve("views/v/part-batchY-0.parquet"), "rows");
        Path file = dir.resolve(store.publish(staging, "batchY").get(0));
        store.removeStaging(staging); // recorded, then unlocked: the sweep's first read predates the record
        Deque<Set<String>> reads = new ArrayDeque<>(List.of(Set.of(), Set.of("batchY")));
        new OfflineStore(dir).sweep(reads::poll);
        assertThat(file).exists();
    }
}
