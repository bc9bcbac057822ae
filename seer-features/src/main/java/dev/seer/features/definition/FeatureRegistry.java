package dev.seer.features.definition;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions.Repository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Feature definitions and their versions. {@code plan} says what applying a repository would
 * change; {@code apply} records every new or changed definition as a new catalog version (which
 * audits it). Applying the same repository twice changes nothing.
 */
public final class FeatureRegistry {
    public static final String ENTITY = "entity";
    public static final String SOURCE = "source";
    public static final String VIEW = "feature_view";
    /** The catalog kind of feature services (their versions are recorded in dataset lineage). */
    public static final String SERVICE = "feature_service";

    private final Catalog catalog;
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FeatureRegistry(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /** Runs {@code listener} after every apply that changed a definition (caches use it to drop stale plans). */
    public void onChange(Runnable listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** What applying would do to one definition. */
    public enum Action { CREATE, UPDATE, UNCHANGED }

    public record Change(String kind, String name, Action action, int version) {}

    /** Reads and validates the repository at {@code location} and lists what applying it would change. */
    public List<Change> plan(Path location) {
        return plan(load(location));
    }

    public List<Change> apply(Path location, String actor) {
        Repository repository = load(location);
        List<Change> changes = new ArrayList<>();
        for (Definition definition : definitions(repository)) {
            Catalog.Put put = catalog.put(definition.kind, definition.name, definition.body, actor);
            changes.add(new Change(definition.kind, definition.name,
                    !put.created() ? Action.UNCHANGED : put.entry().version() == 1 ? Action.CREATE : Action.UPDATE,
                    put.entry().version()));
        }
        if (changes.stream().anyMatch(c -> c.action() != Action.UNCHANGED)) {
            listeners.forEach(Runnable::run);
        }
        return changes;
    }

    List<Change> plan(Repository repository) {
        List<Change> changes = new ArrayList<>();
        for (Definition definition : definitions(repository)) {
            Optional<CatalogEntry> latest = catalog.latest(definition.kind, definition.name);
            String canonical = Json.canonical(definition.body);
            if (latest.isEmpty()) {
                changes.add(new Change(definition.kind, definition.name, Action.CREATE, 1));
            } else if (Json.canonical(latest.get().body()).equals(canonical)) {
                changes.add(new Change(definition.kind, definition.name, Action.UNCHANGED, latest.get().version()));
            } else {
                changes.add(new Change(definition.kind, definition.name, Action.UPDATE, latest.get().version() + 1));
            }
        }
        return changes;
    }

    /** The latest version of every feature view. */
    public List<CatalogEntry> views() {
        return catalog.latestOfKind(VIEW);
    }

    /** One version of a view (the latest when empty); fails naming the view when there is none. */
    public CatalogEntry view(String name, Optional<Integer> version) {
        Optional<CatalogEntry> found = version.isPresent() ? catalog.version(VIEW, name, version.get())
                : catalog.latest(VIEW, name);
        return found.orElseThrow(() -> new SeerException(FeatureErrorCode.VIEW_NOT_FOUND, "Feature view [" + name + "]"
                + version.map(v -> " has no version " + v).orElse(" does not exist"),
                Map.of("view", name)));
    }

    private static Repository load(Path location) {
        Repository repository = RepositoryLoader.load(location);
        RepositoryValidator.validate(repository);
        return repository;
    }

    private record Definition(String kind, String name, JsonNode body) {}

    private static List<Definition> definitions(Repository repository) {
        List<Definition> definitions = new ArrayList<>();
        repository.entities().forEach(e -> definitions.add(new Definition(ENTITY, e.name(), e.toJson())));
        repository.sources().forEach(s -> definitions.add(new Definition(SOURCE, s.name(), s.toJson())));
        repository.views().forEach(v -> definitions.add(new Definition(VIEW, v.name(), v.toJson())));
        repository.services().forEach(s -> definitions.add(new Definition(SERVICE, s.name(), s.toJson())));
        return definitions;
    }
}
