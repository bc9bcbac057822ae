package dev.seer.serving.experiment;

/** Running count, mean and sum of squared deviations of one arm's outcomes (Welford's update). */
final class Arms {
    long count;
    double mean;
    double m2;

    Arms() {}

    Arms(long count, double mean, double m2) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
    }

    void add(double value) {
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
    }

    /** The variance of one outcome: p̂(1 − p̂) for Bernoulli outcomes, the sample variance (n − 1) otherwise. */
    double variance(Outcome outcome) {
        if (outcome == Outcome.BERNOULLI) {
            return mean * (1 - mean);
        }
        return count < 2 ? 0 : m2 / (count - 1);
    }
}
