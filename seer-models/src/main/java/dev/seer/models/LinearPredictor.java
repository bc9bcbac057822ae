package dev.seer.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.util.Locale;
import java.util.Map;

/** A {@link LinearModel} as a {@link Model}: plain Java over immutable weights, so thread-safe. */
final class LinearPredictor implements Model {
    private final LinearModel model;
    private final Signature signature;

    private LinearPredictor(LinearModel model, Signature signature) {
        this.model = model;
        this.signature = signature;
    }

    static Model load(byte[] bytes, Signature declared) {
        LinearModel model = LinearModel.CODEC.decode(parse(bytes));
        Mismatch.checkNames(ModelFormat.SEER_LINEAR, model.features(), declared);
        OutputKind output = model.link() == LinearModel.Link.LOGIT ? OutputKind.PROBABILITY : OutputKind.VALUE;
        if (declared.output() != output) {
            throw Mismatch.output(ModelFormat.SEER_LINEAR, "has link [" + model.link().name().toLowerCase(Locale.ROOT)
                    + "], so predicts [" + output.id() + "]", declared);
        }
        return new LinearPredictor(model, declared);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return Json.parse(bytes);
        } catch (SeerException e) {
            throw new SeerException(ModelErrorCode.INVALID_MODEL, "The bytes are not a seer-linear model: "
                    + e.getMessage(), Map.of("format", ModelFormat.SEER_LINEAR.id()), e);
        }
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.SEER_LINEAR;
    }

    @Override
    public double[][] predict(double[][] rows) {
        Rows.check(rows, signature);
        double[][] predictions = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            predictions[i] = new double[] {model.predict(rows[i])};
        }
        return predictions;
    }

    @Override
    public void close() {
        // nothing native to release
    }
}
