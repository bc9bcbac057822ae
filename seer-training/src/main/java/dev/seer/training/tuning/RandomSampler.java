package dev.seer.training.tuning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Independent uniform draws per parameter, as Optuna's {@code RandomSampler} does (notes §1.9):
 * reals uniform in [low, high) or in log space, integers uniform over the widened interval
 * [low − ½, high + ½] (or its log) then rounded, categoricals uniform over the choices. Trial
 * {@code k} uses the stream {@link TrialRandom#of}(seed, k), so the history is not needed and the
 * draws repeat exactly.
 */
public final class RandomSampler implements Sampler {
    private final long seed;

    public RandomSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<Trial> history, int trialNumber, Direction direction) {
        return draw(space, TrialRandom.of(seed, trialNumber));
    }

    static Map<String, Object> draw(SearchSpace space, SplittableRandom random) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Param param : space.params()) {
            params.put(param.name(), draw(param, random));
        }
        return params;
    }

    static Object draw(Param param, SplittableRandom random) {
        if (param instanceof FloatParam p) {
            return drawFloat(p, random);
        }
        if (param instanceof IntParam p) {
            return drawInt(p, random);
        }
        CategoricalParam p = (CategoricalParam) param;
        return p.choices().get(random.nextInt(p.choices().size()));
    }

    private static double drawFloat(FloatParam p, SplittableRandom random) {
        if (p.low() == p.high()) {
            return p.low();
        }
        if (!p.log()) {
            return p.low() + random.nextDouble() * (p.high() - p.low());
        }
        double value = Math.exp(Math.log(p.low()) + random.nextDouble() * (Math.log(p.high()) - Math.log(p.low())));
        // exp(log(high)) can round up past high; Optuna keeps log draws strictly below it.
        return Math.max(p.low(), Math.min(value, Math.nextDown(p.high())));
    }

    private static long drawInt(IntParam p, SplittableRandom random) {
        if (p.low() == p.high()) {
            return p.low();
        }
        double low = p.low() - 0.5;
        double high = p.high() + 0.5;
        double value = p.log()
                ? Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)))
                : low + random.nextDouble() * (high - low);
        return Math.max(p.low(), Math.min(p.high(), (long) Math.rint(value)));
    }
}
