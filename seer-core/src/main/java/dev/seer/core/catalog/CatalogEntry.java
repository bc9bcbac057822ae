package dev.seer.core.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One immutable version of a named object in the catalog: a feature view definition, an
 * ingested batch, later a dataset or model version. {@code body} is canonical JSON and
 * {@code bodyHash} its SHA-256 (hex), so equal content is recognised without comparing bodies.
 */
public record CatalogEntry(String kind, String name, int version, JsonNode body, String bodyHash, Instant created,
        String createdBy) {
    public CatalogEntry {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(body, "body is null");
        requireNonNull(bodyHash, "bodyHash is null");
        requireNonNull(created, "created is null");
        requireNonNull(createdBy, "createdBy is null");
    }
}
