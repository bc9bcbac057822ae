package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.Sha256;
import dev.seer.core.provenance.Codec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a dataset version is, as recorded in the catalog: its data file, schema, key, label,
 * column profile, splits and lineage, the engine that wrote it, and, once recorded, its
 * fingerprint, creation time and creator. Its one stored form is {@link #CODEC}'s.
 *
 * @param engine the engine that wrote the data, with its version ({@code duckdb v1.5.6})
 * @param key the columns that identify a row, for diff; may be empty
 * @param profile the column profile (DuckDB's SUMMARIZE per column): free-form, so kept as JSON
 * @param fingerprint the hash of the manifest without its profile and what recording adds;
 *     versions with equal fingerprints have the same content and inputs
 */
public record DatasetManifest(String name, String engine, DataFile data, List<Column> schema, List<String> key,
        Optional<String> label, JsonNode profile, Optional<Splits> splits, DatasetLineage lineage,
        Optional<String> fingerprint, Optional<Instant> created, Optional<String> creator) {
    /** The one JSON form of a manifest. */
    public static final Codec<DatasetManifest> CODEC = new DatasetManifestCodec();

    public DatasetManifest {
        requireNonNull(name, "name is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(data, "data is null");
        schema = List.copyOf(schema);
        key = List.copyOf(key);
        requireNonNull(label, "label is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(splits, "splits is null");
        requireNonNull(lineage, "lineage is null");
        requireNonNull(fingerprint, "fingerprint is null");
        requireNonNull(created, "created is null");
        requireNonNull(creator, "creator is null");
    }

    /** The data file: canonical Parquet (or an imported Parquet file as it was), by its hash. */
    public record DataFile(String sha256, long bytes, long rows, String format) {
        public DataFile {
            requireNonNull(sha256, "sha256 is null");
            requireNonNull(format, "format is null");
        }
    }

    /** @param type the column's type as DuckDB names it ({@code DECIMAL(18,3)}, {@code STRUCT(a INTEGER)}) */
    public record Column(String name, String type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /**
     * How the rows were split: the request, the rule that placed each row, and the stored parts.
     *
     * @param parts by split name ({@code train}, {@code validation}, {@code test})
     */
    public record Splits(SplitSpec spec, Rule rule, Map<String, Part> parts) {
        public Splits {
            requireNonNull(spec, "spec is null");
            requireNonNull(rule, "rule is null");
            parts = inSplitOrder(parts);
        }

        /**
         * Train, validation, test, whatever order they came in (the catalog sorts keys): the
         * fingerprint hashes them in the order they were written.
         */
        private static Map<String, Part> inSplitOrder(Map<String, Part> parts) {
            Map<String, Part> ordered = new LinkedHashMap<>();
            Tables.SPLITS.stream().filter(parts::containsKey).forEach(s -> ordered.put(s, parts.get(s)));
            parts.forEach(ordered::putIfAbsent);
            return Collections.unmodifiableMap(ordered);
        }

        /** What placed a row, recorded so that a reader can place rows the same way. */
        public sealed interface Rule permits KeyRule, TimeRule {}

        /** A key split: rows by a hash of their key, salted ({@code bucket} says how, in words). */
        public record KeyRule(String salt, String bucket) implements Rule {
            public KeyRule {
                requireNonNull(salt, "salt is null");
                requireNonNull(bucket, "bucket is null");
            }
        }

        /** A time split: training rows are before {@code trainBefore}, test rows from {@code testFrom}. */
        public record TimeRule(long trainBeforeMicros, long testFromMicros, String trainBefore, String testFrom)
                implements Rule {
            public TimeRule {
                requireNonNull(trainBefore, "trainBefore is null");
                requireNonNull(testFrom, "testFrom is null");
            }
        }
    }

    /** One stored split. */
    public record Part(long rows, String sha256, long bytes) {
        public Part {
            requireNonNull(sha256, "sha256 is null");
        }
    }

    /**
     * The stored form as the catalog keeps it: canonical, keys sorted. The API answers with it,
     * so what a client reads is what is recorded.
     */
    public JsonNode toJson() {
        return Json.parse(Json.canonical(CODEC.encode(this)));
    }

    /** Every stored object this version references: data, splits, and what its lineage read. */
    public List<String> objects() {
        List<String> objects = new ArrayList<>(List.of(data.sha256()));
        objects.addAll(lineage.objects());
        splits.ifPresent(s -> s.parts().values().forEach(p -> objects.add(p.sha256())));
        return objects;
    }

    /**
     * The fingerprint of this content and these inputs: the hash of the stored form without what
     * recording adds (fingerprint, created, creator) and without the profile, which is derived
     * from the data and whose floating-point sums need not repeat to the last bit. The form is
     * hashed in the codec's field order, as it always was, so that recorded fingerprints still match.
     */
    String identity() {
        ObjectNode identity = CODEC.encode(new DatasetManifest(name, engine, data, schema, key, label, profile, splits,
                lineage, Optional.empty(), Optional.empty(), Optional.empty()));
        identity.remove("profile");
        return Sha256.hex(Json.write(identity));
    }

    /** This manifest as recorded: with its fingerprint, creation time and creator. */
    DatasetManifest recorded(String fingerprint, Instant created, String creator) {
        return new DatasetManifest(name, engine, data, schema, key, label, profile, splits, lineage, Optional.of(fingerprint),
                Optional.of(created), Optional.of(creator));
    }
}
