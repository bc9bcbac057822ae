package dev.seer.serving.experiment;

/**
 * What the guardrails judge of an arm, over the experiment so far.
 *
 * @param requests          requests the arm answered or failed
 * @param errors            requests the arm failed
 * @param latencyP99Millis  the 99th percentile of its latency, in milliseconds (NaN if not measured)
 */
public record ArmHealth(long requests, long errors, double latencyP99Millis) {
    /** errors / requests, 0 with no requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }
}
