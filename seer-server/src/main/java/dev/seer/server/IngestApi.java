package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Batch ingestion and the quarantine over HTTP. The file ingested is uploaded (part
 * {@code file}), or a path inside the server's file roots ({@code {"file": ...}}), or else the
 * source's own file, which must lie inside the roots too: a definition may have come from any
 * scientist's apply, so its path is checked as a request's would be.
 */
final class IngestApi {
    private final Ingestor ingestor;
    private final Catalog catalog;
    private final ServerFiles files;

    IngestApi(Ingestor ingestor, Catalog catalog, ServerFiles files) {
        this.ingestor = ingestor;
        this.catalog = catalog;
        this.files = files;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/api/v1/ingest/{source}", this::ingest, ADMIN, SCIENTIST, OPERATOR),
                ApiRoute.get("/api/v1/quarantine", this::batches, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.get("/api/v1/quarantine/{batch}", this::records, ADMIN, SCIENTIST, OPERATOR, AUDITOR));
    }

    private void ingest(Context ctx) {
        String source = ctx.pathParam("source");
        try (RequestFiles request = RequestFiles.receive(ctx, files, Set.of("file"))) {
            Optional<Path> file = request.input("file").or(() -> sourceFile(source));
            Http.json(ctx, ApiJson.ingestReport(ingestor.ingest(source, file, Authenticator.actor(ctx))));
        }
    }

    /** The file a file source reads, checked against the roots; empty for others (the ingestor explains). */
    private Optional<Path> sourceFile(String source) {
        return catalog.latest(FeatureRegistry.SOURCE, source)
                .map(entry -> entry.body().path("path"))
                .filter(JsonNode::isTextual)
                .map(path -> files.resolve("sources[" + source + "].path", path.asText()));
    }

    private void batches(Context ctx) {
        Http.json(ctx, ApiJson.catalogEntries(ingestor.batches()));
    }

    private void records(Context ctx) {
        Http.json(ctx, ApiJson.quarantine(ingestor.quarantine(ctx.pathParam("batch"), Http.intNumber(ctx, "limit", 100))));
    }
}
