package dev.seer.training.tuning;

import dev.seer.core.SeerException;
import dev.seer.training.TrainingErrorCode;
import java.util.Map;

/** The errors a search space's checks raise, each naming the parameter at fault. */
final class Specs {
    private Specs() {}

    static SeerException invalid(String param, String message) {
        return new SeerException(TrainingErrorCode.INVALID_SPEC, message, Map.of("param", String.valueOf(param)));
    }

    static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw invalid(name, "A search-space parameter needs a name, got [" + name + "]");
        }
    }
}
