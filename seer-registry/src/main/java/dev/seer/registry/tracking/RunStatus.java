package dev.seer.registry.tracking;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** Where a run is in its life, with MLflow's names. A run ends in one of the three terminal states. */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

    /** Reads a status by its MLflow name, case-insensitively; refuses others naming the known ones. */
    public static RunStatus parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SeerException(RegistryErrorCode.INVALID_REQUEST, "Run status [" + text + "] is not one of "
                    + Arrays.toString(values()), Map.of("field", "status"));
        }
    }

    public boolean terminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
