package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Batch ingestion and the quarantine. The file ingested is uploaded (part {@code file}), or a
 * path inside the server's file roots ({@code {"file": ...}}), or else the source's own file,
 * which on a server must lie inside the roots too: a definition may have come from any
 * scientist's apply, so its path is checked as a request's would be.
 */
public final class IngestOperations {
    /** An ingestion of {@code source}, from {@code file} or else the source's own file. */
    public record Ingest(String source, Optional<Path> file) {}

    /** The quarantined rows of one batch, at most {@code limit}. */
    public record Quarantine(String batch, int limit) {}

    private static final Operation.FileInput FILE = new Operation.FileInput("file", "file",
            (request, body, services) -> request.input("file").or(() -> sourceFile(request, services,
                    body.path("source").asText())),
            Operation.FileInput.file("file")::upload);

    /** {@code progress} hears each step of a local ingestion; a server's reports only at the end. */
    public static final Operation<Ingest, IngestReport> INGEST = Operation
            .<Ingest, IngestReport>post("ingest", "/api/v1/ingest/{source}").roles(ADMIN, SCIENTIST, OPERATOR)
            .input(FILE).request(Codec.of(IngestOperations::ingest, IngestOperations::ingest))
            .response(Codec.of(ApiJson::ingestReport, ApiJson::ingestReport))
            .handler((services, ingest, call) -> services.ingestor().ingest(ingest.source(), ingest.file(), call.actor(),
                    call.progress()));

    /** Every ingested batch, oldest first. */
    public static final Operation<Codec.Empty, List<CatalogEntry>> BATCHES = Operation
            .<Codec.Empty, List<CatalogEntry>>get("quarantine.batches", "/api/v1/quarantine")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.EMPTY).response(Codec.of(ApiJson::catalogEntries, ApiJson::catalogEntries))
            .handler((services, request, call) -> services.ingestor().batches());

    public static final Operation<Quarantine, List<QuarantineRecord>> QUARANTINE = Operation
            .<Quarantine, List<QuarantineRecord>>get("quarantine.records", "/api/v1/quarantine/{batch}")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(q -> Json.object().put("batch", q.batch()).put("limit", Integer.toString(q.limit())),
                    node -> new Quarantine(node.path("batch").asText(), Fields.queryInt(node, "limit", 100))))
            .response(Codec.of(ApiJson::quarantine, ApiJson::quarantine))
            .handler((services, q, call) -> services.ingestor().quarantine(q.batch(), q.limit()));

    static final List<Operation<?, ?>> ALL = List.of(INGEST, BATCHES, QUARANTINE);

    private IngestOperations() {}

    private static ObjectNode ingest(Ingest ingest) {
        ObjectNode node = Json.object().put("source", ingest.source());
        ingest.file().ifPresent(file -> node.put("file", file.toString()));
        return node;
    }

    private static Ingest ingest(JsonNode node) {
        return new Ingest(node.path("source").asText(), Fields.optional(node, "file").map(Path::of));
    }

    /** The file a file source reads, checked against the roots; empty for others (the ingestor explains). */
    private static Optional<Path> sourceFile(RequestFiles request, SeerServices services, String source) {
        return services.catalog().latest(FeatureRegistry.SOURCE, source)
                .map(entry -> entry.body().path("path"))
                .filter(JsonNode::isTextual)
                .map(path -> request.files().resolve("sources[" + source + "].path", path.asText()));
    }
}
