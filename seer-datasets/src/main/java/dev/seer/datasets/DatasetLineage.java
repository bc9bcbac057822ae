package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import dev.seer.core.features.PointInTimeRetrieval.ServiceVersion;
import dev.seer.core.provenance.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a dataset version's rows came from, as its manifest records it: a point-in-time join
 * ({@link Retrieval}) or an imported file ({@link Import}). Either names the stored objects it
 * read, so a reproduction needs nothing outside the store.
 */
public sealed interface DatasetLineage permits DatasetLineage.Retrieval, DatasetLineage.Import {
    /** The one JSON form of a lineage, as a manifest holds it and the lineage answer carries it. */
    Codec<DatasetLineage> CODEC = new DatasetLineageCodec("dataset lineage");

    /** The manifest's name for the kind: {@code retrieval} or {@code import}. */
    String kind();

    /** The stored objects this lineage references (inputs, and the full record of batches read). */
    List<String> objects();

    /**
     * A point-in-time join of an entity file to features.
     *
     * @param features the features as asked: {@code view:feature} references or one feature service
     * @param featureRefs the features the join read, view by view: a service as it was when joined
     * @param label the label column asked for, as an option of the request
     * @param views per view: its definition version and a summary of the ingested batches read
     * @param batchesObject the object holding the full record of every batch read; empty until stored
     */
    record Retrieval(Entities entities, List<String> features, Optional<ServiceVersion> featureService,
            List<String> featureRefs, boolean filterByCreatedTimestamp, Optional<String> label, List<ViewSummary> views,
            Optional<String> batchesObject) implements DatasetLineage {
        public Retrieval {
            requireNonNull(entities, "entities is null");
            features = List.copyOf(features);
            requireNonNull(featureService, "featureService is null");
            featureRefs = List.copyOf(featureRefs);
            requireNonNull(label, "label is null");
            views = List.copyOf(views);
            requireNonNull(batchesObject, "batchesObject is null");
        }

        @Override
        public String kind() {
            return "retrieval";
        }

        @Override
        public List<String> objects() {
            List<String> objects = new ArrayList<>(List.of(entities.sha256()));
            batchesObject.ifPresent(objects::add);
            return objects;
        }

        Retrieval withBatchesObject(String sha256) {
            return new Retrieval(entities, features, featureService, featureRefs, filterByCreatedTimestamp, label, views,
                    Optional.of(sha256));
        }
    }

    /** An external file stored as it was (Parquet) or converted (CSV, JSON lines). */
    record Import(StoredFile file, Optional<String> label) implements DatasetLineage {
        public Import {
            requireNonNull(file, "file is null");
            requireNonNull(label, "label is null");
        }

        @Override
        public String kind() {
            return "import";
        }

        @Override
        public List<String> objects() {
            return List.of(file.sha256());
        }
    }

    /** The entity file joined: where it was, the stored copy's hash and size, and its rows. */
    record Entities(String path, String sha256, long bytes, long rows) {
        public Entities {
            requireNonNull(path, "path is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    /** An imported file: where it was, and the stored copy's hash and size. */
    record StoredFile(String path, String sha256, long bytes) {
        public StoredFile {
            requireNonNull(path, "path is null");
            requireNonNull(sha256, "sha256 is null");
        }
    }

    /**
     * What the join read of one view: file batches by content hash, stream batches as offset spans
     * per topic and partition, and the entity rows that matched a feature row.
     *
     * @param batches how many batches were read
     */
    record ViewSummary(String view, int version, int batches, List<FileBatch> files, long matchedRows,
            List<OffsetSpan> kafka) {
        public ViewSummary {
            requireNonNull(view, "view is null");
            files = List.copyOf(files);
            kafka = List.copyOf(kafka);
        }
    }

    /** A batch ingested from a file. */
    record FileBatch(String batchId, String path, String contentHash) {
        public FileBatch {
            requireNonNull(batchId, "batchId is null");
            requireNonNull(path, "path is null");
            requireNonNull(contentHash, "contentHash is null");
        }
    }

    /** The offsets of one topic and partition read by {@code batches} stream micro-batches. */
    record OffsetSpan(String topic, int partition, long firstOffset, long lastOffset, int batches) {
        public OffsetSpan {
            requireNonNull(topic, "topic is null");
        }

        OffsetSpan plus(OffsetSpan other) {
            return new OffsetSpan(topic, partition, Math.min(firstOffset, other.firstOffset),
                    Math.max(lastOffset, other.lastOffset), batches + other.batches);
        }
    }
}
