package dev.seer.features;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
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

    Path staging(String batchId) {
        Path staging = root.resolve(".staging").resolve(batchId);
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw io("create a staging folder", e);
        }
        return staging;
    }

    /** Moves every staged file into the store (each move atomic); returns their paths relative to the root. */
    List<String> publish(Path staging, String batchId) {
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

    void removeStaging(Path staging) {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> files = Files.walk(staging)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leftovers in .staging are never read; a later run removes them
        }
    }

    /**
     * Removes what a crashed ingestion left: staging folders, and published files of batches that
     * were never recorded. Only the owner of the home runs ingestions, so none is in flight.
     */
    void sweep(java.util.Set<String> recordedBatches) {
        removeStaging(root.resolve(".staging"));
        for (String area : List.of("views", "quarantine")) {
            Path folder = root.resolve(area);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> !recordedBatches.contains(batchOf(f.getFileName().toString())))
                        .forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw io("sweep unrecorded files", e);
            }
        }
    }

    /** The batch id in a store file name: {@code part-<batch>-<n>.parquet} or {@code <batch>.parquet}. */
    static String batchOf(String fileName) {
        String name = fileName.startsWith("part-") ? fileName.substring(5) : fileName;
        int end = name.indexOf('-') > 0 ? name.indexOf('-') : name.indexOf('.');
        return end > 0 ? name.substring(0, end) : name;
    }

    /** Absolute paths of the files that recorded batches list under {@code views/<view>/}. */
    public List<Path> viewFiles(List<com.fasterxml.jackson.databind.JsonNode> batches, String view) {
        String prefix = "views/" + view + "/";
        List<Path> files = new ArrayList<>();
        for (var batch : batches) {
            batch.path("files").forEach(f -> {
                if (f.asText().startsWith(prefix)) {
                    files.add(root.resolve(f.asText()));
                }
            });
        }
        return files;
    }

    private SeerException io(String what, IOException e) {
        return new SeerException(FeatureErrorCode.ENGINE_FAILURE, "Offline store [" + root + "]: cannot " + what + ": "
                + e.getMessage(), Map.of("root", root.toString()), e);
    }
}
