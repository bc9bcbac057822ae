package dev.seer.monitoring.performance;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Map;

/** Checks at the public edges, so that the statistics below may assume clean input. */
final class Inputs {
    private Inputs() {
    }

    static void scores(double[] scores) {
        requireNonNull(scores, "scores is null");
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw invalid("Score [" + scores[i] + "] at row [" + i + "] is not a finite number");
            }
        }
    }

    static void labels(String what, int[] labels, int rows) {
        requireNonNull(labels, what + " is null");
        if (labels.length != rows) {
            throw invalid("There are [" + rows + "] scores but [" + labels.length + "] " + what);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw invalid("Binary " + what + " must be 0 or 1, not [" + labels[i] + "] at row [" + i + "]");
            }
        }
    }

    static int[] predicted(double[] scores, double threshold) {
        int[] out = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = scores[i] >= threshold ? 1 : 0;
        }
        return out;
    }

    static SeerException invalid(String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, message, Map.of());
    }
}
