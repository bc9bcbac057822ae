package dev.seer.training.tuning;

/**
 * An integer parameter in [low, high], both ends included; {@code log} samples it uniformly in
 * log space (Optuna's {@code IntDistribution(log=True)}), which needs {@code low >= 1}. A range of
 * one value ({@code low == high}) is allowed and always yields that value.
 */
public record IntParam(String name, long low, long high, boolean log) implements Param {
    public IntParam {
        Specs.requireName(name);
        if (low > high) {
            throw Specs.invalid(name, "Parameter [" + name + "] has low [" + low + "] above high [" + high + "]");
        }
        if (log && low < 1) {
            throw Specs.invalid(name, "Parameter [" + name + "] is log-scaled and needs low >= 1, got [" + low + "]");
        }
    }
}
