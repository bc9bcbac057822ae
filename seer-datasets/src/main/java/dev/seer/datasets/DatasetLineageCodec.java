package dev.seer.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.features.PointInTimeRetrieval.ServiceVersion;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import dev.seer.datasets.DatasetLineage.Entities;
import dev.seer.datasets.DatasetLineage.FileBatch;
import dev.seer.datasets.DatasetLineage.Import;
import dev.seer.datasets.DatasetLineage.OffsetSpan;
import dev.seer.datasets.DatasetLineage.Retrieval;
import dev.seer.datasets.DatasetLineage.StoredFile;
import dev.seer.datasets.DatasetLineage.ViewSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Format 1 is the lineage as manifests have always held it (field order: see
 * {@link DatasetManifestCodec}, whose fingerprint hashes it). Inside a manifest it has no format
 * of its own, the manifest's covers it; alone (the lineage API answer) it is read the same way.
 */
final class DatasetLineageCodec implements Codec<DatasetLineage> {
    private final String kind;

    /** @param kind what the lineage is, for messages: {@code lineage of a dataset manifest} */
    DatasetLineageCodec(String kind) {
        this.kind = kind;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(DatasetLineage lineage) {
        ObjectNode json = Json.object().put("kind", lineage.kind());
        if (lineage instanceof Retrieval r) {
            json.putObject("entities").put("path", r.entities().path()).put("sha256", r.entities().sha256())
                    .put("bytes", r.entities().bytes()).put("rows", r.entities().rows());
            r.features().forEach(json.putArray("features")::add);
            r.featureService().ifPresent(s -> json.putObject("feature_service").put("name", s.name())
                    .put("version", s.version()));
            r.featureRefs().forEach(json.putArray("feature_refs")::add);
            json.putObject("options").put("filter_by_created_timestamp", r.filterByCreatedTimestamp())
                    .put("label", r.label().orElse(null)); // recorded as null when none was asked for
            ArrayNode views = json.putArray("views");
            r.views().forEach(v -> views.add(view(v)));
            r.batchesObject().ifPresent(b -> json.put("batches_object", b));
        } else if (lineage instanceof Import i) {
            json.putObject("file").put("path", i.file().path()).put("sha256", i.file().sha256()).put("bytes", i.file().bytes());
            json.putObject("options").put("label", i.label().orElse(null));
        }
        return json;
    }

    private static ObjectNode view(ViewSummary v) {
        ObjectNode json = Json.object().put("view", v.view()).put("version", v.version()).put("batches", v.batches());
        ArrayNode files = json.putArray("files");
        v.files().forEach(f -> files.addObject().put("batch_id", f.batchId()).put("path", f.path())
                .put("content_hash", f.contentHash()));
        json.put("matched_rows", v.matchedRows());
        ArrayNode kafka = json.putArray("kafka");
        v.kafka().forEach(k -> kafka.addObject().put("topic", k.topic()).put("partition", k.partition())
                .put("first_offset", k.firstOffset()).put("last_offset", k.lastOffset()).put("batches", k.batches()));
        return json;
    }

    @Override
    public DatasetLineage decode(JsonNode json) {
        checkVersion(json);
        String kind = kind();
        Fields f = new Fields(json, kind);
        Fields options = new Fields(f.object("options"), "options of the " + kind());
        return switch (f.text("kind")) {
            case "retrieval" -> {
                Fields e = new Fields(f.object("entities"), "entities of the " + kind());
                Optional<ServiceVersion> service = Optional.empty();
                if (f.present("feature_service")) {
                    Fields s = new Fields(f.object("feature_service"), "feature service of the " + kind());
                    service = Optional.of(new ServiceVersion(s.text("name"), s.integer("version")));
                }
                List<ViewSummary> views = new ArrayList<>();
                for (JsonNode v : f.array("views")) {
                    views.add(view(v));
                }
                yield new Retrieval(new Entities(e.text("path"), e.text("sha256"), e.number("bytes"), e.number("rows")),
                        f.texts("features"), service, f.texts("feature_refs"), options.bool("filter_by_created_timestamp",
                        false), options.optionalText("label"), views, f.optionalText("batches_object"));
            }
            case "import" -> {
                Fields file = new Fields(f.object("file"), "imported file of the " + kind());
                yield new Import(new StoredFile(file.text("path"), file.text("sha256"), file.number("bytes")),
                        options.optionalText("label"));
            }
            default -> throw DatasetManifestCodec.bad("kind", kind, "retrieval or import", json.get("kind"));
        };
    }

    private ViewSummary view(JsonNode json) {
        Fields v = new Fields(json, "view of the " + kind());
        List<FileBatch> files = new ArrayList<>();
        for (JsonNode file : v.array("files")) {
            Fields b = new Fields(file, "file batch of the " + kind());
            files.add(new FileBatch(b.text("batch_id"), b.text("path"), b.text("content_hash")));
        }
        List<OffsetSpan> kafka = new ArrayList<>();
        for (JsonNode span : v.array("kafka")) {
            Fields k = new Fields(span, "Kafka span of the " + kind());
            kafka.add(new OffsetSpan(k.text("topic"), k.integer("partition"), k.number("first_offset"),
                    k.number("last_offset"), k.integer("batches")));
        }
        return new ViewSummary(v.text("view"), v.integer("version"), v.integer("batches"), files, v.number("matched_rows"),
                kafka);
    }

}
