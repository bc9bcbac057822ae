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
 * Gaussian-process Bayesian optimisation (Snoek, Larochelle, Adams 2012, "Practical Bayesian
 * Optimization of Machine Learning Algorithms"), designed after Optuna's {@code GPSampler} (3.6
 * onwards, optuna/_gp) without its code:
 *
 * <ol>
 *   <li>Fewer than {@code startupTrials} COMPLETE trials: draw at random ({@link RandomSampler}, the
 *       same draws as TPE's start-up).
 *   <li>Map each COMPLETE trial into [0, 1]^d: a real parameter linearly (log-scaled ones in log
 *       space), an integer over its range widened by half a step at each end (in log space if
 *       log-scaled), so each integer owns an equal cell, as Optuna's GPSampler does; a categorical
 *       parameter keeps its choice's index and the kernel compares it as equal or not (Optuna's
 *       Hamming distance), so spaces with choices need no fallback. Losses (values turned so that
 *       smaller is better) are standardised to mean 0, deviation 1.
 *   <li>Fit a {@link GaussianProcess} (Matérn 5/2 with one length scale per dimension, signal and
 *       noise variances, Optuna's weak priors) by maximising the marginal likelihood.
 *   <li>Maximise log expected improvement below the best standardised loss (Ament et al. 2023):
 *       score {@code candidates} uniform random points, refine the best {@code localSearches} of
 *       them by projected BFGS over the numeric coordinates followed by one pass over each
 *       categorical parameter's choices, and take the best point found. Integers are rounded,
 *       values mapped back and clipped into their bounds.
 * </ol>
 *
 * <p>PRUNED and FAILED trials are not modelled (a pruned trial has no final value to regress on),
 * as in Optuna's GPSampler. Trials whose parameters do not fit the current space are left out.
 *
 * <p>Stateless: trial {@code k} draws from {@link TrialRandom#of}(seed, k), the hyperparameter fit
 * starts from the same point every time, so a trial's parameters are a function of the seed, its
 * number and its history; seeded studies repeat and resumed ones continue exactly. The price is a
 * refit on every call: O(n³) per likelihood evaluation for n trials, tens of milliseconds at 100.
 */
public final class GpSampler implements Sampler {
    private static final int LOCAL_ITERATIONS = 50;
    private static final double STD_FLOOR = 1e-10;

    private final long seed;
    private final GpOptions options;

    public GpSampler(long seed) {
        this(seed, GpOptions.defaults());
    }

    public GpSampler(long seed, GpOptions options) {
        this.seed = seed;
        this.options = requireNonNull(options, "options is null");
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<Trial> history, int trialNumber, Direction direction) {
        SplittableRandom random = TrialRandom.of(seed, trialNumber);
        List<Param> free = space.params().stream().filter(p -> !fixed(p)).toList();
        List<double[]> rows = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        history.stream()
                .filter(t -> t.state() == TrialState.COMPLETE && t.value().isPresent() && Double.isFinite(t.value().getAsDouble()))
                .sorted(Comparator.comparingInt(Trial::number))
                .forEach(t -> {
                    double[] row = encode(free, t.params());
                    if (row != null) {
                        rows.add(row);
                        losses.add(direction.loss(t.value().getAsDouble()));
                    }
                });
        if (free.isEmpty() || rows.isEmpty() || rows.size() < options.startupTrials()) {
            return RandomSampler.draw(space, random);
        }
        boolean[] categorical = new boolean[free.size()];
        for (int c = 0; c < free.size(); c++) {
            categorical[c] = free.get(c) instanceof CategoricalParam;
        }
        double[] y = standardise(losses);
        GaussianProcess gp = GaussianProcess.fit(rows.toArray(new double[0][]), y, categorical);
        double best = Arrays.stream(y).min().orElseThrow();
        double[] point = maximiseAcquisition(gp, best, free, categorical, random);
        Map<String, Object> params = new LinkedHashMap<>();
        int c = 0;
        for (Param param : space.params()) {
            params.put(param.name(), fixed(param) ? RandomSampler.draw(param, random) : decode(param, point[c++]));
        }
        return params;
    }

    private double[] maximiseAcquisition(GaussianProcess gp, double best, List<Param> free, boolean[] categorical,
            SplittableRandom random) {
        int d = free.size();
        double[][] candidates = new double[options.candidates()][d];
        double[] scores = new double[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            for (int c = 0; c < d; c++) {
                candidates[i][c] = categorical[c] ? random.nextInt(((CategoricalParam) free.get(c)).choices().size()) : random.nextDouble();
            }
            scores[i] = gp.logExpectedImprovement(candidates[i], best, null);
        }
        Integer[] order = new Integer[candidates.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        double[] bestPoint = candidates[order[0]];
        double bestScore = scores[order[0]];
        for (int s = 0; s < options.localSearches(); s++) {
            double[] start = candidates[order[s]];
            double[] refined = refine(gp, best, start, free, categorical);
            double score = gp.logExpectedImprovement(refined, best, null);
            if (score > bestScore) {
                bestScore = score;
                bestPoint = refined;
            }
        }
        return bestPoint;
    }

    /** Projected BFGS over the numeric coordinates, then one pass over each categorical parameter's choices. */
    private static double[] refine(GaussianProcess gp, double best, double[] start, List<Param> free, boolean[] categorical) {
        int d = start.length;
        double[] lower = new double[d];
        double[] upper = new double[d];
        for (int c = 0; c < d; c++) {
            // a categorical coordinate is held by equal bounds: its gradient is zero anyway
            lower[c] = categorical[c] ? start[c] : 0;
            upper[c] = categorical[c] ? start[c] : 1;
        }
        double[] point = BoxBfgs.minimize((x, gradient) -> {
            double value = gp.logExpectedImprovement(x, best, gradient);
            for (int c = 0; c < d; c++) {
                gradient[c] = -gradient[c];
            }
            return -value;
        }, start, lower, upper, LOCAL_ITERATIONS, 1e-9);
        double score = gp.logExpectedImprovement(point, best, null);
        for (int c = 0; c < d; c++) {
            if (!categorical[c]) {
                continue;
            }
            double kept = point[c];
            int choices = ((CategoricalParam) free.get(c)).choices().size();
            for (int choice = 0; choice < choices; choice++) {
                point[c] = choice;
                double tried = gp.logExpectedImprovement(point, best, null);
                if (tried > score) {
                    score = tried;
                    kept = choice;
                }
            }
            point[c] = kept;
        }
        return point;
    }

    private static double[] standardise(List<Double> losses) {
        double mean = losses.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double variance = losses.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElse(0);
        double std = Math.max(Math.sqrt(variance), STD_FLOOR);
        return losses.stream().mapToDouble(v -> (v - mean) / std).toArray();
    }

    private static boolean fixed(Param param) {
        return (param instanceof FloatParam f && f.low() == f.high())
                || (param instanceof IntParam i && i.low() == i.high())
                || (param instanceof CategoricalParam c && c.choices().size() == 1);
    }

    /** A trial's values of {@code params} in the GP's coordinates, or null when one is missing or out of the space. */
    static double[] encode(List<Param> params, Map<String, Object> values) {
        double[] row = new double[params.size()];
        for (int c = 0; c < params.size(); c++) {
            Param param = params.get(c);
            Object value = values.get(param.name());
            if (param instanceof CategoricalParam p) {
                int index = value == null ? -1 : p.choices().indexOf(value);
                if (index < 0) {
                    return null;
                }
                row[c] = index;
                continue;
            }
            if (!(value instanceof Number number)) {
                return null;
            }
            double v = number.doubleValue();
            if (param instanceof FloatParam p) {
                if (!(v >= p.low() && v <= p.high())) {
                    return null;
                }
                row[c] = p.log() ? unit(Math.log(v), Math.log(p.low()), Math.log(p.high())) : unit(v, p.low(), p.high());
            } else {
                IntParam p = (IntParam) param;
                if (!(v >= p.low() && v <= p.high())) {
                    return null;
                }
                double low = p.low() - 0.5;
                double high = p.high() + 0.5;
                row[c] = p.log() ? unit(Math.log(v), Math.log(low), Math.log(high)) : unit(v, low, high);
            }
        }
        return row;
    }

    /** The parameter's value at coordinate {@code u} (an index for a categorical one), clipped into its bounds. */
    static Object decode(Param param, double u) {
        if (param instanceof CategoricalParam p) {
            return p.choices().get((int) u);
        }
        if (param instanceof FloatParam p) {
            double v = p.log() ? Math.exp(between(u, Math.log(p.low()), Math.log(p.high()))) : between(u, p.low(), p.high());
            return Math.max(p.low(), Math.min(p.high(), v));
        }
        IntParam p = (IntParam) param;
        double low = p.low() - 0.5;
        double high = p.high() + 0.5;
        double v = p.log() ? Math.exp(between(u, Math.log(low), Math.log(high))) : between(u, low, high);
        return Math.max(p.low(), Math.min(p.high(), Math.round(v)));
    }

    private static double unit(double v, double low, double high) {
        return (v - low) / (high - low);
    }

    private static double between(double u, double low, double high) {
        return low + u * (high - low);
    }
}
