package dev.seer.training.tuning;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio, Kégl 2011, "Algorithms for
 * Hyper-Parameter Optimization"), following Optuna 3.1.0's {@code TPESampler} (notes §1):
 *
 * <ol>
 *   <li>Fewer than {@code startupTrials} COMPLETE or PRUNED trials in the history: draw at random
 *       ({@link RandomSampler}).
 *   <li>Otherwise rank those trials — COMPLETE by value, then PRUNED by furthest step and last
 *       intermediate value (3.1's {@code _get_observation_pairs} scores) — and put the best
 *       {@code gamma(n) = min(⌈0.1·n⌉, 25)} into "below", the rest into "above", each kept in trial
 *       order so that {@code default_weights} favours recent trials.
 *   <li>Fit a {@link ParzenEstimator} l(x) to below and g(x) to above; draw {@code eiCandidates}
 *       points from l and keep the one maximising log l(x) − log g(x), the EI-equivalent criterion
 *       (by default with 3.1.0's kernel scoring, see {@link TpeOptions}).
 * </ol>
 *
 * <p>Univariate (Optuna's default) does step 3 per parameter, each independently; multivariate
 * fits one joint estimator over all parameters with 3.1's Scott-rule bandwidth, so correlated
 * parameters are modelled together. Parameters fixed by their range ({@code low == high}) are
 * returned as is.
 *
 * <p>Repeatability: trial {@code k} draws from {@link TrialRandom#of}(seed, k), so its parameters
 * are a function of the seed, its number and the history the study gives it. Optuna instead keeps
 * one numpy stream per sampler, which makes its draws depend on call order; a Java port cannot
 * reproduce numpy's stream anyway, so parity with Optuna is statistical, not bitwise.
 */
public final class TpeSampler implements Sampler {
    private static final int GAMMA_CAP = 25;
    private static final int WEIGHTS_FLAT = 25;

    private final long seed;
    private final TpeOptions options;

    public TpeSampler(long seed) {
        this(seed, TpeOptions.defaults());
    }

    public TpeSampler(long seed, TpeOptions options) {
        this.seed = seed;
        this.options = requireNonNull(options, "options is null");
    }

    /** Optuna's {@code default_gamma}: how many of n trials go to "below". */
    static int defaultGamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), GAMMA_CAP);
    }

    /** Optuna's {@code default_weights}: ones, or a ramp 1/n..1 over the oldest n − 25 then 25 ones. */
    static double[] defaultWeights(int n) {
        if (n < WEIGHTS_FLAT) {
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            return ones;
        }
        double[] w = new double[n];
        int ramp = n - WEIGHTS_FLAT;
        for (int i = 0; i < ramp; i++) {
            // numpy.linspace(1/n, 1, num=ramp): both ends included, a single point is the start
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + i * (1.0 - 1.0 / n) / (ramp - 1);
        }
        Arrays.fill(w, ramp, n, 1.0);
        return w;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<Trial> history, int trialNumber, Direction direction) {
        SplittableRandom random = TrialRandom.of(seed, trialNumber);
        List<Trial> observed = history.stream()
                .filter(t -> t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED)
                .sorted(Comparator.comparingInt(Trial::number))
                .toList();
        if (observed.size() < options.startupTrials()) {
            return RandomSampler.draw(space, random);
        }
        boolean[] below = splitBelow(observed, options.below(observed.size()), direction);
        Map<String, Object> params = new LinkedHashMap<>();
        List<Param> free = new ArrayList<>();
        for (Param param : space.params()) {
            if (fixed(param)) {
                params.put(param.name(), RandomSampler.draw(param, random));
            } else {
                free.add(param);
            }
        }
        Map<String, Object> drawn = new LinkedHashMap<>();
        if (options.multivariate() && !free.isEmpty()) {
            drawn.putAll(choose(free, observed, below, random));
        } else {
            for (Param param : free) {
                drawn.putAll(choose(List.of(param), observed, below, random));
            }
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (Param param : space.params()) {
            ordered.put(param.name(), params.containsKey(param.name()) ? params.get(param.name()) : drawn.get(param.name()));
        }
        return ordered;
    }

    private static boolean fixed(Param param) {
        return (param instanceof FloatParam f && f.low() == f.high()) || (param instanceof IntParam i && i.low() == i.high());
    }

    /**
     * Marks the best {@code nBelow} trials. Order: COMPLETE by loss first, then PRUNED by furthest
     * last step and best last value (NaN last), then PRUNED without reports — 3.1's lexicographic
     * sort of (−step, loss) with COMPLETE at step −∞ and unreported PRUNED at (1, 0).
     */
    static boolean[] splitBelow(List<Trial> observed, int nBelow, Direction direction) {
        int n = observed.size();
        double[] stepKey = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            Trial t = observed.get(i);
            if (t.state() == TrialState.COMPLETE) {
                stepKey[i] = Double.NEGATIVE_INFINITY;
                loss[i] = direction.loss(t.value().orElse(Double.NaN));
            } else if (t.intermediate().isEmpty()) {
                stepKey[i] = 1;
                loss[i] = 0;
            } else {
                long last = t.intermediate().lastKey();
                double value = t.intermediate().get(last);
                stepKey[i] = -last;
                loss[i] = Double.isNaN(value) ? Double.POSITIVE_INFINITY : direction.loss(value);
            }
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> stepKey[i]).thenComparingDouble(i -> loss[i]));
        boolean[] below = new boolean[n];
        for (int r = 0; r < Math.min(nBelow, n); r++) {
            below[order[r]] = true;
        }
        return below;
    }

    /** Fits l and g over {@code params} jointly and returns the best of the candidates drawn from l. */
    private Map<String, Object> choose(List<Param> params, List<Trial> observed, boolean[] below, SplittableRandom random) {
        List<double[]> belowRows = new ArrayList<>();
        List<double[]> aboveRows = new ArrayList<>();
        for (int i = 0; i < observed.size(); i++) {
            double[] row = internal(params, observed.get(i).params());
            if (row != null) {
                (below[i] ? belowRows : aboveRows).add(row);
            }
        }
        ParzenEstimator l = new ParzenEstimator(params, columns(belowRows, params.size()), options);
        ParzenEstimator g = new ParzenEstimator(params, columns(aboveRows, params.size()), options);
        double[][] candidates = l.sample(random, options.eiCandidates());
        double[] logL = l.logPdf(candidates);
        double[] logG = g.logPdf(candidates);
        int best = 0;
        for (int i = 1; i < logL.length; i++) {
            if (logL[i] - logG[i] > logL[best] - logG[best]) {
                best = i;
            }
        }
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (int d = 0; d < params.size(); d++) {
            chosen.put(params.get(d).name(), external(params.get(d), candidates[d][best]));
        }
        return chosen;
    }

    private static double[][] columns(List<double[]> rows, int dims) {
        double[][] columns = new double[dims][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int d = 0; d < dims; d++) {
                columns[d][i] = rows.get(i)[d];
            }
        }
        return columns;
    }

    /**
     * A trial's values of {@code params} in internal form, or null when one is missing or does not
     * fit the current space (a resumed study whose space changed): such a trial is left out, as
     * Optuna masks trials without the parameter.
     */
    static double[] internal(List<Param> params, Map<String, Object> values) {
        double[] row = new double[params.size()];
        for (int d = 0; d < params.size(); d++) {
            Param param = params.get(d);
            Object value = values.get(param.name());
            if (param instanceof CategoricalParam c) {
                int index = value == null ? -1 : c.choices().indexOf(value);
                if (index < 0) {
                    return null;
                }
                row[d] = index;
            } else if (value instanceof Number number) {
                double x = number.doubleValue();
                double low = param instanceof FloatParam f ? f.low() : ((IntParam) param).low();
                double high = param instanceof FloatParam f ? f.high() : ((IntParam) param).high();
                if (!(x >= low && x <= high)) {
                    return null;
                }
                row[d] = x;
            } else {
                return null;
            }
        }
        return row;
    }

    private static Object external(Param param, double value) {
        if (param instanceof CategoricalParam c) {
            return c.choices().get((int) value);
        }
        if (param instanceof IntParam) {
            return Math.round(value);
        }
        return value;
    }
}
