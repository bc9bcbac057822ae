package dev.seer.explain;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import dev.seer.models.ModelFormat;
import dev.seer.models.Signature;
import dev.seer.models.TreeEnsemble;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The explainer for a model file: exact TreeSHAP for XGBoost's trees (path-dependent, or
 * interventional against a background), exact linear SHAP for Seer's linear models (against the
 * training means it keeps, or a background). Every one gives the same shape ({@link Attribution}).
 */
public final class Explainers {
    private Explainers() {}

    /**
     * @param background rows of the model's features to explain against, or {@code null}: for
     *     trees the training cover (path-dependent), for linear models the training means
     */
    public static Explainer of(ModelFormat format, byte[] bytes, Signature signature, double[][] background) {
        List<String> features = signature.names();
        List<String> outputs = outputs(signature);
        return switch (format) {
            case XGBOOST_JSON, XGBOOST_UBJ -> {
                TreeEnsemble ensemble = TreeEnsemble.read(format, bytes);
                if (ensemble.features() != features.size() || ensemble.groups() != outputs.size()) {
                    throw new SeerException(ExplainErrorCode.UNSUPPORTED_MODEL, "The trees take [" + ensemble.features()
                            + "] features and give [" + ensemble.groups() + "] outputs; the signature " + signature
                            + " says otherwise", Map.of("format", format.id()));
                }
                yield new TreeExplainer(ensemble, features, outputs, background);
            }
            case SEER_LINEAR -> {
                LinearModel model = LinearModel.CODEC.decode(Json.parse(bytes));
                yield new LinearExplainer(background == null ? LinearShap.of(model) : LinearShap.of(model, background));
            }
            case ONNX -> throw new SeerException(ExplainErrorCode.UNSUPPORTED_MODEL, "ONNX models are explained by "
                    + "KernelSHAP, which needs a background sample and the loaded model", Map.of("format", format.id()));
        };
    }

    /** The outputs a signature names: {@code 1} for P(class 1), {@code value}, or {@code class 0..n−1}. */
    static List<String> outputs(Signature signature) {
        return switch (signature.output()) {
            case PROBABILITY -> List.of("1");
            case VALUE -> List.of("value");
            case CLASS_PROBABILITIES -> IntStream.range(0, signature.classes()).mapToObj(c -> "class " + c).toList();
        };
    }
}
