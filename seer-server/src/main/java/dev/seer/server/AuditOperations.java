package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.serving.log.LogVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.TreeHead;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit log: query, verify, tree heads and inclusion proofs; for admins and auditors. */
public final class AuditOperations {
    /** An inclusion proof of entry {@code seq}, in the current tree or in that of the first {@code treeSize} entries. */
    public record Prove(long seq, Optional<Long> treeSize) {}

    public static final Operation<AuditQuery, AuditPage> LIST = Operation
            .<AuditQuery, AuditPage>get("audit.list", "/api/v1/audit").roles(ADMIN, AUDITOR)
            .request(Codec.of(AuditOperations::query, AuditOperations::query))
            .response(Codec.of(ApiJson::page, ApiJson::page))
            .handler((services, query, call) -> services.audit().query(query));

    /**
     * The verdict of {@link #VERIFY}: the audit log's chain and tree head, and the prediction log's
     * batches against the hashes the audit log recorded of them (a changed or removed prediction).
     */
    public record Verified(AuditVerification audit, LogVerification predictions) {
        public boolean ok() {
            return audit.ok() && predictions.ok();
        }
    }

    /** Verifies the log, against a tree head if given, and the prediction log against it; records the verdict. */
    public static final Operation<Optional<TreeHead>, Verified> VERIFY = Operation
            .<Optional<TreeHead>, Verified>post("audit.verify", "/api/v1/audit/verify").roles(ADMIN, AUDITOR)
            .request(Codec.of(AuditOperations::against, AuditOperations::against))
            .response(Codec.of(AuditOperations::verified, AuditOperations::verified))
            .handler(AuditOperations::verify);

    public static final Operation<Codec.Empty, TreeHead> TREE_HEAD = Operation
            .<Codec.Empty, TreeHead>get("audit.tree-head", "/api/v1/audit/checkpoint").roles(ADMIN, AUDITOR)
            .request(Codec.EMPTY).response(Codec.of(ApiJson::treeHead, ApiJson::treeHead))
            .handler((services, request, call) -> services.audit().treeHead());

    /** Records a checkpoint and returns its tree head. */
    public static final Operation<Codec.Empty, TreeHead> CHECKPOINT = Operation
            .<Codec.Empty, TreeHead>post("audit.checkpoint", "/api/v1/audit/checkpoint").roles(ADMIN, AUDITOR).status(201)
            .request(Codec.EMPTY).response(Codec.of(ApiJson::treeHead, ApiJson::treeHead))
            .handler(AuditOperations::checkpoint);

    public static final Operation<Prove, InclusionProof> PROVE = Operation
            .<Prove, InclusionProof>get("audit.prove", "/api/v1/audit/{seq}/proof").roles(ADMIN, AUDITOR)
            .request(Codec.of(AuditOperations::prove, AuditOperations::prove))
            .response(Codec.of(ApiJson::proof, ApiJson::proof))
            .handler((services, request, call) -> services.audit().proveInclusion(request.seq(), request.treeSize()));

    static final List<Operation<?, ?>> ALL = List.of(LIST, VERIFY, TREE_HEAD, CHECKPOINT, PROVE);

    private AuditOperations() {}

    private static Verified verify(SeerServices services, Optional<TreeHead> against, Call call) {
        AuditVerification verification = services.audit().verify(against);
        LogVerification predictions = services.serving().log().verify();
        // Recorded without waiting: a tampered log may refuse appends, and the verdict must still be told.
        services.audit().append(new AuditRecord(call.actor(), "audit.verified", "audit_log", "main",
                Json.object().put("against", against.isPresent()).put("ok", verification.ok())
                        .put("prediction_log_ok", predictions.ok())));
        return new Verified(verification, predictions);
    }

    private static ObjectNode verified(Verified v) {
        ObjectNode node = ApiJson.verification(v.audit());
        node.put("ok", v.ok()).put("audit_log_ok", v.audit().ok());
        ObjectNode log = node.putObject("prediction_log").put("ok", v.predictions().ok())
                .put("batches_checked", v.predictions().batchesChecked())
                .put("predictions_checked", v.predictions().predictionsChecked());
        v.predictions().problem().ifPresentOrElse(p -> log.putObject("problem").put("kind", p.kind().name())
                .put("batch", p.batch()).put("segment", p.segment()).put("offset", p.offset()).put("message", p.message()),
                () -> log.putNull("problem"));
        return node;
    }

    private static Verified verified(JsonNode node) {
        JsonNode log = node.path("prediction_log");
        JsonNode p = log.path("problem");
        Optional<LogVerification.Problem> problem = p.isObject() ? Optional.of(new LogVerification.Problem(
                LogVerification.Kind.valueOf(p.path("kind").asText()), p.path("batch").asLong(), p.path("segment").asText(),
                p.path("offset").asLong(), p.path("message").asText())) : Optional.empty();
        return new Verified(ApiJson.verification(node), new LogVerification(log.path("batches_checked").asLong(),
                log.path("predictions_checked").asLong(), problem));
    }

    private static TreeHead checkpoint(SeerServices services, Codec.Empty request, Call call) {
        TreeHead head = services.audit().checkpoint();
        services.audit().appendAndWait(new AuditRecord(call.actor(), "audit.checkpointed", "audit_log", "main",
                Json.object().put("size", head.size()).put("root_hash", head.rootHash())));
        return head;
    }

    private static ObjectNode query(AuditQuery query) {
        ObjectNode node = Json.object();
        query.actor().ifPresent(v -> node.put("actor", v));
        query.action().ifPresent(v -> node.put("action", v));
        query.subjectType().ifPresent(v -> node.put("subject_type", v));
        query.subjectId().ifPresent(v -> node.put("subject_id", v));
        query.from().ifPresent(v -> node.put("from", v.toString()));
        query.to().ifPresent(v -> node.put("to", v.toString()));
        return node.put("after", Long.toString(query.afterSeq())).put("limit", Integer.toString(query.limit()));
    }

    private static AuditQuery query(JsonNode node) {
        AuditQuery query = AuditQuery.all()
                .page(Fields.queryNumber(node, "after", 0), Fields.queryInt(node, "limit", AuditQuery.DEFAULT_LIMIT))
                .withTimeRange(Fields.queryInstant(node, "from"), Fields.queryInstant(node, "to"));
        query = Fields.optional(node, "actor").map(query::withActor).orElse(query);
        query = Fields.optional(node, "action").map(query::withAction).orElse(query);
        Optional<String> subjectType = Fields.optional(node, "subject_type");
        Optional<String> subjectId = Fields.optional(node, "subject_id");
        if (subjectId.isPresent() && subjectType.isEmpty()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                    "Query parameter [subject_id] needs [subject_type] too", Map.of("parameter", "subject_id"));
        }
        return subjectType.isPresent() ? query.withSubject(subjectType.get(), subjectId) : query;
    }

    private static ObjectNode against(Optional<TreeHead> against) {
        ObjectNode node = Json.object();
        against.ifPresent(head -> node.set("against", ApiJson.treeHead(head)));
        return node;
    }

    private static Optional<TreeHead> against(JsonNode node) {
        return node.hasNonNull("against") ? Optional.of(ApiJson.treeHead(node.get("against"))) : Optional.empty();
    }

    private static ObjectNode prove(Prove prove) {
        ObjectNode node = Json.object().put("seq", Long.toString(prove.seq()));
        prove.treeSize().ifPresent(size -> node.put("tree_size", size.toString()));
        return node;
    }

    private static Prove prove(JsonNode node) {
        long seq = Fields.pathNumber(node, "seq");
        return new Prove(seq, Fields.optional(node, "tree_size").map(text -> Fields.queryNumber(node, "tree_size", 0)));
    }
}
