package dev.seer.training.algorithms;

import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.OutputKind;
import dev.seer.models.Signature;
import dev.seer.training.data.Frame;
import dev.seer.training.linear.LinearFit;
import dev.seer.training.linear.LinearOptions;
import dev.seer.training.linear.LinearRegression;
import dev.seer.training.linear.LogisticRegression;
import java.util.Map;
import java.util.Optional;

/** Seer's logistic and ridge regression ({@code dev.seer.training.linear}), stored as Seer's linear model. */
final class LinearLearner implements Learner {
    private final Algorithm algorithm;

    LinearLearner(Algorithm algorithm) {
        this.algorithm = algorithm;
    }

    @Override
    public Fitted fit(Frame train, Map<String, Object> params, long seed, int threads, RoundReporter rounds) {
        LinearOptions defaults = LinearOptions.defaults();
        LinearOptions options = new LinearOptions(((Number) params.get("c")).doubleValue(), defaults.l1Ratio(),
                ((Number) params.get("max_iter")).intValue(), defaults.tolerance(), defaults.standardize());
        LinearFit fit = algorithm == Algorithm.LOGISTIC
                ? LogisticRegression.train(train.features(), train.x(), train.y(), null, options)
                : LinearRegression.train(train.features(), train.x(), train.y(), null, options);
        byte[] bytes = fit.model().toBytes();
        // a solver that stopped at its iteration limit is recorded, not hidden: the fit is used as it is
        Map<String, String> facts = Map.of("converged", Boolean.toString(fit.converged()), "iterations",
                Integer.toString(fit.iterations()));
        // predictions come from the stored file as seer-models loads it: what serving will run
        Model loaded = Models.load(ModelFormat.SEER_LINEAR, bytes, Signature.of(train.inputs(),
                algorithm == Algorithm.LOGISTIC ? OutputKind.PROBABILITY : OutputKind.VALUE));
        return new Fitted() {
            @Override
            public double[][] predict(double[][] rows) {
                return loaded.predict(rows);
            }

            @Override
            public void close() {
                loaded.close();
            }

            @Override
            public Optional<ModelFile> file() {
                return Optional.of(new ModelFile(ModelFormat.SEER_LINEAR, "model.json", bytes));
            }

            @Override
            public Map<String, String> facts() {
                return facts;
            }
        };
    }
}
