package dev.seer.serving.experiment;

/**
 * A sequential test as of its last outcome.
 *
 * @param championCount   outcomes of the champion so far
 * @param challengerCount outcomes of the challenger so far
 * @param championMean    the champion's mean outcome
 * @param challengerMean  the challenger's mean outcome
 * @param difference      challenger minus champion
 * @param lambda          the mixture likelihood ratio Λ_n of the last outcome against no difference (1 before
 *                        each arm has its minimum of outcomes; may be infinite)
 * @param pValue          the always-valid p-value, min over n of 1/Λ_n
 * @param lower           the always-valid confidence sequence of the difference at level 1 − alpha: lower end
 * @param upper           its upper end (both infinite before each arm has its minimum of outcomes)
 * @param sign            +1 if the test has found the challenger's mean higher, −1 lower, 0 not (yet)
 * @param alpha           the level of the test
 */
public record MsprtResult(long championCount, long challengerCount, double championMean, double challengerMean,
        double difference, double lambda, double pValue, double lower, double upper, int sign, double alpha) {
    /** Whether the test has rejected "no difference": p ≤ alpha, once and for all. */
    public boolean significant() {
        return sign != 0;
    }
}
