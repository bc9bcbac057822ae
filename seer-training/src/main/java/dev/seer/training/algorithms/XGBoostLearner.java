package dev.seer.training.algorithms;

import dev.seer.core.SeerException;
import dev.seer.models.ModelFormat;
import dev.seer.training.Task;
import dev.seer.training.TrainingErrorCode;
import dev.seer.training.data.Frame;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost through XGBoost4J, in boosting mode or random-forest mode (one round of
 * {@code num_parallel_tree} trees with row and column sampling and eta 1, as XGBoost's own
 * random-forest tutorial sets it). Rounds are driven one at a time with {@code Booster.update},
 * so that a reporter can watch the model grow and stop it (ASHA) without a second training.
 * The file is XGBoost's JSON with the feature names, which seer-models checks against the signature.
 *
 * <p>Continued from a {@link BoostedModel}, the fit loads that model, sets the parameters on it
 * and runs {@code rounds} more updates numbered after its own, as XGBoost's {@code xgb_model}
 * argument does: the existing trees are not touched, and the intercept is the loaded model's
 * (XGBoost estimates one only for a model with no trees yet).
 */
final class XGBoostLearner implements Learner {
    /**
     * Below this many rows a fit runs on one thread: a round on small data is over before threads
     * pay for themselves, and XGBoost's OpenMP threads spin at every barrier, so on a core another
     * process is using a small fit measured 8 to 20 times slower with two threads than with one.
     */
    static final int PARALLEL_ROWS = 20_000;

    private final Algorithm algorithm;
    private final Optional<BoostedModel> start;

    XGBoostLearner(Algorithm algorithm) {
        this(algorithm, Optional.empty());
    }

    XGBoostLearner(Algorithm algorithm, Optional<BoostedModel> start) {
        this.algorithm = algorithm;
        this.start = start;
    }

    @Override
    public Fitted fit(Frame train, Map<String, Object> params, long seed, int threads, RoundReporter rounds) {
        DMatrix matrix = null;
        Booster booster = null;
        try {
            matrix = matrix(train);
            matrix.setLabel(train.labelFloats());
            booster = start(matrix, native_(train, params, seed, threads));
            int first = booster.getNumBoostedRound();
            int total = algorithm == Algorithm.RANDOM_FOREST ? 1 : ((Number) params.get("rounds")).intValue();
            int trained = 0;
            for (int round = 0; round < total; round++) {
                booster.update(matrix, first + round);
                trained = round + 1;
                if (rounds.every() > 0 && trained % rounds.every() == 0 && trained < total
                        && !rounds.report(trained, predict(booster, rounds.watch().x(), train))) {
                    break;
                }
            }
            byte[] bytes = booster.toByteArray("json");
            return new Trained(train, booster, bytes, trained, first);
        } catch (XGBoostError | IOException e) {
            if (booster != null) {
                booster.dispose();
            }
            throw new SeerException(TrainingErrorCode.TRAINING_FAILED, "XGBoost failed to train [" + algorithm.id() + "]: "
                    + e.getMessage(), Map.of("algorithm", algorithm.id()), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    /** A new booster, or the continued model loaded with {@code params} set on it. */
    private Booster start(DMatrix matrix, Map<String, Object> params) throws XGBoostError, IOException {
        if (start.isEmpty()) {
            return XGBoost.train(matrix, params, 0, new LinkedHashMap<>(), null, null);
        }
        Booster booster = XGBoost.loadModel(start.get().json());
        try {
            booster.setParams(params);
            return booster;
        } catch (XGBoostError e) {
            booster.dispose();
            throw e;
        }
    }

    /** The objective XGBoost trains for {@code task}. */
    static String objective(Task task) {
        return switch (task) {
            case BINARY -> "binary:logistic";
            case MULTICLASS -> "multi:softprob";
            case REGRESSION -> "reg:squarederror";
        };
    }

    private Map<String, Object> native_(Frame train, Map<String, Object> params, long seed, int threads) {
        Map<String, Object> p = new HashMap<>();
        p.put("objective", objective(train.task()));
        if (train.task() == Task.MULTICLASS) {
            p.put("num_class", train.classes().size());
        }
        p.put("tree_method", "hist");
        p.put("nthread", train.rows() < PARALLEL_ROWS ? 1 : threads);
        p.put("seed", seed & Integer.MAX_VALUE); // XGBoost's seed is an int
        p.put("verbosity", 0);
        params.forEach((name, value) -> {
            switch (name) {
                case "rounds" -> { }
                case "trees" -> p.put("num_parallel_tree", value);
                default -> p.put(name, value);
            }
        });
        if (algorithm == Algorithm.RANDOM_FOREST) {
            p.put("eta", 1.0);
            p.put("booster", "gbtree");
        }
        return p;
    }

    static DMatrix matrix(Frame frame) throws XGBoostError {
        DMatrix matrix = new DMatrix(frame.rowMajorFloats(), frame.rows(), frame.width(), Float.NaN);
        matrix.setFeatureNames(frame.features().toArray(new String[0]));
        return matrix;
    }

    private static double[][] predict(Booster booster, double[][] rows, Frame like) throws XGBoostError {
        Frame frame = new Frame(like.task(), like.inputs(), like.classes(), rows, new double[rows.length]);
        DMatrix matrix = matrix(frame);
        try {
            float[][] out = booster.predict(matrix);
            double[][] result = new double[out.length][];
            for (int i = 0; i < out.length; i++) {
                result[i] = new double[out[i].length];
                for (int j = 0; j < out[i].length; j++) {
                    result[i][j] = out[i][j];
                }
            }
            return result;
        } finally {
            matrix.dispose();
        }
    }

    /** The booster stays open for predictions while the fit is in use; the model file is kept as bytes. */
    private final class Trained implements Fitted {
        private final Frame like;
        private final Booster booster;
        private final byte[] bytes;
        private final int rounds;
        private final int continued;

        Trained(Frame like, Booster booster, byte[] bytes, int rounds, int continued) {
            this.like = like;
            this.booster = booster;
            this.bytes = bytes;
            this.rounds = rounds;
            this.continued = continued;
        }

        @Override
        public synchronized double[][] predict(double[][] rows) {
            try {
                return XGBoostLearner.predict(booster, rows, like);
            } catch (XGBoostError e) {
                throw new SeerException(TrainingErrorCode.TRAINING_FAILED, "XGBoost failed to predict: " + e.getMessage(),
                        Map.of("algorithm", algorithm.id()), e);
            }
        }

        @Override
        public Optional<ModelFile> file() {
            return Optional.of(new ModelFile(ModelFormat.XGBOOST_JSON, "model.json", bytes.clone()));
        }

        @Override
        public Map<String, String> facts() {
            return continued == 0 ? Map.of("rounds_trained", Integer.toString(rounds)) : Map.of("rounds_trained",
                    Integer.toString(rounds), "rounds_continued_from", Integer.toString(continued));
        }

        @Override
        public synchronized void close() {
            booster.dispose();
        }
    }
}
