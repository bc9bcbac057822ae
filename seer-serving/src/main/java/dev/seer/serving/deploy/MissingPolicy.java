package dev.seer.serving.deploy;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Locale;
import java.util.Map;

/**
 * What a deployment does with a row that lacks a feature (absent from the request and from the
 * online store, or expired there): refuse it naming the features, or score it down the model's
 * missing-value path. Either way the logged prediction records which features were missing.
 */
public enum MissingPolicy {
    REFUSE, MODEL_DEFAULT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MissingPolicy of(String id, String field) {
        for (MissingPolicy p : values()) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "[" + field + "] must be refuse or model_default, not ["
                + id + "]", Map.of("field", field));
    }
}
