package dev.seer.core.store;

import java.util.Locale;

/** The SQL dialects Seer writes: a component picks its migrations and the few statements that differ. */
public enum SqlDialect {
    SQLITE, POSTGRESQL;

    /** The folder name of this dialect's migrations: {@code sqlite}, {@code postgresql}. */
    public String folder() {
        return name().toLowerCase(Locale.ROOT);
    }
}
