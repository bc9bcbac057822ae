package dev.seer.features.offline;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.home.FileTrees;
import dev.seer.features.FeatureErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The offline store: Parquet files with Hive-style partitions under {@code HOME/offline},
 * {@code views/<view>/date=YYYY-MM-DD/part-<batch>-<n>.parquet}, readable by any engine.
 * Quarantined records live beside them in {@code quarantine/<source>/}. Which files count is
 * decided by the batch records in the catalog, not by listing folders.
 */
public final class OfflineStore {
    private final Path root;

    public OfflineStore(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Batches this store object is ingesting now, with the OS lock that tells other processes so. */
    private final java.util.Map<String, java.nio.channels.FileChannel> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A staging folder for a batch, and an OS file lock on {@code .staging/<batch>.lock} held
     * until {@link #removeStaging}: while it is held, {@link #sweep} in any process leaves the
     * batch alone. The kernel releases it when the process dies, so a crashed batch is swept.
     */
    public Path staging(String batchId) {
        Path staging = root.resolve(".staging").resolve(batchId);
        try {
            Files.createDirectories(staging);
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile(batchId),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            channel.lock();
            inFlight.put(batchId, channel);
        } catch (IOException e) {
            throw io("create a staging folder", e);
        }
        return staging;
    }

    private Path lockFile(String batchId) {
        return root.resolve(".staging").resolve(batchId + ".lock");
    }

    /** Whether some ingestion, in this process or another, holds the batch's staging lock. */
    private boolean inFlight(String batchId) {
        if (inFlight.containsKey(batchId)) {
            return true;
        }
        Path lock = lockFile(batchId);
        if (!Files.exists(lock)) {
            return false;
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = channel.tryLock();
            if (held == null) {
                return true; // another process
            }
            held.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true; // another store object of this process
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    /** Moves every staged file into the store (each move atomic); returns their paths relative to the root. */
    public List<String> publish(Path staging, String batchId) {
        List<String> published = new ArrayList<>();
        try (Stream<Path> files = Files.walk(staging)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = staging.relativize(file);
                Path target = root.resolve(relative);
                Files.createDirectories(target.getParent());
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                published.add(relative.toString());
            }
        } catch (IOException e) {
            throw io("publish batch " + batchId, e);
        }
        return published;
    }

    public void removeStaging(Path staging) {
        deleteTree(staging);
        String batchId = staging.getFileName().toString();
        java.nio.channels.FileChannel lock = inFlight.remove(batchId);
        if (lock != null) {
            try {
                lock.close(); // releases the lock
                Files.deleteIfExists(lockFile(batchId));
            } catch (IOException e) {
                // a stale lock file is harmless: a later sweep finds it unlocked and removes it
            }
        }
    }

    private static void deleteTree(Path folder) {
        FileTrees.deleteQuietly(folder); // leftovers in .staging are never read; a later run removes them
    }

    /**
     * Removes what a crashed ingestion left: staging folders, and published files of batches that
     * were never recorded. Batches whose staging lock is held are in flight (in this process or
     * another sharing the store, e.g. two stream ingestion processes) and are left alone.
     */
    public void sweep(java.util.function.Supplier<java.util.Set<String>> recordedBatches) {
        Path stagingRoot = root.resolve(".staging");
        if (Files.isDirectory(stagingRoot)) {
            try (Stream<Path> entries = Files.list(stagingRoot)) {
                for (Path entry : entries.toList()) {
                    String batchId = entry.getFileName().toString().replaceFirst("\\.lock$", "");
                    if (!inFlight(batchId)) {
                        deleteTree(entry);
                    }
                }
            } catch (IOException e) {
                throw io("sweep staging folders", e);
            }
        }
        java.util.Set<String> recordedBefore = recordedBatches.get();
        List<Path> candidates = new ArrayList<>();
        for (String area : List.of("views", "quarantine")) {
            Path folder = root.resolve(area);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> !recordedBefore.contains(batchOf(f.getFileName().toString())))
                        .filter(f -> !inFlight(batchOf(f.getFileName().toString())))
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw io("sweep unrecorded files", e);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        // Read the records again after the lock checks: an ingestion releases its lock only after
        // recording its batch, so a batch that was in flight a moment ago is recorded by now.
        java.util.Set<String> recordedNow = recordedBatches.get();
        candidates.stream().filter(f -> !recordedNow.contains(batchOf(f.getFileName().toString())))
                .forEach(f -> f.toFile().delete());
    }

    /** The batch id in a store file name: {@code part-<batch>-<n>.parquet} or {@code <batch>.parquet}. */
    public static String batchOf(String fileName) {
        String name = fileName.startsWith("part-") ? fileName.substring(5) : fileName;
        int end = name.indexOf('-') > 0 ? name.indexOf('-') : name.indexOf('.');
        return end > 0 ? name.substring(0, end) : name;
    }

    /** Absolute paths of the files that recorded batches list under {@code views/<view>/}. */
    public List<Path> viewFiles(List<BatchRecord> batches, String view) {
        List<Path> files = new ArrayList<>();
        batches.forEach(batch -> batch.filesOf(view).forEach(f -> files.add(root.resolve(f))));
        return files;
    }

    private SeerException io(String what, IOException e) {
        return new SeerException(FeatureErrorCode.ENGINE_FAILURE, "Offline store [" + root + "]: cannot " + what + ": "
                + e.getMessage(), Map.of("root", root.toString()), e);
    }
}
