package dev.seer.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
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
import dev.seer.datasets.DatasetManifest.Column;
import dev.seer.datasets.DatasetManifest.DataFile;
import dev.seer.datasets.DatasetManifest.Part;
import dev.seer.datasets.DatasetManifest.Splits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Format 1 is the manifest as Seer has always written it. The fields are written in the order the
 * manifest was first built in (data, schema, key, label, profile, splits, lineage; the hashes
 * and sizes of stored files last in their objects), because the fingerprint hashes the form in
 * that order: a different order would give every existing version a new fingerprint. The catalog
 * stores the canonical form (keys sorted), so the order is seen nowhere else.
 */
final class DatasetManifestCodec implements Codec<DatasetManifest> {
    /** The lineage inside a manifest: in the manifest's format, its messages naming the manifest. */
    private static final DatasetLineageCodec LINEAGE = new DatasetLineageCodec("lineage of a dataset manifest");

    @Override
    public String kind() {
        return "dataset manifest";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(DatasetManifest m) {
        ObjectNode json = Json.object().put(FORMAT, version()).put("name", m.name()).put("engine", m.engine());
        json.putObject("data").put("rows", m.data().rows()).put("format", m.data().format()).put("sha256", m.data().sha256())
                .put("bytes", m.data().bytes());
        ArrayNode schema = json.putArray("schema");
        m.schema().forEach(c -> schema.addObject().put("name", c.name()).put("type", c.type()));
        m.key().forEach(json.putArray("key")::add);
        m.label().ifPresent(l -> json.put("label", l));
        json.set("profile", m.profile());
        m.splits().ifPresent(s -> json.set("splits", splits(s)));
        json.set("lineage", LINEAGE.encode(m.lineage()));
        m.fingerprint().ifPresent(f -> json.put("fingerprint", f));
        m.created().ifPresent(c -> json.put("created", c.toString()));
        m.creator().ifPresent(c -> json.put("creator", c));
        return json;
    }

    private static ObjectNode splits(Splits s) {
        ObjectNode json = Json.object().put("method", s.spec().method().name().toLowerCase(Locale.ROOT));
        s.spec().columns().forEach(json.putArray("columns")::add);
        json.putObject("fractions").put("train", s.spec().train()).put("validation", s.spec().validation())
                .put("test", s.spec().test());
        if (s.rule() instanceof Splits.KeyRule key) {
            json.put("salt", key.salt()).put("bucket", key.bucket());
        } else if (s.rule() instanceof Splits.TimeRule time) {
            json.put("train_before_micros", time.trainBeforeMicros()).put("test_from_micros", time.testFromMicros())
                    .put("train_before", time.trainBefore()).put("test_from", time.testFrom());
        }
        ObjectNode parts = json.putObject("parts");
        s.parts().forEach((name, p) -> parts.putObject(name).put("rows", p.rows()).put("sha256", p.sha256())
                .put("bytes", p.bytes()));
        return json;
    }

    @Override
    public DatasetManifest decode(JsonNode json) {
        checkVersion(json);
        Fields f = new Fields(json, kind());
        Fields data = new Fields(f.object("data"), "data file of a " + kind());
        List<Column> schema = new ArrayList<>();
        for (JsonNode c : f.array("schema")) {
            Fields column = new Fields(c, "schema column of a " + kind());
            schema.add(new Column(column.text("name"), column.text("type")));
        }
        Optional<Splits> splits = f.present("splits") ? Optional.of(splits(f.object("splits"))) : Optional.empty();
        Optional<Instant> created = f.present("created") ? Optional.of(f.instant("created")) : Optional.empty();
        return new DatasetManifest(f.text("name"), f.text("engine"), new DataFile(data.text("sha256"), data.number("bytes"),
                data.number("rows"), data.text("format")), schema, f.texts("key"), f.optionalText("label"),
                f.object("profile"), splits, LINEAGE.decode(f.object("lineage")), f.optionalText("fingerprint"), created,
                f.optionalText("creator"));
    }

    private Splits splits(JsonNode json) {
        String kind = "splits of a " + kind();
        Fields f = new Fields(json, kind);
        SplitSpec.Method method = switch (f.text("method")) {
            case "key" -> SplitSpec.Method.KEY;
            case "time" -> SplitSpec.Method.TIME;
            default -> throw bad("method", kind, "key or time", json.get("method"));
        };
        JsonNode fractions = f.object("fractions");
        SplitSpec spec = new SplitSpec(method, f.texts("columns"), decimal(fractions, "train", kind),
                decimal(fractions, "validation", kind), decimal(fractions, "test", kind));
        Splits.Rule rule = method == SplitSpec.Method.KEY ? new Splits.KeyRule(f.text("salt"), f.text("bucket"))
                : new Splits.TimeRule(f.number("train_before_micros"), f.number("test_from_micros"), f.text("train_before"),
                        f.text("test_from"));
        Map<String, Part> parts = new LinkedHashMap<>();
        f.object("parts").fields().forEachRemaining(e -> {
            Fields part = new Fields(e.getValue(), "split part of a " + kind());
            parts.put(e.getKey(), new Part(part.number("rows"), part.text("sha256"), part.number("bytes")));
        });
        return new Splits(spec, rule, parts);
    }

    /** Fractions are the manifest's only decimals; {@link Fields} reads whole numbers and text. */
    private static double decimal(JsonNode json, String field, String kind) {
        JsonNode value = json.get(field);
        if (value == null || !value.isNumber()) {
            throw bad(field, kind, "a number", value);
        }
        return value.asDouble();
    }

    static SeerException bad(String field, String kind, String expected, JsonNode value) {
        return new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, "Field [" + field + "] of a " + kind + " must be "
                + expected + ", not [" + (value == null ? "missing" : value.toString()) + "]",
                Map.of("kind", kind, "field", field));
    }
}
