package dev.seer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A catalog in memory, for testing components without a metadata store. Records puts for assertions. */
public final class InMemoryCatalog implements Catalog {
    private final List<CatalogEntry> entries = new ArrayList<>();
    private final List<Filed> filed = new ArrayList<>();
    private final Clock clock;

    public InMemoryCatalog(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Put put(String kind, String name, JsonNode body, String actor) {
        String canonical = Json.canonical(body);
        String hash = dev.seer.core.Sha256.hex(canonical);
        Optional<CatalogEntry> latest = latest(kind, name);
        if (latest.isPresent() && latest.get().bodyHash().equals(hash)) {
            return new Put(latest.get(), false);
        }
        CatalogEntry entry = new CatalogEntry(kind, name, latest.map(e -> e.version() + 1).orElse(1), Json.parse(canonical),
                hash, clock.instant(), actor);
        entries.add(entry);
        return new Put(entry, true);
    }

    @Override
    public synchronized Optional<CatalogEntry> create(String kind, String name, JsonNode body, List<Term> terms, String actor) {
        Map<String, Long> ranks = new LinkedHashMap<>();
        for (Term term : terms) {
            Long other = ranks.putIfAbsent(term.term(), term.rank());
            if (other != null && other != term.rank()) {
                throw new IllegalArgumentException("Term [" + term.term() + "] is given with ranks [" + other + "] and ["
                        + term.rank() + "]");
            }
        }
        if (latest(kind, name).isPresent()) {
            return Optional.empty();
        }
        CatalogEntry entry = put(kind, name, body, actor).entry();
        ranks.forEach((term, rank) -> filed.add(new Filed(kind, term, rank, entry)));
        return Optional.of(entry);
    }

    @Override
    public synchronized List<CatalogEntry> filed(String kind, String term, int limit) {
        return filed.stream().filter(f -> f.kind().equals(kind) && f.term().equals(term))
                .sorted(Comparator.comparingLong(Filed::rank).reversed().thenComparing(f -> f.entry().name()))
                .limit(Math.max(0, limit)).map(Filed::entry).toList();
    }

    @Override
    public synchronized Optional<CatalogEntry> latest(String kind, String name) {
        return versions(kind, name).stream().reduce((a, b) -> b);
    }

    @Override
    public synchronized Optional<CatalogEntry> version(String kind, String name, int version) {
        return versions(kind, name).stream().filter(e -> e.version() == version).findFirst();
    }

    @Override
    public synchronized List<CatalogEntry> versions(String kind, String name) {
        return entries.stream().filter(e -> e.kind().equals(kind) && e.name().equals(name))
                .sorted(Comparator.comparingInt(CatalogEntry::version)).toList();
    }

    @Override
    public synchronized List<CatalogEntry> latestOfKind(String kind) {
        return entries.stream().filter(e -> e.kind().equals(kind)).map(CatalogEntry::name).distinct().sorted()
                .map(name -> latest(kind, name).orElseThrow()).toList();
    }

    public synchronized int size() {
        return entries.size();
    }

    private record Filed(String kind, String term, long rank, CatalogEntry entry) {}
}
