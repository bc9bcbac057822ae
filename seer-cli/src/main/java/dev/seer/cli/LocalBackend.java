package dev.seer.cli;

import dev.seer.core.Json;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.FeatureLookup;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.core.home.HomeLock;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import dev.seer.features.online.Materializer;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.TreeHead;
import dev.seer.server.Call;
import dev.seer.server.Operation;
import dev.seer.server.SeerServices;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The CLI owning the home for the length of one command. */
final class LocalBackend implements Backend {
    private final SeerServices services;
    private final HomeLock lock;
    private final String actor;

    LocalBackend(SeerServices services, HomeLock lock, String actor) {
        this.services = services;
        this.lock = lock;
        this.actor = actor;
    }

    static String localActor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    @Override
    public <I, O> O call(Operation<I, O> operation, I request, Consumer<String> progress) {
        return operation.handle(services, request, new Call(actor, progress));
    }

    @Override
    public AuditPage audit(AuditQuery query) {
        return services.audit().query(query);
    }

    @Override
    public AuditVerification verify(Optional<TreeHead> against) {
        AuditVerification verification = services.audit().verify(against);
        // Recorded without waiting: a tampered log may refuse appends, and the verdict must still be told.
        services.audit().append(new AuditRecord(actor, "audit.verified", "audit_log", "main",
                Json.object().put("against", against.isPresent()).put("ok", verification.ok())));
        return verification;
    }

    @Override
    public TreeHead checkpoint() {
        TreeHead head = services.audit().checkpoint();
        record("audit.checkpointed", Json.object().put("size", head.size()).put("root_hash", head.rootHash()));
        return head;
    }

    @Override
    public InclusionProof prove(long seq, Optional<Long> treeSize) {
        return services.audit().proveInclusion(seq, treeSize);
    }

    @Override
    public List<FeatureRegistry.Change> planFeatures(Path path) {
        return services.features().plan(path);
    }

    @Override
    public List<FeatureRegistry.Change> applyFeatures(Path path) {
        return services.features().apply(path, actor);
    }

    @Override
    public List<CatalogEntry> featureViews() {
        return services.features().views();
    }

    @Override
    public CatalogEntry featureView(String name, Optional<Integer> version) {
        return services.features().view(name, version);
    }

    @Override
    public IngestReport ingest(String source, Optional<Path> file, java.util.function.Consumer<String> progress) {
        return services.ingestor().ingest(source, file, actor, progress);
    }

    @Override
    public PointInTimeRetrieval.Result historical(Path entities, List<String> features, Path out, boolean filterByCreated) {
        return services.historical().run(entities, features, out, filterByCreated);
    }

    @Override
    public Materializer.Report materialize(List<String> views, Optional<Instant> start, Instant end) {
        return services.materializer().materialize(views, start, end, actor);
    }

    @Override
    public List<FeatureLookup.EntityValues> online(List<String> features, Map<String, List<String>> entities) {
        return services.featureServer().lookup(features, entities);
    }

    @Override
    public List<CatalogEntry> batches() {
        return services.ingestor().batches();
    }

    @Override
    public List<QuarantineRecord> quarantine(String batchId, int limit) {
        return services.ingestor().quarantine(batchId, limit);
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode consistency(String view, int sample, Optional<java.time.Instant> at) {
        return dev.seer.server.ApiJson.consistency(services.consistency().check(view, sample,
                at.orElse(services.clock().instant())));
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode streamingStatus() {
        return dev.seer.server.ApiJson.streamingStatus(services.streaming().status(), services.streaming().sourceStatus());
    }

    @Override
    public List<dev.seer.features.stream.DeadLetter> deadLetters(Optional<String> source, int limit) {
        return services.streaming().deadLetters(source, limit); // starts the home's broker for the call if it has one
    }

    @Override
    public String describe() {
        return "home " + services.home().root();
    }

    private void record(String action, com.fasterxml.jackson.databind.node.ObjectNode payload) {
        services.audit().appendAndWait(new AuditRecord(actor, action, "audit_log", "main", payload));
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode dataset(dev.seer.server.DatasetApi.Operation operation,
            com.fasterxml.jackson.databind.JsonNode request, java.util.function.Consumer<String> progress) {
        return dev.seer.server.DatasetApi.call(services.datasets(), operation, request, actor, progress);
    }

    @Override
    public void close() {
        try {
            services.close();
        } finally {
            lock.close();
        }
    }
}
