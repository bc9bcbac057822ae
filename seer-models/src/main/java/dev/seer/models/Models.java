package dev.seer.models;

import static java.util.Objects.requireNonNull;

/** Loads model files. Never Java serialization or pickle: each format is read by its own runtime. */
public final class Models {
    private Models() {}

    /**
     * The model in {@code bytes}, checked against {@code declared}: a file that is not of
     * {@code format}, that a newer library or Seer wrote, or whose features or output differ from
     * the signature is refused, the message naming the difference.
     */
    public static Model load(ModelFormat format, byte[] bytes, Signature declared) {
        requireNonNull(format, "format is null");
        requireNonNull(bytes, "bytes is null");
        requireNonNull(declared, "declared is null");
        return switch (format) {
            case XGBOOST_JSON, XGBOOST_UBJ -> XGBoostModel.load(format, bytes, declared);
            case ONNX -> OnnxModel.load(bytes, declared);
            case SEER_LINEAR -> LinearPredictor.load(bytes, declared);
        };
    }
}
