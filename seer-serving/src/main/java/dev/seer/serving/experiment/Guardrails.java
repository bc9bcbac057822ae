package dev.seer.serving.experiment;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Map;

/**
 * Limits past which a challenger is rolled back whatever its metric says.
 *
 * @param maxErrorRate        the highest share of the challenger's requests that may fail, in [0, 1]
 * @param maxLatencyP99Millis the highest 99th percentile of the challenger's latency, in milliseconds
 * @param minRequests         requests the challenger needs before its error rate and latency are judged, so
 *                            that one failure among the first few requests does not roll it back
 */
public record Guardrails(double maxErrorRate, double maxLatencyP99Millis, long minRequests) {
    public Guardrails {
        if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw invalid("max-error-rate", "A guardrail's error rate must be in [0, 1], not [" + maxErrorRate + "]");
        }
        if (!(maxLatencyP99Millis > 0)) {
            throw invalid("max-latency-p99-ms", "A guardrail's p99 latency must be a positive number of "
                    + "milliseconds, not [" + maxLatencyP99Millis + "]");
        }
        if (minRequests < 1) {
            throw invalid("min-requests", "A guardrail needs at least [1] request to judge, not [" + minRequests + "]");
        }
    }

    private static SeerException invalid(String field, String message) {
        return new SeerException(ServingErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }
}
