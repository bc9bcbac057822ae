package dev.seer.serving.log;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Locale;
import java.util.Map;

/** Where a feature value a model saw came from. */
public enum FeatureStatus {
    /** Read from the online store, fresh. */
    PRESENT,
    /** Absent from the request and the store: the model took its missing-value path. */
    MISSING,
    /** In the store but older than the view's time to live, so not used as a value. */
    EXPIRED,
    /** Given in the request, overriding the store. */
    GIVEN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FeatureStatus of(String id) {
        for (FeatureStatus s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new SeerException(ServingErrorCode.INVALID_INPUT, "Feature status [" + id
                + "] must be present, missing, expired or given", Map.of("field", "status"));
    }
}
