package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.features.Ingestor;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Batch ingestion and the quarantine over HTTP. */
final class IngestApi {
    private final Ingestor ingestor;

    IngestApi(Ingestor ingestor) {
        this.ingestor = ingestor;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/api/v1/ingest/{source}", this::ingest, ADMIN, SCIENTIST, OPERATOR),
                ApiRoute.get("/api/v1/quarantine", this::batches, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.get("/api/v1/quarantine/{batch}", this::records, ADMIN, SCIENTIST, OPERATOR, AUDITOR));
    }

    private void ingest(Context ctx) {
        JsonNode body = Http.body(ctx);
        Optional<Path> file = body.hasNonNull("file") ? Optional.of(Path.of(Http.requiredText(body, "file"))) : Optional.empty();
        Http.json(ctx, ApiJson.ingestReport(ingestor.ingest(ctx.pathParam("source"), file, Authenticator.actor(ctx))));
    }

    private void batches(Context ctx) {
        Http.json(ctx, ApiJson.catalogEntries(ingestor.batches()));
    }

    private void records(Context ctx) {
        Http.json(ctx, ApiJson.quarantine(ingestor.quarantine(ctx.pathParam("batch"), (int) Http.number(ctx, "limit", 100))));
    }
}
