package dev.seer.registry.tracking;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import java.util.Locale;
import java.util.Map;

/** Whether an experiment or run is in use or deleted (kept, restorable), as MLflow's {@code lifecycle_stage}. */
public enum Lifecycle {
    ACTIVE, DELETED;

    /** The stored and wire form: {@code active}, {@code deleted}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads the stored or wire form, case-insensitively; refuses anything else naming the two. */
    public static Lifecycle parse(String id) {
        for (Lifecycle lifecycle : values()) {
            if (lifecycle.id().equalsIgnoreCase(id)) {
                return lifecycle;
            }
        }
        throw new SeerException(RegistryErrorCode.INVALID_REQUEST, "Lifecycle [" + id + "] is not active or deleted",
                Map.of("field", "lifecycle"));
    }
}
