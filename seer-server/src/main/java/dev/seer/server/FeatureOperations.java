package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.features.definition.Definitions;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.RepositoryLoader;
import dev.seer.features.online.ConsistencyCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Feature definitions. Plan and apply take a repository either uploaded (parts
 * {@code repository}, each file name a relative path, kept under
 * {@code files/repositories/<name>} so its file sources can be ingested later) or as the path of
 * a folder inside the server's file roots; either way every file source must lie inside the
 * roots. Historical retrieval takes the entity file uploaded or as a path inside the roots, and
 * answers with the result file unless {@code out} names a path inside the roots.
 */
public final class FeatureOperations {
    static final String REPOSITORIES = "repositories";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    /** A view at its latest version, or at {@code version}. */
    public record View(String name, Optional<Integer> version) {}

    /** A consistency check of a view on {@code sample} entities at {@code at} (default: now). */
    public record Consistency(String view, int sample, Optional<Instant> at) {}

    /** A point-in-time join of {@code features} to the entity file, written to {@code out} (.csv or .parquet). */
    public record Historical(Path entities, List<String> features, Path out, boolean filterByCreated) {}

    private static final Operation.FileInput REPOSITORY = new Operation.FileInput("path", RepositoryParts.PART,
            FeatureOperations::repository, RepositoryParts::of);

    /** What applying the feature repository at a path would change. */
    public static final Operation<Path, List<FeatureRegistry.Change>> PLAN = Operation
            .<Path, List<FeatureRegistry.Change>>post("features.plan", "/api/v1/features/plan").roles(ADMIN, SCIENTIST)
            .input(REPOSITORY).request(Codec.of(FeatureOperations::location, FeatureOperations::location))
            .response(Codec.of(ApiJson::changes, ApiJson::changes))
            .handler((services, path, call) -> services.features().plan(path));

    public static final Operation<Path, List<FeatureRegistry.Change>> APPLY = Operation
            .<Path, List<FeatureRegistry.Change>>post("features.apply", "/api/v1/features/apply").roles(ADMIN, SCIENTIST)
            .input(REPOSITORY).request(Codec.of(FeatureOperations::location, FeatureOperations::location))
            .response(Codec.of(ApiJson::changes, ApiJson::changes))
            .handler((services, path, call) -> services.features().apply(path, call.actor()));

    public static final Operation<Codec.Empty, List<CatalogEntry>> VIEWS = Operation
            .<Codec.Empty, List<CatalogEntry>>get("features.views", "/api/v1/features/views")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.EMPTY).response(Codec.of(ApiJson::catalogEntries, ApiJson::catalogEntries))
            .handler((services, request, call) -> services.features().views());

    public static final Operation<View, CatalogEntry> VIEW = Operation
            .<View, CatalogEntry>get("features.view", "/api/v1/features/views/{name}")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(FeatureOperations::view, FeatureOperations::view))
            .response(Codec.of(ApiJson::catalogEntry, ApiJson::catalogEntry))
            .handler((services, view, call) -> services.features().view(view.name(), view.version()));

    /** Online window aggregates of a sample of a view's entities against a batch recomputation. */
    public static final Operation<Consistency, ConsistencyCheck.Report> CONSISTENCY = Operation
            .<Consistency, ConsistencyCheck.Report>get("features.consistency", "/api/v1/features/views/{name}/consistency")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(FeatureOperations::consistency, FeatureOperations::consistency))
            .response(Codec.of(ApiJson::consistency, ApiJson::consistency))
            .handler((services, check, call) -> services.consistency().check(check.view(), check.sample(),
                    check.at().orElse(services.clock().instant())));

    public static final Operation<Historical, PointInTimeRetrieval.Result> HISTORICAL = Operation
            .<Historical, PointInTimeRetrieval.Result>post("features.historical", "/api/v1/features/historical")
            .roles(ADMIN, SCIENTIST)
            .input(Operation.FileInput.file("entities"))
            .output(new Operation.FileOutput("out", "historical", FeatureOperations::format))
            .request(Codec.of(FeatureOperations::historical, FeatureOperations::historical))
            .response(Codec.of(ApiJson::historical, ApiJson::historical))
            .handler((services, h, call) -> services.historical().run(h.entities(), h.features(), h.out(),
                    h.filterByCreated()));

    static final List<Operation<?, ?>> ALL = List.of(PLAN, APPLY, VIEWS, VIEW, CONSISTENCY, HISTORICAL);

    private FeatureOperations() {}

    private static ObjectNode location(Path path) {
        return Json.object().put("path", path.toString());
    }

    private static Path location(JsonNode node) {
        return Path.of(Fields.text(node, "path"));
    }

    /** The repository a request names or uploads, once every file source it reads is known to lie inside the roots. */
    private static Optional<Path> repository(RequestFiles request, JsonNode body, SeerServices services) {
        Path location = request.uploaded(RepositoryParts.PART) ? store(request)
                : request.serverPath("path").orElseThrow(() -> new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                        "Upload the repository (parts [" + RepositoryParts.PART + "]) or name its folder in [path]",
                        Map.of("field", "path")));
        for (Definitions.Source source : RepositoryLoader.load(location).sources()) {
            if (!source.streaming()) {
                request.files().check("sources[" + source.name() + "].path", Path.of(source.path()));
            }
        }
        return Optional.of(location);
    }

    /** Saves an uploaded repository under {@code files/repositories/<name>}, replacing what an earlier upload left. */
    private static Path store(RequestFiles request) {
        String name = Http.requiredText(request.body(), "name");
        if (!NAME.matcher(name).matches()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Field [name] must be a plain folder name (letters,"
                    + " digits, . _ -), not [" + name + "]", Map.of("field", "name"));
        }
        Path target = request.files().roots().get(0).resolve(REPOSITORIES).resolve(name);
        Path incoming = request.scratch("repository");
        request.saveTree(RepositoryParts.PART, incoming);
        Folders.replace(target, incoming);
        return target;
    }

    private static ObjectNode view(View view) {
        ObjectNode node = Json.object().put("name", view.name());
        view.version().ifPresent(v -> node.put("version", v.toString()));
        return node;
    }

    private static View view(JsonNode node) {
        return new View(node.path("name").asText(), Fields.optional(node, "version")
                .map(v -> Fields.queryInt(node, "version", 0)));
    }

    private static ObjectNode consistency(Consistency check) {
        ObjectNode node = Json.object().put("name", check.view()).put("sample", Integer.toString(check.sample()));
        check.at().ifPresent(at -> node.put("at", at.toString()));
        return node;
    }

    private static Consistency consistency(JsonNode node) {
        return new Consistency(node.path("name").asText(), Fields.queryInt(node, "sample", 100),
                Fields.queryInstant(node, "at"));
    }

    /**
     * Body: {@code entities} (uploaded, or a path inside the roots), {@code features},
     * {@code filter_by_created_timestamp}, and {@code out} (a path inside the roots) or
     * {@code format} ({@code parquet}, the default, or {@code csv}) for a result sent back.
     */
    private static ObjectNode historical(Historical h) {
        ObjectNode node = Json.object().put("entities", h.entities().toString())
                .put("filter_by_created_timestamp", h.filterByCreated()).put("out", h.out().toString())
                .put("format", h.out().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet");
        h.features().forEach(node.putArray("features")::add);
        return node;
    }

    private static Historical historical(JsonNode node) {
        List<String> features = Fields.texts(node, "features");
        if (features.isEmpty()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Field [features] must list view:feature references"
                    + " or name one feature service", Map.of("field", "features"));
        }
        if (!node.hasNonNull("entities")) {
            throw new SeerException(ServerErrorCode.UPLOAD_INVALID, "Field [entities] is required: upload the file as part"
                    + " [entities] or name a server path", Map.of("field", "entities"));
        }
        return new Historical(Path.of(Fields.text(node, "entities")), features, Path.of(Fields.text(node, "out")),
                node.path("filter_by_created_timestamp").asBoolean(false));
    }

    private static String format(JsonNode body) {
        String format = body.path("format").asText("parquet");
        if (!format.equals("parquet") && !format.equals("csv")) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Field [format] must be parquet or csv, not ["
                    + format + "]", Map.of("field", "format"));
        }
        return format;
    }
}
