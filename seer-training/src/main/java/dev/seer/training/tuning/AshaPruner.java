package dev.seer.training.tuning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Asynchronous successive halving (ASHA; Li, Jamieson, Rostamizadeh, Gonina, Ben-Tzur, Hardt,
 * Recht, Talwalkar 2020, "A System for Massively Parallel Hyperparameter Tuning", Algorithm 2),
 * with the semantics of Optuna's {@code SuccessiveHalvingPruner} (notes §2): trials are never
 * suspended; when a trial reports at or past the step of its next rung,
 * {@code minResource · reductionFactor^(minEarlyStoppingRate + rung)}, its value is entered for that
 * rung and compared with the values other trials entered there; it goes on only if it is within
 * the top {@code ⌊n / reductionFactor⌋} of the n values (or is the best so far while
 * {@code n < reductionFactor}). A NaN at a rung prunes. One report may clear several rungs.
 *
 * <p>Optuna stores each trial's rung values as system attributes; here they are recomputed from
 * the intermediate values, which gives the same numbers: a trial enters rung k with the first
 * value it reports at a step of at least rung k's step, and a finished trial has entered exactly
 * the rungs it reached. The competitors are the trials the study passes in {@code others}: the
 * history its sampler saw (all finished trials numbered up to {@code k − parallelism}), so a
 * decision never depends on how far concurrently running trials happen to be. Sequentially that is
 * every earlier trial, as in Optuna.
 *
 * <p>{@link #auto} sets the minimum resource as Optuna's {@code "auto"}: {@code max(s // 100, 1)}
 * with s the last step of the first COMPLETE trial (the first one Optuna can see, run
 * sequentially); no trial is pruned before one has completed, and, as in Optuna, trials numbered
 * up to that first COMPLETE one entered no rung (Optuna records rung values only once the
 * minimum resource is known), so they are not competitors.
 */
public final class AshaPruner implements Pruner {
    private static final long AUTO = 0;

    private final long minResource;
    private final int reductionFactor;
    private final int minEarlyStoppingRate;

    public AshaPruner(long minResource, int reductionFactor, int minEarlyStoppingRate) {
        this(minResource, reductionFactor, minEarlyStoppingRate, false);
    }

    private AshaPruner(long minResource, int reductionFactor, int minEarlyStoppingRate, boolean auto) {
        if (!auto && minResource < 1) {
            throw Specs.invalid("minResource", "ASHA min resource must be >= 1, got [" + minResource + "]");
        }
        if (reductionFactor < 2) {
            throw Specs.invalid("reductionFactor", "ASHA reduction factor must be >= 2, got [" + reductionFactor + "]");
        }
        if (minEarlyStoppingRate < 0) {
            throw Specs.invalid("minEarlyStoppingRate", "ASHA min early-stopping rate must be >= 0, got [" + minEarlyStoppingRate + "]");
        }
        this.minResource = auto ? AUTO : minResource;
        this.reductionFactor = reductionFactor;
        this.minEarlyStoppingRate = minEarlyStoppingRate;
    }

    /** Optuna's default pruner: {@code min_resource="auto"}, reduction factor 4, rate 0. */
    public static AshaPruner auto(int reductionFactor, int minEarlyStoppingRate) {
        return new AshaPruner(AUTO, reductionFactor, minEarlyStoppingRate, true);
    }

    @Override
    public boolean prune(Trial trial, long step, double value, List<Trial> others, Direction direction) {
        Optional<Trial> firstComplete = minResource != AUTO ? Optional.empty() : firstComplete(others);
        if (minResource == AUTO && firstComplete.isEmpty()) {
            return false;
        }
        long resource = firstComplete.map(t -> Math.max(t.intermediate().lastKey() / 100, 1)).orElse(minResource);
        int firstEntrant = firstComplete.map(t -> t.number() + 1).orElse(0);
        int rung = rungValues(trial.intermediate(), resource).size();
        while (true) {
            long promotionStep = promotionStep(resource, rung);
            if (step < promotionStep || promotionStep == Long.MAX_VALUE) {
                return false;
            }
            if (Double.isNaN(value)) {
                return true;
            }
            List<Double> competing = new ArrayList<>();
            for (Trial other : others) {
                if (other.number() != trial.number() && other.number() >= firstEntrant) {
                    List<Double> entered = rungValues(other.intermediate(), resource);
                    if (entered.size() > rung) {
                        competing.add(entered.get(rung));
                    }
                }
            }
            competing.add(value);
            if (!promotable(value, competing, direction)) {
                return true;
            }
            rung++;
        }
    }

    /** Optuna's {@code _is_trial_promotable_to_next_rung}. */
    boolean promotable(double value, List<Double> competing, Direction direction) {
        int index = Math.max(competing.size() / reductionFactor - 1, 0);
        List<Double> sorted = new ArrayList<>(competing);
        Collections.sort(sorted);
        return direction == Direction.MAXIMIZE
                ? value >= sorted.get(sorted.size() - 1 - index)
                : value <= sorted.get(index);
    }

    /** The value a trial entered at each rung it reached, rung 0 first. */
    List<Double> rungValues(SortedMap<Long, Double> intermediate, long resource) {
        List<Double> values = new ArrayList<>();
        for (Map.Entry<Long, Double> report : intermediate.entrySet()) {
            long next;
            while ((next = promotionStep(resource, values.size())) != Long.MAX_VALUE && report.getKey() >= next) {
                if (Double.isNaN(report.getValue())) {
                    return values;
                }
                values.add(report.getValue());
            }
        }
        return values;
    }

    /** {@code resource · η^(rate + rung)}, saturating at Long.MAX_VALUE (a rung no trial reaches). */
    long promotionStep(long resource, int rung) {
        long step = resource;
        for (int i = 0; i < minEarlyStoppingRate + rung; i++) {
            if (step > Long.MAX_VALUE / reductionFactor) {
                return Long.MAX_VALUE;
            }
            step *= reductionFactor;
        }
        return step;
    }

    private static Optional<Trial> firstComplete(List<Trial> others) {
        return others.stream()
                .filter(t -> t.state() == TrialState.COMPLETE && !t.intermediate().isEmpty())
                .min(Comparator.comparingInt(Trial::number));
    }
}
