package dev.seer.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Versioned, immutable records of named objects, kept in the metadata store. Components record
 * their definitions and results here without knowing how it is stored. Every new version is
 * audited by the implementation before it is returned.
 */
public interface Catalog {
    /**
     * Records {@code body} as the next version of {@code kind/name}, unless it equals the latest
     * version, which is then returned unchanged (so applying the same thing twice adds nothing).
     */
    Put put(String kind, String name, JsonNode body, String actor);

    /**
     * Records {@code body} as version 1 of {@code kind/name} if it has no version yet; empty if
     * it has one, whoever wrote it. The check and the write are one step: of several writers
     * racing for a name, in one process or many, exactly one gets the entry.
     */
    Optional<CatalogEntry> create(String kind, String name, JsonNode body, String actor);

    Optional<CatalogEntry> latest(String kind, String name);

    Optional<CatalogEntry> version(String kind, String name, int version);

    /** Every version of one object, oldest first. */
    List<CatalogEntry> versions(String kind, String name);

    /** The latest version of every object of a kind, by name. */
    List<CatalogEntry> latestOfKind(String kind);

    /** The outcome of {@link #put}: the entry, and whether it is a new version. */
    record Put(CatalogEntry entry, boolean created) {}
}
