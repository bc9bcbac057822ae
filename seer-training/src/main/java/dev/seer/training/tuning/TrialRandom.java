package dev.seer.training.tuning;

import java.util.SplittableRandom;

/**
 * The random stream of one trial: a function of (seed, trial number) only, so a trial draws the
 * same numbers whichever thread samples it, in whatever order, and after a resume.
 */
final class TrialRandom {
    private TrialRandom() {}

    static SplittableRandom of(long seed, int trialNumber) {
        // Two rounds of the SplitMix64 finaliser over (seed, number): distinct numbers give
        // unrelated seeds for SplittableRandom, which in turn mixes them again.
        return new SplittableRandom(mix(mix(seed) ^ (0x9E3779B97F4A7C15L * (trialNumber + 1L))));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
