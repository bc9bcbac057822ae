package dev.seer.explain;

import dev.seer.core.SeerException;
import dev.seer.models.Model;
import dev.seer.models.OutputKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * KernelSHAP for any model behind {@link Model} (ONNX included): Shapley values of the game
 * {@code v(S) = Σ_b w_b f(x_S, b_~S)} over a weighted background (features outside S take the
 * background row's values), estimated by the Shapley-kernel weighted regression of Lundberg and
 * Lee 2017 ("A unified approach to interpreting model predictions", NeurIPS, Theorem 2), with
 * shap's {@code KernelExplainer} defaults:
 *
 * <ul>
 *   <li>Only the varying features play: a feature whose value in x equals its value in every
 *       background row (NaN equal to NaN) changes no coalition's value and gets 0. shap compares
 *       with {@code allclose}; an exact comparison keeps the game unchanged. One varying
 *       feature gets the whole {@code f(x) − E[f]}.
 *   <li>{@code nsamples} 0 means shap's "auto", {@code 2M + 2048} for M varying features, capped
 *       at the {@code 2^M − 2} coalitions there are. Sizes are enumerated while they fit and the
 *       rest sampled ({@link KernelCoalitions}); with every size enumerated the values are the
 *       exact Shapley values of the game.
 *   <li>The additivity constraint is exact: each output's values add up to {@code f(x) − E[f]}
 *       ({@link KernelRegression}).
 *   <li>No l1 regularisation. shap's default was {@code "auto"} (AIC-selected lasso when under 20%
 *       of the coalitions are evaluated) and since 0.47 is {@code "num_features(10)"}; both give
 *       exactly 0 to every feature the lasso leaves out, so past 10 features (or in sampling
 *       mode) some features get no value at all. Without selection every feature gets an
 *       estimate of its Shapley value, which converges as nsamples grows; for at most 10 varying
 *       features shap's current default selects them all and the two agree.
 * </ul>
 *
 * <p>Values are on the model's own output ({@link Scale#PROBABILITY} for P(class 1) and class
 * probabilities, {@link Scale#VALUE} for a regression), with shap's identity link. For one row
 * every coalition × background row is predicted in a few batched calls of at most
 * {@link #CHUNK_CELLS} values each, so memory stays bounded. The seed makes a row's values repeat
 * exactly; every row starts from the same seed, so a row's values do not depend on which rows
 * came before it or on threads. Thread-safe.
 */
public final class KernelShap implements Explainer {
    /** shap warns past this many background rows; {@link #of(Model, double[][], int, long)} summarises larger ones. */
    public static final int MAX_UNSUMMARISED = 100;
    /** The k-means centres a larger background is summarised to. */
    public static final int SUMMARY_CLUSTERS = 50;
    /** shap's "auto". */
    public static final int AUTO = 0;
    /** Values per batched predict call: 2^21 doubles, 16 MiB of synthetic rows. */
    static final int CHUNK_CELLS = 1 << 21;

    private final Model model;
    private final List<String> features;
    private final List<String> outputs;
    private final Scale scale;
    private final double[][] background;
    private final double[] weights;
    private final double[] expected;
    private final int nsamples;
    private final long seed;
    private final int chunkCells;

    KernelShap(Model model, BackgroundSummary background, int nsamples, long seed, int chunkCells) {
        this.model = model;
        this.features = model.signature().names();
        this.outputs = Explainers.outputs(model.signature());
        this.scale = model.signature().output() == OutputKind.VALUE ? Scale.VALUE : Scale.PROBABILITY;
        this.background = background.rowsView();
        this.weights = background.normalizedWeights();
        this.nsamples = nsamples;
        this.seed = seed;
        this.chunkCells = chunkCells;
        this.expected = weightedMean(predict(this.background), 0, this.background.length);
    }

    /**
     * Against {@code background} rows (the model's features, NaN missing): kept as they are up to
     * {@link #MAX_UNSUMMARISED} rows, summarised by k-means into {@link #SUMMARY_CLUSTERS} weighted
     * centres past that (k-means seeded by {@code seed}, snapped to real values as shap's).
     *
     * @param nsamples coalitions per row, at least 2, or {@link #AUTO}
     */
    public static KernelShap of(Model model, double[][] background, int nsamples, long seed) {
        BackgroundSummary.checkRows(background, model.signature().names().size());
        BackgroundSummary summary = background.length > MAX_UNSUMMARISED
                ? BackgroundSummary.kmeans(background, SUMMARY_CLUSTERS, seed)
                : BackgroundSummary.of(background);
        return of(model, summary, nsamples, seed);
    }

    /** Against a weighted background as given. */
    public static KernelShap of(Model model, BackgroundSummary background, int nsamples, long seed) {
        int width = model.signature().names().size();
        if (background.width() != width) {
            throw BackgroundSummary.invalid("background", "The background has [" + background.width()
                    + "] values per row; the model takes [" + width + "]");
        }
        if (nsamples != AUTO && nsamples < 2) {
            throw BackgroundSummary.invalid("nsamples", "nsamples is [" + nsamples + "]; it is at least 2, or "
                    + AUTO + " for 2M + 2048");
        }
        return new KernelShap(model, background, nsamples, seed, CHUNK_CELLS);
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public List<String> outputs() {
        return outputs;
    }

    @Override
    public Scale scale() {
        return scale;
    }

    @Override
    public String method() {
        return "kernel-shap";
    }

    /** The background's weighted mean output, per output: every attribution's base. */
    public double[] expected() {
        return expected.clone();
    }

    @Override
    public double[][] predict(double[][] rows) {
        for (double[] row : rows) {
            Rows.check(row, features);
        }
        double[][] out = model.predict(rows);
        if (out.length != rows.length || (out.length > 0 && out[0].length != outputs.size())) {
            throw new SeerException(ExplainErrorCode.UNSUPPORTED_MODEL, "The model gave [" + out.length + "] predictions of ["
                    + (out.length > 0 ? out[0].length : 0) + "] for [" + rows.length + "] rows; its signature says ["
                    + outputs.size() + "] each", Map.of("outputs", outputs.size()));
        }
        return out;
    }

    @Override
    public List<Attribution> explain(double[] row) {
        Rows.check(row, features);
        double[] fx = predict(new double[][] {row.clone()})[0];
        int[] varying = varying(row);
        double[][] phi = new double[outputs.size()][features.size()];
        if (varying.length == 1) {
            for (int d = 0; d < phi.length; d++) {
                phi[d][varying[0]] = fx[d] - expected[d];
            }
        } else if (varying.length > 1) {
            scatter(estimate(row, varying, fx), varying, phi);
        }
        List<Attribution> out = new ArrayList<>(outputs.size());
        for (int d = 0; d < phi.length; d++) {
            out.add(new Attribution(outputs.get(d), scale, expected[d], phi[d], fx[d]));
        }
        return out;
    }

    /** Per output, one value per varying feature. */
    private double[][] estimate(double[] row, int[] varying, double[] fx) {
        int budget = nsamples == AUTO ? KernelCoalitions.autoSamples(varying.length) : nsamples;
        KernelCoalitions plan = KernelCoalitions.plan(varying.length, budget, new SplittableRandom(seed));
        double[][] gains = coalitionValues(row, varying, plan.masks);
        double[] totals = new double[fx.length];
        for (int d = 0; d < fx.length; d++) {
            totals[d] = fx[d] - expected[d];
            for (double[] g : gains) {
                g[d] -= expected[d];
            }
        }
        return KernelRegression.solve(plan.masks, plan.weights(), gains, totals);
    }

    /** {@code v(z)} per coalition and output: the weighted mean over the background, predicted in chunks. */
    private double[][] coalitionValues(double[] row, int[] varying, List<boolean[]> masks) {
        int n = background.length;
        int perCall = Math.max(1, chunkCells / Math.max(1, n * features.size()));
        double[][] values = new double[masks.size()][];
        double[][] synthetic = new double[Math.min(perCall, masks.size()) * n][];
        for (int first = 0; first < masks.size(); first += perCall) {
            checkInterrupt();
            int count = Math.min(perCall, masks.size() - first);
            double[][] batch = count * n == synthetic.length ? synthetic : new double[count * n][];
            fill(batch, row, varying, masks, first, count);
            double[][] predictions = predict(batch);
            for (int c = 0; c < count; c++) {
                values[first + c] = weightedMean(predictions, c * n, n);
            }
        }
        return values;
    }

    /** Rows {@code first..first+count−1} of coalitions, each over the background: x's values on the coalition. */
    private void fill(double[][] batch, double[] row, int[] varying, List<boolean[]> masks, int first, int count) {
        int n = background.length;
        for (int c = 0; c < count; c++) {
            boolean[] mask = masks.get(first + c);
            for (int b = 0; b < n; b++) {
                double[] r = batch[c * n + b];
                if (r == null) {
                    r = batch[c * n + b] = new double[features.size()];
                }
                System.arraycopy(background[b], 0, r, 0, r.length);
                for (int i = 0; i < varying.length; i++) {
                    if (mask[i]) {
                        r[varying[i]] = row[varying[i]];
                    }
                }
            }
        }
    }

    private double[] weightedMean(double[][] predictions, int from, int n) {
        double[] mean = new double[predictions[from].length];
        for (int b = 0; b < n; b++) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += weights[b] * predictions[from + b][d];
            }
        }
        return mean;
    }

    /** The features whose value in {@code row} differs from some background row's (NaN equals NaN). */
    int[] varying(double[] row) {
        return java.util.stream.IntStream.range(0, features.size()).filter(i -> {
            for (double[] b : background) {
                if (Double.compare(b[i], row[i]) != 0 && !(b[i] == row[i])) {
                    return true;
                }
            }
            return false;
        }).toArray();
    }

    private static void scatter(double[][] values, int[] varying, double[][] phi) {
        for (int d = 0; d < phi.length; d++) {
            for (int i = 0; i < varying.length; i++) {
                phi[d][varying[i]] = values[d][i];
            }
        }
    }

    private static void checkInterrupt() {
        if (Thread.currentThread().isInterrupted()) {
            throw new SeerException(ExplainErrorCode.INTERRUPTED, "KernelSHAP was interrupted", Map.of());
        }
    }
}
