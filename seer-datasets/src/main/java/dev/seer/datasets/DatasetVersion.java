package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.catalog.CatalogEntry;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One immutable version of a dataset: its manifest (schema, row count, content hash, profile,
 * splits, lineage, options, creation time and creator) as recorded in the catalog.
 */
public record DatasetVersion(String name, int version, DatasetManifest manifest, Instant created, String createdBy) {
    public DatasetVersion {
        requireNonNull(name, "name is null");
        requireNonNull(manifest, "manifest is null");
        requireNonNull(created, "created is null");
        requireNonNull(createdBy, "createdBy is null");
    }

    /** Refuses a manifest this Seer cannot read (a newer format, a damaged field), naming the version. */
    static DatasetVersion of(CatalogEntry entry) {
        DatasetManifest manifest;
        try {
            manifest = DatasetManifest.CODEC.decode(entry.body());
        } catch (SeerException e) {
            throw new SeerException(e.errorCode(), "Dataset " + entry.name() + ":" + entry.version() + ": " + e.getMessage(),
                    Map.of("dataset", entry.name() + ":" + entry.version()), e);
        }
        return new DatasetVersion(entry.name(), entry.version(), manifest, entry.created(), entry.createdBy());
    }

    public DatasetRef ref() {
        return new DatasetRef(name, Optional.of(version));
    }

    /** The SHA-256 of the data file: the version's content hash. */
    public String contentHash() {
        return manifest.data().sha256();
    }

    public long rows() {
        return manifest.data().rows();
    }

    @Override
    public String toString() {
        return name + ":" + version;
    }
}
