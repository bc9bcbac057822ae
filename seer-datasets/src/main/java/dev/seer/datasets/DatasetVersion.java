package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.catalog.CatalogEntry;
import java.time.Instant;
import java.util.Optional;

/**
 * One immutable version of a dataset: its manifest (schema, row count, content hash, profile,
 * splits, lineage, options, creation time and creator) as recorded in the catalog.
 */
public record DatasetVersion(String name, int version, JsonNode manifest, Instant created, String createdBy) {
    public DatasetVersion {
        requireNonNull(name, "name is null");
        requireNonNull(manifest, "manifest is null");
        requireNonNull(created, "created is null");
        requireNonNull(createdBy, "createdBy is null");
    }

    static DatasetVersion of(CatalogEntry entry) {
        return new DatasetVersion(entry.name(), entry.version(), entry.body(), entry.created(), entry.createdBy());
    }

    public DatasetRef ref() {
        return new DatasetRef(name, Optional.of(version));
    }

    /** The SHA-256 of the data file: the version's content hash. */
    public String contentHash() {
        return manifest.path("data").path("sha256").asText();
    }

    public long rows() {
        return manifest.path("data").path("rows").asLong();
    }

    @Override
    public String toString() {
        return name + ":" + version;
    }
}
