package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.features.definition.Definitions;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.RepositoryLoader;
import dev.seer.features.offline.HistoricalRetrieval;
import dev.seer.features.online.ConsistencyCheck;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Feature definitions over HTTP. Plan and apply take a repository either uploaded (parts
 * {@code repository}, each file name a relative path, kept under
 * {@code files/repositories/<name>} so its file sources can be ingested later) or as the path of
 * a folder inside the server's file roots; either way every file source must lie inside the
 * roots. Historical retrieval takes the entity file uploaded or as a path inside the roots, and
 * answers with the result file unless {@code out} names a path inside the roots.
 */
final class FeatureApi {
    static final String REPOSITORIES = "repositories";
    static final String REPOSITORIES_PART = "repository";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private final FeatureRegistry registry;
    private final HistoricalRetrieval historical;
    private final ConsistencyCheck consistency;
    private final Clock clock;
    private final ServerFiles files;

    FeatureApi(FeatureRegistry registry, HistoricalRetrieval historical, ConsistencyCheck consistency, Clock clock,
            ServerFiles files) {
        this.registry = registry;
        this.historical = historical;
        this.consistency = consistency;
        this.clock = clock;
        this.files = files;
    }
    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/api/v1/features/plan", this::plan, ADMIN, SCIENTIST),
                ApiRoute.post("/api/v1/features/apply", this::apply, ADMIN, SCIENTIST),
                ApiRoute.get("/api/v1/features/views", this::views, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.get("/api/v1/features/views/{name}", this::view, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.get("/api/v1/features/views/{name}/consistency", this::consistency, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.post("/api/v1/features/historical", this::historical, ADMIN, SCIENTIST));
    }

    private void plan(Context ctx) {
        try (RequestFiles request = RequestFiles.receive(ctx, files, Set.of(REPOSITORIES_PART))) {
            Http.json(ctx, ApiJson.changes(registry.plan(repository(request))));
        }
    }

    private void apply(Context ctx) {
        try (RequestFiles request = RequestFiles.receive(ctx, files, Set.of(REPOSITORIES_PART))) {
            Http.json(ctx, ApiJson.changes(registry.apply(repository(request), Authenticator.actor(ctx))));
        }
    }

    /** The repository a request names or uploads, once every file source it reads is known to lie inside the roots. */
    private Path repository(RequestFiles request) {
        Path location = request.uploaded(REPOSITORIES_PART) ? store(request)
                : request.serverPath("path").orElseThrow(() -> new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                        "Upload the repository (parts [" + REPOSITORIES_PART + "]) or name its folder in [path]",
                        Map.of("field", "path")));
        for (Definitions.Source source : RepositoryLoader.load(location).sources()) {
            if (!source.streaming()) {
                files.check("sources[" + source.name() + "].path", Path.of(source.path()));
            }
        }
        return location;
    }

    /** Saves an uploaded repository under {@code files/repositories/<name>}, replacing what an earlier upload left. */
    private Path store(RequestFiles request) {
        String name = Http.requiredText(request.body(), "name");
        if (!NAME.matcher(name).matches()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Field [name] must be a plain folder name (letters,"
                    + " digits, . _ -), not [" + name + "]", Map.of("field", "name"));
        }
        Path target = files.roots().get(0).resolve(REPOSITORIES).resolve(name);
        Path incoming = request.scratch("repository");
        request.saveTree(REPOSITORIES_PART, incoming);
        Folders.replace(target, incoming);
        return target;
    }

    /**
     * Body: {@code entities} (uploaded, or a path inside the roots), {@code features},
     * {@code filter_by_created_timestamp}, and {@code out} (a path inside the roots) or
     * {@code format} ({@code parquet}, the default, or {@code csv}) for a result sent back.
     */
    private void historical(Context ctx) {
        try (RequestFiles request = RequestFiles.receive(ctx, files, Set.of("entities"))) {
            JsonNode body = request.body();
            List<String> features = new ArrayList<>();
            body.path("features").forEach(f -> features.add(f.asText()));
            if (features.isEmpty()) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Field [features] must list view:feature references"
                        + " or name one feature service", Map.of("field", "features"));
            }
            Path entities = request.requiredInput("entities");
            boolean filter = body.path("filter_by_created_timestamp").asBoolean(false);
            Optional<Path> out = request.outputPath("out");
            if (out.isPresent()) {
                Http.json(ctx, ApiJson.historical(historical.run(entities, features, out.get(), filter)));
                return;
            }
            String format = body.path("format").asText("parquet");
            if (!format.equals("parquet") && !format.equals("csv")) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Field [format] must be parquet or csv, not ["
                        + format + "]", Map.of("field", "format"));
            }
            Path result = request.scratch("historical." + format);
            ObjectNode report = ApiJson.historical(historical.run(entities, features, result, filter));
            report.remove("out");
            request.send(result, format.equals("csv") ? Http.CSV : Http.PARQUET, report);
        }
    }

    /** Query: {@code sample} (entities, default 100), {@code at} (ISO time, default now). */
    private void consistency(Context ctx) {
        int sample = Http.intNumber(ctx, "sample", 100);
        Instant at = Http.instant(ctx, "at").orElse(clock.instant());
        Http.json(ctx, ApiJson.consistency(consistency.check(ctx.pathParam("name"), sample, at)));
    }

    private void views(Context ctx) {
        Http.json(ctx, ApiJson.catalogEntries(registry.views()));
    }

    private void view(Context ctx) {
        Optional<Integer> version = Http.query(ctx, "version").map(v -> Http.intNumber(ctx, "version", 0));
        Http.json(ctx, ApiJson.catalogEntry(registry.view(ctx.pathParam("name"), version)));
    }
}
