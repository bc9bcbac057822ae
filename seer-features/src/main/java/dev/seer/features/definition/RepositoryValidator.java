package dev.seer.features.definition;

import dev.seer.core.SeerException;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions.Entity;
import dev.seer.features.definition.Definitions.Feature;
import dev.seer.features.definition.Definitions.FeatureService;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.Definitions.Repository;
import dev.seer.features.definition.Definitions.Source;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a repository as a whole before anything is applied: unique names, every reference
 * resolved, every column present in its source file, every expression allowed. All problems are
 * reported together, each naming the object and field it concerns.
 */
final class RepositoryValidator {
    private RepositoryValidator() {}

    static void validate(Repository repository) {
        List<String> problems = new ArrayList<>();
        unique(repository.entities(), Entity::name, "entity", problems);
        unique(repository.sources(), Source::name, "source", problems);
        unique(repository.views(), FeatureView::name, "feature view", problems);
        unique(repository.services(), FeatureService::name, "feature service", problems);
        Map<String, Entity> entities = byName(repository.entities(), Entity::name);
        Map<String, Source> sources = byName(repository.sources(), Source::name);
        Map<String, Map<String, String>> columns = new HashMap<>();
        try (Connection duck = DuckEngine.open(); Connection sandbox = DuckEngine.sandbox()) {
            for (Source source : repository.sources()) {
                try {
                    Map<String, String> found = source.streaming() ? SourceFiles.declaredColumns(source)
                            : SourceFiles.columns(duck, source, Path.of(source.path()));
                    columns.put(source.name(), found);
                    requireColumn(found, source.timestampField(), "Source [" + source.name() + "] timestamp_field", problems);
                    source.createdTimestampField().ifPresent(f -> requireColumn(found, f,
                            "Source [" + source.name() + "] created_timestamp_field", problems));
                } catch (SeerException e) {
                    problems.add(e.getMessage());
                }
            }
            for (FeatureView view : repository.views()) {
                checkView(view, entities, sources, columns, sandbox, problems);
            }
        } catch (SQLException e) {
            throw DuckEngine.failure("Closing DuckDB", e);
        }
        Map<String, FeatureView> views = byName(repository.views(), FeatureView::name);
        for (FeatureService service : repository.services()) {
            for (String ref : service.features()) {
                String[] parts = ref.split(":");
                FeatureView view = views.get(parts[0]);
                if (view == null || !view.offers(parts[1])) {
                    problems.add("Feature service [" + service.name() + "] names [" + ref + "], which "
                            + (view == null ? "is in no feature view of this repository" : "view [" + parts[0] + "] does not define"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, problems.size() == 1 ? problems.get(0)
                    : problems.size() + " problems:\n  " + String.join("\n  ", problems), Map.of("problems", problems));
        }
    }

    private static void checkView(FeatureView view, Map<String, Entity> entities, Map<String, Source> sources,
            Map<String, Map<String, String>> columns, Connection sandbox, List<String> problems) {
        String where = "Feature view [" + view.name() + "]";
        if (!sources.containsKey(view.source())) {
            problems.add(where + " names unknown source [" + view.source() + "]");
        }
        Map<String, String> sourceColumns = columns.get(view.source());
        for (String entityName : view.entities()) {
            Entity entity = entities.get(entityName);
            if (entity == null) {
                problems.add(where + " names unknown entity [" + entityName + "]");
            } else if (sourceColumns != null) {
                entity.joinKeys().forEach(key -> requireColumn(sourceColumns, key,
                        where + " join key of entity [" + entityName + "]", problems));
            }
        }
        if (view.ttl().isNegative()) {
            problems.add(where + " has a negative ttl");
        }
        if (sourceColumns == null) {
            return;
        }
        // Expressions see source columns with the types the view declares for them.
        Map<String, String> typed = new java.util.LinkedHashMap<>(sourceColumns);
        view.features().stream().filter(f -> f.expression().isEmpty() && typed.containsKey(f.name()))
                .forEach(f -> typed.put(f.name(), f.type().duckdbType()));
        for (Feature feature : view.features()) {
            if (feature.expression().isEmpty()) {
                requireColumn(sourceColumns, feature.name(), where + " feature [" + feature.name() + "]", problems);
                continue;
            }
            Optional<String> problem = ExpressionCheck.problem(sandbox, feature.expression().get(), typed);
            problem.ifPresent(p -> problems.add(where + " feature [" + feature.name() + "] expression ["
                    + feature.expression().get() + "] is rejected: " + p));
        }
    }

    private static void requireColumn(Map<String, String> columns, String column, String what, List<String> problems) {
        if (!columns.containsKey(column)) {
            problems.add(what + " [" + column + "] is not a column of the source; columns: " + columns.keySet());
        }
    }

    private static <T> void unique(List<T> items, Function<T, String> name, String kind, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            if (!seen.add(name.apply(item))) {
                problems.add("There are two of " + kind + " [" + name.apply(item) + "]");
            }
        }
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> map = new HashMap<>();
        items.forEach(item -> map.putIfAbsent(name.apply(item), item));
        return map;
    }
}
