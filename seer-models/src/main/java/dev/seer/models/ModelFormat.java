package dev.seer.models;

import dev.seer.core.SeerException;
import java.util.Arrays;
import java.util.Map;

/** The kinds of model file Seer loads, each read by the runtime named in its comment. */
public enum ModelFormat {
    /** XGBoost's JSON model, read by XGBoost4J. */
    XGBOOST_JSON("xgboost-json"),
    /** XGBoost's Universal Binary JSON model (its default since 2.1), read by XGBoost4J. */
    XGBOOST_UBJ("xgboost-ubj"),
    /** An ONNX model, run by ONNX Runtime. */
    ONNX("onnx"),
    /** Seer's own linear and logistic regression ({@link LinearModel}), evaluated in Java. */
    SEER_LINEAR("seer-linear");

    private final String id;

    ModelFormat(String id) {
        this.id = id;
    }

    /** The name in configuration, stored forms and CLI options: {@code xgboost-json}. */
    public String id() {
        return id;
    }

    /** The format named {@code id}; refuses another, naming the known ones. */
    public static ModelFormat parse(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst().orElseThrow(() -> new SeerException(
                ModelErrorCode.UNKNOWN_FORMAT, "Model format [" + id + "] is not one of " + Arrays.stream(values())
                        .map(ModelFormat::id).toList(), Map.of("format", String.valueOf(id))));
    }

    @Override
    public String toString() {
        return id;
    }
}
