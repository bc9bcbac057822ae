package dev.seer.training.tuning;

/**
 * Settings of {@link GpSampler}: how many COMPLETE trials are drawn at random before the Gaussian
 * process takes over ({@code startupTrials}, Optuna's GPSampler also uses 10), how many random
 * points of the space the acquisition is scored on ({@code candidates}), and from how many of the
 * best of them a local search refines it ({@code localSearches}).
 */
public record GpOptions(int startupTrials, int candidates, int localSearches) {
    public GpOptions {
        if (startupTrials < 0) {
            throw Specs.invalid("startupTrials", "GP start-up trials must be >= 0, got [" + startupTrials + "]");
        }
        if (candidates < 1) {
            throw Specs.invalid("candidates", "GP needs at least one candidate, got [" + candidates + "]");
        }
        if (localSearches < 0 || localSearches > candidates) {
            throw Specs.invalid("localSearches", "GP local searches must be in [0, candidates], got [" + localSearches + "]");
        }
    }

    public static GpOptions defaults() {
        return new GpOptions(10, 2048, 10);
    }

    public GpOptions withStartupTrials(int trials) {
        return new GpOptions(trials, candidates, localSearches);
    }
}
