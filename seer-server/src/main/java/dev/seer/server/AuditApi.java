package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.TreeHead;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit log over HTTP: query, verify, tree heads and inclusion proofs. */
final class AuditApi {
    private final AuditLog audit;

    AuditApi(AuditLog audit) {
        this.audit = audit;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/v1/audit", this::list, ADMIN, AUDITOR),
                ApiRoute.post("/api/v1/audit/verify", this::verify, ADMIN, AUDITOR),
                ApiRoute.get("/api/v1/audit/checkpoint", this::treeHead, ADMIN, AUDITOR),
                ApiRoute.post("/api/v1/audit/checkpoint", this::checkpoint, ADMIN, AUDITOR),
                ApiRoute.get("/api/v1/audit/{seq}/proof", this::proof, ADMIN, AUDITOR));
    }

    private void list(Context ctx) {
        AuditQuery query = AuditQuery.all()
                .page(Http.number(ctx, "after", 0), Http.intNumber(ctx, "limit", AuditQuery.DEFAULT_LIMIT))
                .withTimeRange(Http.instant(ctx, "from"), Http.instant(ctx, "to"));
        query = Http.query(ctx, "actor").map(query::withActor).orElse(query);
        query = Http.query(ctx, "action").map(query::withAction).orElse(query);
        Optional<String> subjectType = Http.query(ctx, "subject_type");
        Optional<String> subjectId = Http.query(ctx, "subject_id");
        if (subjectId.isPresent() && subjectType.isEmpty()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                    "Query parameter [subject_id] needs [subject_type] too", Map.of("parameter", "subject_id"));
        }
        if (subjectType.isPresent()) {
            query = query.withSubject(subjectType.get(), subjectId);
        }
        Http.json(ctx, ApiJson.page(audit.query(query)));
    }

    private void verify(Context ctx) {
        JsonNode body = Http.body(ctx);
        Optional<TreeHead> against = body.hasNonNull("against")
                ? Optional.of(ApiJson.treeHead(body.get("against"))) : Optional.empty();
        AuditVerification verification = audit.verify(against);
        // Recorded without waiting: a tampered log may refuse appends, and the verdict must still be told.
        audit.append(new AuditRecord(Authenticator.actor(ctx), "audit.verified", "audit_log", "main",
                Json.object().put("against", against.isPresent()).put("ok", verification.ok())));
        Http.json(ctx, ApiJson.verification(verification));
    }

    private void treeHead(Context ctx) {
        Http.json(ctx, ApiJson.treeHead(audit.treeHead()));
    }

    private void checkpoint(Context ctx) {
        TreeHead head = audit.checkpoint();
        record(ctx, "audit.checkpointed", Json.object().put("size", head.size()).put("root_hash", head.rootHash()));
        Http.json(ctx, 201, ApiJson.treeHead(head));
    }

    private void proof(Context ctx) {
        long seq = Http.pathNumber(ctx, "seq");
        Optional<Long> treeSize = Http.query(ctx, "tree_size").map(text -> Http.number(ctx, "tree_size", 0));
        Http.json(ctx, ApiJson.proof(audit.proveInclusion(seq, treeSize)));
    }

    private void record(Context ctx, String action, JsonNode payload) {
        audit.appendAndWait(new AuditRecord(Authenticator.actor(ctx), action, "audit_log", "main", payload));
    }
}
