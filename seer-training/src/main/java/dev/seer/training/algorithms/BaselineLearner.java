package dev.seer.training.algorithms;

import dev.seer.models.LinearModel;
import dev.seer.models.ModelFormat;
import dev.seer.training.Task;
import dev.seer.training.data.Frame;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The yardstick: the training prior of each class (which, thresholded, is the majority class),
 * or the training mean. For a binary label or a regression it is a linear model whose weights are
 * all zero, so it is stored and served like any model.
 */
final class BaselineLearner implements Learner {
    @Override
    public Fitted fit(Frame train, Map<String, Object> params, long seed, int threads, RoundReporter rounds) {
        int k = train.task() == Task.MULTICLASS ? train.classes().size() : 1;
        double[] constant = new double[k];
        for (double y : train.y()) {
            if (train.task() == Task.MULTICLASS) {
                constant[(int) y] += 1;
            } else {
                constant[0] += y;
            }
        }
        for (int i = 0; i < k; i++) {
            constant[i] /= train.rows();
        }
        Optional<Fitted.ModelFile> file = train.task() == Task.MULTICLASS ? Optional.empty()
                : Optional.of(new Fitted.ModelFile(ModelFormat.SEER_LINEAR, "model.json", new LinearModel(train.features(),
                        new double[train.width()], train.task() == Task.BINARY ? logit(constant[0]) : constant[0],
                        train.task() == Task.BINARY ? LinearModel.Link.LOGIT : LinearModel.Link.IDENTITY).toBytes()));
        return new Fitted() {
            @Override
            public double[][] predict(double[][] rows) {
                double[][] out = new double[rows.length][];
                Arrays.setAll(out, i -> constant.clone());
                return out;
            }

            @Override
            public Optional<ModelFile> file() {
                return file;
            }

            @Override
            public Map<String, String> facts() {
                return Map.of("constant", Arrays.toString(constant));
            }
        };
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p)); // the label is not constant (FrameReader refuses one), so 0 < p < 1
    }
}
