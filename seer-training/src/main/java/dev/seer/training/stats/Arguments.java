package dev.seer.training.stats;

import dev.seer.core.SeerException;
import dev.seer.training.TrainingErrorCode;
import java.util.Map;

/** The argument checks every test shares; each error names the argument it refuses. */
final class Arguments {
    private Arguments() {}

    static SeerException invalid(String argument, String message) {
        return new SeerException(TrainingErrorCode.INVALID_ARGUMENT, message, Map.of("argument", argument));
    }

    /** A confidence level or an alpha: strictly between 0 and 1. */
    static void requireProbability(double value, String argument) {
        if (!(value > 0 && value < 1)) {
            throw invalid(argument, "Argument [" + argument + "] must be in (0, 1), was [" + value + "]");
        }
    }

    static <T> T requireNonNull(T value, String argument) {
        if (value == null) {
            throw invalid(argument, "Argument [" + argument + "] is null");
        }
        return value;
    }

    static void requireFinite(double[] values, String argument) {
        requireNonNull(values, argument);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw invalid(argument, "Argument [" + argument + "] has a non-finite value [" + values[i]
                        + "] at index [" + i + "]");
            }
        }
    }

    static void requireSameLength(int length, String argument, int expected, String other) {
        if (length != expected) {
            throw invalid(argument, "Argument [" + argument + "] has length [" + length + "] but [" + other
                    + "] has length [" + expected + "]");
        }
    }
}
