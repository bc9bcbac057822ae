package dev.seer.serving.scoring;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.models.LinearModel;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import dev.seer.models.TreeEnsemble;

/** Makes the {@link Scorer} of a model file. */
public final class Scorers {
    private Scorers() {}

    /**
     * The scorer of the model in {@code bytes}, checked against {@code signature} exactly as
     * {@link Models#load} checks it (the same errors): XGBoost models compiled into
     * {@link CompiledTrees}, ONNX models run by ONNX Runtime, Seer's linear models evaluated in Java.
     */
    public static Scorer of(ModelFormat format, byte[] bytes, Signature signature) {
        requireNonNull(format, "format is null");
        requireNonNull(bytes, "bytes is null");
        requireNonNull(signature, "signature is null");
        return switch (format) {
            case XGBOOST_JSON, XGBOOST_UBJ -> {
                checked(format, bytes, signature).close();
                yield CompiledTrees.compile(TreeEnsemble.read(format, bytes), signature);
            }
            case ONNX -> new ModelScorer(checked(format, bytes, signature));
            case SEER_LINEAR -> {
                checked(format, bytes, signature).close();
                yield new LinearScorer(LinearModel.CODEC.decode(Json.parse(bytes)), signature);
            }
        };
    }

    /** The model loaded by its own runtime, which checks it against the signature. */
    private static Model checked(ModelFormat format, byte[] bytes, Signature signature) {
        return Models.load(format, bytes, signature);
    }
}
