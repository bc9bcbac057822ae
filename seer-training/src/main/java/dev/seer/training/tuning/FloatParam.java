package dev.seer.training.tuning;

/**
 * A real parameter in [low, high]; {@code log} samples it uniformly in log space, which needs
 * {@code low > 0}. As in Optuna, {@code low == high} is allowed (the parameter is then fixed); both
 * ends must be finite.
 */
public record FloatParam(String name, double low, double high, boolean log) implements Param {
    public FloatParam {
        Specs.requireName(name);
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            throw Specs.invalid(name, "Parameter [" + name + "] needs finite bounds, got [" + low + ", " + high + "]");
        }
        if (low > high) {
            throw Specs.invalid(name, "Parameter [" + name + "] has low [" + low + "] above high [" + high + "]");
        }
        if (log && low <= 0) {
            throw Specs.invalid(name, "Parameter [" + name + "] is log-scaled and needs low > 0, got [" + low + "]");
        }
    }
}
