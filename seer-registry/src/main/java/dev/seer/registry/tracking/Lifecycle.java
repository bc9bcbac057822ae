package dev.seer.registry.tracking;

import java.util.Locale;

/** Whether an experiment or run is in use or deleted (kept, restorable), as MLflow's {@code lifecycle_stage}. */
public enum Lifecycle {
    ACTIVE, DELETED;

    /** The stored and wire form: {@code active}, {@code deleted}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Lifecycle of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
