package dev.seer.core.catalog;

import static java.util.Objects.requireNonNull;

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
    default Optional<CatalogEntry> create(String kind, String name, JsonNode body, String actor) {
        return create(kind, name, body, List.of(), actor);
    }

    /**
     * As {@link #create(String, String, JsonNode, String)}, also filing the entry under each of
     * {@code terms}, in the same step: a reader finds the entry by its terms exactly when it
     * finds it by its name. What the catalog holds grows without end (a stream records a batch a
     * second), so what a reader needs again and again is found through terms, at a cost that
     * does not grow with the number of entries recorded.
     */
    Optional<CatalogEntry> create(String kind, String name, JsonNode body, List<Term> terms, String actor);

    Optional<CatalogEntry> latest(String kind, String name);

    Optional<CatalogEntry> version(String kind, String name, int version);

    /** Every version of one object, oldest first. */
    List<CatalogEntry> versions(String kind, String name);

    /** The latest version of every object of a kind, by name. */
    List<CatalogEntry> latestOfKind(String kind);

    /**
     * The entries of a kind filed under {@code term} (as created), highest rank first, ties by
     * name, at most {@code limit}: an indexed read, whose cost is that of what it returns.
     */
    List<CatalogEntry> filed(String kind, String term, int limit);

    /**
     * An index term of an entry, with a rank that orders the entries filed under it (e.g. the
     * last offset a batch holds, so that the first is the one that reaches furthest).
     */
    record Term(String term, long rank) {
        public Term {
            requireNonNull(term, "term is null");
        }
    }

    /** The outcome of {@link #put}: the entry, and whether it is a new version. */
    record Put(CatalogEntry entry, boolean created) {}
}
