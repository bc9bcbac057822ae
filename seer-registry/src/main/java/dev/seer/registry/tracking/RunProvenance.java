package dev.seer.registry.tracking;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Where a run Seer trained came from, enough to repeat it: the dataset version and its content
 * hash, the hash of the training spec, the seed, and the versions of Seer, the libraries that
 * trained it, Java and the operating system. The next link of the lineage chain after the
 * dataset version (model version → run → dataset version → view versions → batches).
 *
 * @param dataset a dataset version, {@code NAME:VERSION}
 * @param libraries library name to version, e.g. {@code xgboost4j} → {@code 3.4.0}
 * @param continuedFrom the model version, {@code NAME:VERSION}, whose model this run trained further
 *     (continued training); empty for a model trained from scratch
 */
public record RunProvenance(Optional<String> dataset, Optional<String> datasetHash, Optional<String> specHash,
        OptionalLong seed, String seerVersion, Map<String, String> libraries, String javaVersion, String os,
        Optional<String> continuedFrom) {
    /** The one JSON form, kept in the run's row. */
    public static final Codec<RunProvenance> CODEC = new RunProvenanceCodec();

    public RunProvenance {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(datasetHash, "datasetHash is null");
        requireNonNull(specHash, "specHash is null");
        requireNonNull(seed, "seed is null");
        requireNonNull(seerVersion, "seerVersion is null");
        libraries = Map.copyOf(libraries);
        requireNonNull(javaVersion, "javaVersion is null");
        requireNonNull(os, "os is null");
        requireNonNull(continuedFrom, "continuedFrom is null");
    }

    /** A run trained from scratch. */
    public RunProvenance(Optional<String> dataset, Optional<String> datasetHash, Optional<String> specHash,
            OptionalLong seed, String seerVersion, Map<String, String> libraries, String javaVersion, String os) {
        this(dataset, datasetHash, specHash, seed, seerVersion, libraries, javaVersion, os, Optional.empty());
    }

    /** The same provenance, for a run that continued training the model of {@code version} ({@code NAME:VERSION}). */
    public RunProvenance continuing(String version) {
        return new RunProvenance(dataset, datasetHash, specHash, seed, seerVersion, libraries, javaVersion, os,
                Optional.of(requireNonNull(version, "version is null")));
    }

    /**
     * This process's Seer, Java and OS versions, with the dataset, spec, seed and libraries given.
     * Seer's version is its jar's, or {@code dev} when run from classes.
     */
    public static RunProvenance here(Optional<String> dataset, Optional<String> datasetHash, Optional<String> specHash,
            OptionalLong seed, Map<String, String> libraries) {
        String seer = Optional.ofNullable(RunProvenance.class.getPackage().getImplementationVersion()).orElse("dev");
        return new RunProvenance(dataset, datasetHash, specHash, seed, seer, libraries,
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }
}

/** Format 2 added {@code continued_from}; format 1, the first, has none. */
final class RunProvenanceCodec implements Codec<RunProvenance> {
    @Override
    public String kind() {
        return "run provenance";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public ObjectNode encode(RunProvenance p) {
        ObjectNode json = Json.object().put(FORMAT, version());
        p.dataset().ifPresent(d -> json.put("dataset", d));
        p.datasetHash().ifPresent(h -> json.put("dataset_sha256", h));
        p.specHash().ifPresent(h -> json.put("spec_sha256", h));
        p.seed().ifPresent(s -> json.put("seed", s));
        json.put("seer", p.seerVersion());
        ObjectNode libraries = json.putObject("libraries");
        new TreeMap<>(p.libraries()).forEach(libraries::put);
        json.put("java", p.javaVersion()).put("os", p.os());
        p.continuedFrom().ifPresent(v -> json.put("continued_from", v));
        return json;
    }

    @Override
    public RunProvenance decode(JsonNode json) {
        checkVersion(json);
        Fields f = new Fields(json, kind());
        Map<String, String> libraries = new LinkedHashMap<>();
        if (f.present("libraries")) {
            f.object("libraries").fields().forEachRemaining(e -> libraries.put(e.getKey(), e.getValue().asText()));
        }
        return new RunProvenance(f.optionalText("dataset"), f.optionalText("dataset_sha256"), f.optionalText("spec_sha256"),
                f.present("seed") ? OptionalLong.of(f.number("seed")) : OptionalLong.empty(), f.text("seer"), libraries,
                f.text("java"), f.text("os"), f.optionalText("continued_from"));
    }
}
