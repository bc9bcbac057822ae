package dev.seer.serving.scoring;

import static java.util.Objects.requireNonNull;

import dev.seer.models.Model;
import dev.seer.models.Signature;

/**
 * A {@link Scorer} over a loaded {@link Model} (ONNX Runtime): the rows of a batch go to the runtime
 * in one call, whose cost per call outweighs the copies into and out of its arrays.
 */
final class ModelScorer implements Scorer {
    private final Model model;

    ModelScorer(Model model) {
        this.model = requireNonNull(model, "model is null");
    }

    @Override
    public Signature signature() {
        return model.signature();
    }

    @Override
    public void score(double[] rows, int count, double[] out) {
        Signature signature = model.signature();
        Batches.check(rows, count, out, signature);
        if (count == 0) {
            return;
        }
        double[][] predictions = model.predict(Batches.unflatten(rows, count, signature.inputs().size()));
        int width = signature.width();
        for (int r = 0; r < count; r++) {
            System.arraycopy(predictions[r], 0, out, r * width, width);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
