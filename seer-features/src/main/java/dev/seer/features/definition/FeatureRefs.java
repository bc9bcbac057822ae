package dev.seer.features.definition;

import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.FeatureErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code view:feature} references, or one feature service name, to features by view.
 *
 * <p>Internal to seer-features: public only so that online, ingest and offline can reach it; no
 * other module uses it (ArchitectureTest keeps it so).
 */
public final class FeatureRefs {
    private FeatureRefs() {}

    public static Map<String, List<String>> resolve(Catalog catalog, List<String> refs) {
        return resolve(catalog, refs, Map.of());
    }

    /** As {@link #resolve(Catalog, List)}, with some views pinned to a recorded version. */
    public static Map<String, List<String>> resolve(Catalog catalog, List<String> refs, Map<String, Integer> versions) {
        List<String> expanded = refs;
        if (refs.size() == 1 && !refs.get(0).contains(":")) {
            CatalogEntry service = catalog.latest(FeatureRegistry.SERVICE, refs.get(0)).orElseThrow(() -> notFound(
                    "Feature service [" + refs.get(0) + "] does not exist", refs.get(0)));
            expanded = Stored.serviceFeatures(service.body());
        }
        Map<String, List<String>> byView = new LinkedHashMap<>();
        for (String ref : expanded) {
            String[] parts = ref.split(":", 2);
            if (parts.length != 2) {
                throw notFound("Feature reference [" + ref + "] must be view:feature", ref);
            }
            CatalogEntry view = view(catalog, parts[0], versions, "Feature [" + ref + "] does not exist: ");
            if (!Stored.view(view.body()).offers(parts[1])) {
                throw notFound("Feature [" + ref + "] does not exist: view [" + parts[0] + "] has no feature [" + parts[1] + "]", ref);
            }
            byView.computeIfAbsent(parts[0], v -> new ArrayList<>()).add(parts[1]);
        }
        return byView;
    }

    /** A view's latest definition, or the version {@code versions} pins it to. */
    public static CatalogEntry view(Catalog catalog, String name, Map<String, Integer> versions) {
        return view(catalog, name, versions, "");
    }

    private static CatalogEntry view(Catalog catalog, String name, Map<String, Integer> versions, String context) {
        Integer pinned = versions.get(name);
        return (pinned == null ? catalog.latest(FeatureRegistry.VIEW, name) : catalog.version(FeatureRegistry.VIEW, name, pinned))
                .orElseThrow(() -> notFound(context + "there is no feature view [" + name + "]"
                        + (pinned == null ? "" : " version " + pinned), name));
    }

    /** The join keys of a view, in entity order. */
    public static List<String> joinKeys(Catalog catalog, Definitions.FeatureView view) {
        List<String> keys = new ArrayList<>();
        view.entities().forEach(e -> catalog.latest(FeatureRegistry.ENTITY, e).ifPresent(x -> keys.addAll(Stored.joinKeys(x.body()))));
        return keys;
    }

    /** The online store key of an entity: its one key value, or its key values as a JSON array. */
    public static String entityKey(List<String> values) {
        if (values.size() == 1) {
            return values.get(0);
        }
        var array = dev.seer.core.Json.mapper().createArrayNode();
        values.forEach(array::add);
        return dev.seer.core.Json.write(array);
    }

    private static SeerException notFound(String message, String ref) {
        return new SeerException(FeatureErrorCode.VIEW_NOT_FOUND, message, Map.of("feature", ref));
    }
}
