package dev.seer.registry.versions;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a model version is beyond its name and number, as Seer records it: the model file (its
 * SHA-256 in the artifact store, its format, its signature as seer-models writes it), the dataset
 * version it was trained on, the feature service version it reads, and its headline metrics. A
 * version registered through MLflow's API may have none of these; one Seer trained has them all.
 *
 * @param format a model format id ({@code xgboost-json}, {@code onnx}, ...)
 * @param signature the signature's own JSON form (its codec is seer-models')
 * @param dataset a dataset version, {@code NAME:VERSION}
 * @param featureService a feature service version, {@code NAME:VERSION}
 */
public record VersionDetails(Optional<String> artifactSha256, Optional<String> format, Optional<JsonNode> signature,
        Optional<String> dataset, Optional<String> featureService, Map<String, Double> metrics) {
    public static final VersionDetails NONE = new VersionDetails(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Map.of());
    /** The one JSON form, kept in the version's row. */
    public static final Codec<VersionDetails> CODEC = new VersionDetailsCodec();

    public VersionDetails {
        requireNonNull(artifactSha256, "artifactSha256 is null");
        requireNonNull(format, "format is null");
        requireNonNull(signature, "signature is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(featureService, "featureService is null");
        metrics = Map.copyOf(metrics);
    }
}

/** Format 1, the first. */
final class VersionDetailsCodec implements Codec<VersionDetails> {
    @Override
    public String kind() {
        return "model version details";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(VersionDetails d) {
        ObjectNode json = Json.object().put(FORMAT, version());
        d.artifactSha256().ifPresent(h -> json.put("artifact_sha256", h));
        d.format().ifPresent(f -> json.put("model_format", f));
        d.signature().ifPresent(s -> json.set("signature", s));
        d.dataset().ifPresent(v -> json.put("dataset", v));
        d.featureService().ifPresent(v -> json.put("feature_service", v));
        ObjectNode metrics = json.putObject("metrics");
        new TreeMap<>(d.metrics()).forEach(metrics::put);
        return json;
    }

    @Override
    public VersionDetails decode(JsonNode json) {
        checkVersion(json);
        Fields f = new Fields(json, kind());
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (f.present("metrics")) {
            f.object("metrics").fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        }
        return new VersionDetails(f.optionalText("artifact_sha256"), f.optionalText("model_format"),
                f.present("signature") ? Optional.of(f.object("signature")) : Optional.empty(), f.optionalText("dataset"),
                f.optionalText("feature_service"), metrics);
    }
}
