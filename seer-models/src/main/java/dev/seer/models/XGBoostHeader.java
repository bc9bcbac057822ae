package dev.seer.models;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.dmlc.xgboost4j.java.Booster;

/**
 * What Seer reads from an XGBoost model file before XGBoost loads it: the version of XGBoost that
 * wrote it, the objective, and the learner's parameters (feature count and names, class count).
 * Reading them first means a file of the wrong format or of a newer XGBoost is refused with a
 * clear message instead of whatever the native loader makes of it. The trees
 * ({@code learner.gradient_booster}) are walked over, not built. JSON and UBJ give the same tree
 * (XGBoost writes one document in two encodings; its JSON may hold {@code NaN}).
 *
 * @param version [major, minor, patch] of the XGBoost that wrote the file
 * @param featureNames empty when the model was trained without names
 * @param classes {@code num_class}: 0 unless the objective is multiclass
 * @param targets {@code num_target}: 1 unless the model is multi-output
 */
record XGBoostHeader(List<Integer> version, String objective, long features, List<String> featureNames, int classes,
        int targets) {
    /** [major, minor, patch] of the XGBoost4J on the classpath. */
    static final List<Integer> LIBRARY = libraryVersion();

    private static final Set<String> SKIPPED = Set.of("/learner/gradient_booster");
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()).build();

    /** The header of {@code bytes} read as {@code format}; refuses bytes of another format or a newer XGBoost. */
    static XGBoostHeader read(ModelFormat format, byte[] bytes) {
        return of(document(format, bytes, SKIPPED), format);
    }

    /** The header of a document already read (with or without its trees). */
    static XGBoostHeader of(JsonNode document, ModelFormat format) {
        List<Integer> version = version(document, format);
        JsonNode learner = document.path("learner");
        JsonNode params = learner.path("learner_model_param");
        List<String> names = new ArrayList<>();
        learner.path("feature_names").forEach(n -> names.add(n.asText()));
        return new XGBoostHeader(version, text(learner.path("objective"), "name", format),
                whole(params, "num_feature", format), names, (int) whole(params, "num_class", format),
                params.has("num_target") ? (int) whole(params, "num_target", format) : 1);
    }

    /**
     * Refuses a model whose features or objective differ from {@code declared}. Feature names are
     * compared only when the model has them (XGBoost keeps them when trained from named columns).
     */
    void check(ModelFormat format, Signature declared) {
        if (featureNames.isEmpty()) {
            Mismatch.checkCount(format, features, declared);
        } else {
            Mismatch.checkNames(format, featureNames, declared);
        }
        if (targets != 1) {
            throw Mismatch.output(format, "predicts [" + targets + "] targets per row (num_target)", declared);
        }
        OutputKind output = output();
        if (output != declared.output()) {
            throw Mismatch.output(format, "has objective [" + objective + "], so predicts [" + output.id() + "]", declared);
        }
        if (output == OutputKind.CLASS_PROBABILITIES && classes != declared.classes()) {
            throw Mismatch.output(format, "has objective [" + objective + "] over [" + classes + "] classes (num_class)",
                    declared);
        }
    }

    /**
     * What the objective predicts: {@code binary:logistic} P(class 1); {@code multi:softprob} the
     * class probabilities; every other objective one number (a regression's value, a ranking
     * score, a raw margin, or {@code multi:softmax}'s class index).
     */
    OutputKind output() {
        return switch (objective) {
            case "binary:logistic" -> OutputKind.PROBABILITY;
            case "multi:softprob" -> OutputKind.CLASS_PROBABILITIES;
            default -> OutputKind.VALUE;
        };
    }

    /** The whole document, trees included ({@link TreeEnsemble} reads them). */
    static JsonNode document(ModelFormat format, byte[] bytes) {
        return document(format, bytes, Set.of());
    }

    private static JsonNode document(ModelFormat format, byte[] bytes, Set<String> skipped) {
        if (format != ModelFormat.XGBOOST_JSON && format != ModelFormat.XGBOOST_UBJ) {
            throw new SeerException(ModelErrorCode.INVALID_MODEL, "Format [" + format.id() + "] is not an XGBoost format",
                    Map.of("format", format.id()));
        }
        return format == ModelFormat.XGBOOST_JSON ? json(bytes, skipped) : ubj(bytes, skipped);
    }

    private static JsonNode json(byte[] bytes, Set<String> skipped) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notModel(ModelFormat.XGBOOST_JSON, "it does not start with a JSON object", bytes);
            }
            return object(parser, "", skipped);
        } catch (IOException e) {
            throw notModel(ModelFormat.XGBOOST_JSON, "it is not JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", bytes);
        }
    }

    private static ObjectNode object(JsonParser parser, String path, Set<String> skipped) throws IOException {
        ObjectNode object = JSON.createObjectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            String child = path + "/" + key;
            JsonToken token = parser.nextToken();
            if (skipped.contains(child)) {
                parser.skipChildren();
            } else {
                object.set(key, token == JsonToken.START_OBJECT ? object(parser, child, skipped) : JSON.readTree(parser));
            }
        }
        return object;
    }

    private static JsonNode ubj(byte[] bytes, Set<String> skipped) {
        if (bytes.length < 2 || bytes[0] != '{') {
            throw notModel(ModelFormat.XGBOOST_UBJ, "it does not start with a UBJSON object", bytes);
        }
        try {
            return new UbjReader(bytes, skipped).read();
        } catch (SeerException e) {
            throw notModel(ModelFormat.XGBOOST_UBJ, e.getMessage(), bytes);
        }
    }

    /** Refuses a model of a newer XGBoost: its file may hold what this XGBoost misreads. */
    private static List<Integer> version(JsonNode document, ModelFormat format) {
        JsonNode version = document.get("version");
        if (version == null || !version.isArray() || version.size() != 3 || !version.get(0).canConvertToInt()
                || !version.get(1).canConvertToInt() || !version.get(2).canConvertToInt()) {
            throw invalid(format, "has no [version] of three numbers (" + version + ")");
        }
        List<Integer> v = List.of(version.get(0).asInt(), version.get(1).asInt(), version.get(2).asInt());
        if (v.get(0) > LIBRARY.get(0) || (v.get(0).equals(LIBRARY.get(0)) && v.get(1) > LIBRARY.get(1))) {
            throw new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, "The " + format.id() + " model was written by XGBoost ["
                    + dotted(v) + "]; this Seer's XGBoost is [" + dotted(LIBRARY) + "] and reads models of XGBoost up to ["
                    + LIBRARY.get(0) + "." + LIBRARY.get(1) + "]: re-save it with an older XGBoost or upgrade Seer",
                    Map.of("kind", format.id(), "format", dotted(v)));
        }
        return v;
    }

    private static String text(JsonNode json, String field, ModelFormat format) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(format, "has no learner field [" + field + "]");
        }
        return value.asText();
    }

    /** XGBoost writes its parameters as strings: {@code "num_feature": "3"}. */
    private static long whole(JsonNode params, String field, ModelFormat format) {
        String text = params.path(field).asText("");
        try {
            long value = Long.parseLong(text);
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(format, "has learner parameter [" + field + "] = [" + text + "], not a count");
    }

    private static SeerException notModel(ModelFormat format, String why, byte[] bytes) {
        String hint = looksLikeUbj(bytes) && format == ModelFormat.XGBOOST_JSON ? "; the bytes look like xgboost-ubj"
                : looksLikeJson(bytes) && format == ModelFormat.XGBOOST_UBJ ? "; the bytes look like xgboost-json" : "";
        return new SeerException(ModelErrorCode.INVALID_MODEL, "The bytes are not an XGBoost model in format ["
                + format.id() + "]: " + why + hint, Map.of("format", format.id()));
    }

    /** UBJ objects open with '{' and the length marker of their first key. */
    private static boolean looksLikeUbj(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == '{' && "iUIlL".indexOf(bytes[1]) >= 0;
    }

    private static boolean looksLikeJson(byte[] bytes) {
        String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.UTF_8).strip();
        return start.startsWith("{") && start.substring(1).strip().startsWith("\"");
    }

    private static SeerException invalid(ModelFormat format, String problem) {
        return new SeerException(ModelErrorCode.INVALID_MODEL, "The " + format.id() + " model " + problem,
                Map.of("format", format.id()));
    }

    static String dotted(List<Integer> version) {
        return version.get(0) + "." + version.get(1) + "." + version.get(2);
    }

    /** XGBoost4J names its version in a resource of its jar; the native library has no getter for it in Java. */
    private static List<Integer> libraryVersion() {
        try (InputStream in = Booster.class.getResourceAsStream("/xgboost4j-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            Matcher version = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+).*").matcher(properties.getProperty("version", ""));
            if (!version.matches()) {
                throw new IllegalStateException("XGBoost4J names no version [major.minor.patch] in its jar");
            }
            return List.of(Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)),
                    Integer.parseInt(version.group(3)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("XGBoost4J's version could not be read from its jar", e);
        }
    }
}
