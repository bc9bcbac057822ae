package dev.seer.cli;

import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.FeatureLookup;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import dev.seer.features.online.Materializer;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.TreeHead;
import dev.seer.server.Operation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the CLI asks of a home. Two implementations: {@link LocalBackend} opens the home itself
 * when no process owns it; {@link RemoteBackend} asks the server that owns it over HTTP. Both
 * end in the same service classes.
 */
interface Backend extends AutoCloseable {
    /** Runs one operation; {@code progress} hears the steps of a long local one. */
    <I, O> O call(Operation<I, O> operation, I request, Consumer<String> progress);

    /** {@link #call(Operation, Object, Consumer)} without progress. */
    default <I, O> O call(Operation<I, O> operation, I request) {
        return call(operation, request, message -> { });
    }

    AuditPage audit(AuditQuery query);

    AuditVerification verify(Optional<TreeHead> against);

    /** Records a checkpoint and returns its tree head. */
    TreeHead checkpoint();

    /** A proof in the current tree, or in the tree of the first {@code treeSize} entries. */
    InclusionProof prove(long seq, Optional<Long> treeSize);

    /** What applying the feature repository at {@code path} would change. */
    List<FeatureRegistry.Change> planFeatures(Path path);

    List<FeatureRegistry.Change> applyFeatures(Path path);

    List<CatalogEntry> featureViews();

    CatalogEntry featureView(String name, Optional<Integer> version);

    /** {@code progress} hears each step of a local ingestion; a server's ingestion reports only at the end. */
    IngestReport ingest(String source, Optional<Path> file, java.util.function.Consumer<String> progress);

    Materializer.Report materialize(List<String> views, Optional<Instant> start, Instant end);

    List<FeatureLookup.EntityValues> online(List<String> features, Map<String, List<String>> entities);

    PointInTimeRetrieval.Result historical(Path entities, List<String> features, Path out, boolean filterByCreated);

    /** Every ingested batch, oldest first. */
    List<CatalogEntry> batches();

    List<QuarantineRecord> quarantine(String batchId, int limit);

    /** Online window aggregates of a sample of a view's entities against a batch recomputation at {@code at}. */
    com.fasterxml.jackson.databind.JsonNode consistency(String view, int sample, Optional<Instant> at);

    /** Streaming as the server (or this process) sees it: state, and per source lag and freshness. */
    com.fasterxml.jackson.databind.JsonNode streamingStatus();

    /** Records stream ingestion refused, oldest first; {@code source} empty for all. */
    List<dev.seer.features.stream.DeadLetter> deadLetters(Optional<String> source, int limit);

    /** A dataset operation (see {@code DatasetApi}); {@code progress} hears a local run's steps. */
    com.fasterxml.jackson.databind.JsonNode dataset(dev.seer.server.DatasetApi.Operation operation,
            com.fasterxml.jackson.databind.JsonNode request, java.util.function.Consumer<String> progress);

    /** Where the answers come from, for messages: the home folder or the server URL. */
    String describe();

    @Override
    void close();
}
