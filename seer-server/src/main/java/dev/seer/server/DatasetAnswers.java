package dev.seer.server;

import static dev.seer.server.ApiJson.texts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.provenance.Fields;
import dev.seer.datasets.BatchesRead;
import dev.seer.datasets.DatasetDiff;
import dev.seer.datasets.DatasetLineage;
import dev.seer.datasets.DatasetManifest;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.DatasetVersion;
import dev.seer.datasets.LineageReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of the dataset operations' answers, both ways: the server writes it and a remote CLI
 * reads it back into the same values, so commands print from typed values in both modes. The
 * form is the one the API has always answered with; manifests and lineage travel in their
 * codecs' canonical form (keys sorted), as the catalog records them.
 */
final class DatasetAnswers {
    static final Codec<DatasetVersion> VERSION = Codec.of(DatasetAnswers::version, DatasetAnswers::version);
    static final Codec<List<DatasetVersion>> VERSIONS = Codec.of(DatasetAnswers::versions, DatasetAnswers::versions);
    static final Codec<DatasetStore.Written> WRITTEN = Codec.of(DatasetAnswers::written, DatasetAnswers::written);
    static final Codec<LineageReport> LINEAGE = Codec.of(DatasetAnswers::lineage, DatasetAnswers::lineage);
    static final Codec<DatasetDiff> DIFF = Codec.of(DatasetAnswers::diff, DatasetAnswers::diff);
    static final Codec<DatasetStore.Reproduction> REPRODUCTION = Codec.of(DatasetAnswers::reproduction,
            DatasetAnswers::reproduction);
    static final Codec<DatasetStore.Verification> VERIFICATION = Codec.of(DatasetAnswers::verification,
            DatasetAnswers::verification);
    static final Codec<DatasetStore.GarbageReport> GARBAGE = Codec.of(DatasetAnswers::garbage, DatasetAnswers::garbage);

    private DatasetAnswers() {}

    private static ObjectNode version(DatasetVersion version) {
        ObjectNode node = Json.object().put("dataset", version.toString()).put("name", version.name())
                .put("version", version.version()).put("created", version.created().toString())
                .put("created_by", version.createdBy());
        node.set("manifest", version.manifest().toJson());
        return node;
    }

    /** Refuses a manifest of a newer format (a newer server) rather than misreading it. */
    private static DatasetVersion version(JsonNode node) {
        Fields f = new Fields(node, "dataset version");
        return new DatasetVersion(f.text("name"), f.integer("version"), DatasetManifest.CODEC.decode(f.object("manifest")),
                f.instant("created"), f.text("created_by"));
    }

    private static ArrayNode versions(List<DatasetVersion> versions) {
        ArrayNode array = Json.mapper().createArrayNode();
        versions.forEach(v -> array.add(version(v)));
        return array;
    }

    private static List<DatasetVersion> versions(JsonNode node) {
        List<DatasetVersion> versions = new ArrayList<>();
        list(node, "dataset versions").forEach(v -> versions.add(version(v)));
        return versions;
    }

    private static ObjectNode written(DatasetStore.Written written) {
        return version(written.version()).put("created_new_version", written.created()).put("bytes_stored",
                written.bytesStored());
    }

    private static DatasetStore.Written written(JsonNode node) {
        Fields f = new Fields(node, "dataset version written");
        return new DatasetStore.Written(version(node), f.bool("created_new_version", false), f.number("bytes_stored"));
    }

    private static ObjectNode lineage(LineageReport r) {
        ObjectNode node = Json.object().put("dataset", r.dataset().toString()).put("content_hash", r.contentHash())
                .put("rows", r.rows()).put("created", r.created().toString()).put("creator", r.creator());
        node.set("lineage", Json.parse(Json.canonical(DatasetLineage.CODEC.encode(r.lineage()))));
        node.set("batches", r.batches().toJson());
        return node;
    }

    private static LineageReport lineage(JsonNode node) {
        Fields f = new Fields(node, "dataset lineage report");
        return new LineageReport(DatasetRef.parse(f.text("dataset")), f.text("content_hash"), f.number("rows"),
                f.instant("created"), f.text("creator"), DatasetLineage.CODEC.decode(f.object("lineage")),
                BatchesRead.fromJson(node.get("batches")));
    }

    private static ObjectNode diff(DatasetDiff d) {
        ObjectNode node = Json.object().put("a", d.a().toString()).put("b", d.b().toString());
        d.key().forEach(node.putArray("key")::add);
        ArrayNode schema = node.putArray("schema");
        d.schema().forEach(c -> {
            ObjectNode change = schema.addObject().put("column", c.column()).put("change", c.change().name()
                    .toLowerCase(Locale.ROOT));
            c.typeA().ifPresent(t -> change.put("type_a", t));
            c.typeB().ifPresent(t -> change.put("type_b", t));
        });
        node.putObject("rows").put("added", d.rows().added()).put("removed", d.rows().removed())
                .put("changed", d.rows().changed());
        ObjectNode samples = node.putObject("samples");
        samples.set("added", keys(d.samples().added()));
        samples.set("removed", keys(d.samples().removed()));
        samples.set("changed", keys(d.samples().changed()));
        ObjectNode statistics = node.putObject("statistics");
        d.statistics().forEach((column, s) -> {
            ObjectNode sides = statistics.putObject(column);
            sides.set("a", s.a().orElse(Json.mapper().nullNode()));
            sides.set("b", s.b().orElse(Json.mapper().nullNode()));
        });
        return node;
    }

    private static DatasetDiff diff(JsonNode node) {
        Fields f = new Fields(node, "dataset diff");
        List<DatasetDiff.ColumnChange> schema = new ArrayList<>();
        for (JsonNode c : f.array("schema")) {
            Fields change = new Fields(c, "column change of a dataset diff");
            schema.add(new DatasetDiff.ColumnChange(change.text("column"), change(change.text("change")),
                    change.optionalText("type_a"), change.optionalText("type_b")));
        }
        Fields rows = new Fields(f.object("rows"), "row counts of a dataset diff");
        Fields samples = new Fields(f.object("samples"), "samples of a dataset diff");
        Map<String, DatasetDiff.Statistics> statistics = new LinkedHashMap<>();
        f.object("statistics").fields().forEachRemaining(e -> statistics.put(e.getKey(), new DatasetDiff.Statistics(
                profile(e.getValue().get("a")), profile(e.getValue().get("b")))));
        return new DatasetDiff(DatasetRef.parse(f.text("a")), DatasetRef.parse(f.text("b")), f.texts("key"), schema,
                new DatasetDiff.Rows(rows.number("added"), rows.number("removed"), rows.number("changed")),
                new DatasetDiff.Samples(keys(samples, "added"), keys(samples, "removed"), keys(samples, "changed")),
                statistics);
    }

    private static DatasetDiff.Change change(String text) {
        return switch (text) {
            case "added" -> DatasetDiff.Change.ADDED;
            case "removed" -> DatasetDiff.Change.REMOVED;
            case "type" -> DatasetDiff.Change.TYPE;
            default -> throw unsupported("change of a dataset diff", text);
        };
    }

    private static Optional<JsonNode> profile(JsonNode side) {
        return side == null || side.isNull() ? Optional.empty() : Optional.of(side);
    }

    private static ArrayNode keys(List<Map<String, String>> rows) {
        ArrayNode array = Json.mapper().createArrayNode();
        rows.forEach(row -> {
            ObjectNode key = array.addObject();
            row.forEach(key::put);
        });
        return array;
    }

    private static List<Map<String, String>> keys(Fields samples, String kind) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode row : samples.array(kind)) {
            Map<String, String> key = new LinkedHashMap<>();
            row.fields().forEachRemaining(e -> key.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            rows.add(key);
        }
        return rows;
    }

    private static ObjectNode reproduction(DatasetStore.Reproduction r) {
        ObjectNode node = Json.object().put("dataset", r.dataset()).put("same", r.same()).put("recorded_hash", r.recordedHash())
                .put("reproduced_hash", r.reproducedHash());
        node.set("recorded_splits", texts(r.recordedSplits()));
        node.set("reproduced_splits", texts(r.reproducedSplits()));
        return node;
    }

    private static DatasetStore.Reproduction reproduction(JsonNode node) {
        Fields f = new Fields(node, "dataset reproduction");
        return new DatasetStore.Reproduction(f.text("dataset"), f.text("recorded_hash"), f.text("reproduced_hash"),
                texts(f.object("recorded_splits")), texts(f.object("reproduced_splits")));
    }

    private static ObjectNode verification(DatasetStore.Verification v) {
        ObjectNode node = Json.object().put("ok", v.ok()).put("objects", v.objects()).put("bytes", v.bytes());
        ArrayNode problems = node.putArray("problems");
        v.problems().forEach(p -> {
            ObjectNode problem = problems.addObject().put("object", p.object()).put("message", p.message());
            p.usedBy().forEach(problem.putArray("used_by")::add);
        });
        return node;
    }

    private static DatasetStore.Verification verification(JsonNode node) {
        Fields f = new Fields(node, "dataset verification");
        List<DatasetStore.Verification.Problem> problems = new ArrayList<>();
        for (JsonNode p : f.array("problems")) {
            Fields problem = new Fields(p, "problem of a dataset verification");
            problems.add(new DatasetStore.Verification.Problem(problem.text("object"), problem.text("message"),
                    problem.texts("used_by")));
        }
        return new DatasetStore.Verification(f.integer("objects"), f.number("bytes"), problems);
    }

    private static ObjectNode garbage(DatasetStore.GarbageReport g) {
        ObjectNode node = Json.object().put("dry_run", g.dryRun()).put("bytes", g.bytes());
        g.objects().forEach(node.putArray("objects")::add);
        g.leftovers().forEach(node.putArray("leftovers")::add);
        return node;
    }

    private static DatasetStore.GarbageReport garbage(JsonNode node) {
        Fields f = new Fields(node, "dataset garbage report");
        return new DatasetStore.GarbageReport(f.bool("dry_run", false), f.texts("objects"), f.number("bytes"),
                f.texts("leftovers"));
    }

    private static Iterable<JsonNode> list(JsonNode node, String kind) {
        if (node == null || !node.isArray()) {
            throw unsupported(kind, node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    private static SeerException unsupported(String kind, String value) {
        return new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, "Cannot read the " + kind + " [" + value
                + "]: it was written by a newer Seer, or is damaged", Map.of("kind", kind));
    }
}
