package dev.seer.registry.tracking;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules names and values follow, MLflow's: a metric, parameter or tag key is 1 to 250 of
 * letters, digits, {@code _ - . / } and space, with no {@code ..} segment and no leading
 * {@code /} (keys become artifact paths in some clients); values have MLflow's length limits.
 */
final class Names {
    static final int MAX_KEY = 250;
    static final int MAX_PARAM_VALUE = 6000;
    static final int MAX_TAG_VALUE = 8000;
    static final int MAX_NAME = 500;
    private static final Pattern KEY = Pattern.compile("[\\w./\\- ]{1," + MAX_KEY + "}");

    private Names() {}

    static String key(String key, String what) {
        if (key == null || !KEY.matcher(key).matches() || key.startsWith("/") || ("/" + key + "/").contains("/../")
                || ("/" + key + "/").contains("/./")) {
            throw invalid(what + " key [" + key + "] must be 1 to " + MAX_KEY + " letters, digits, '_', '-', '.', '/' or"
                    + " spaces, not starting with '/' and without '.' or '..' segments", "key");
        }
        return key;
    }

    static String value(String value, int max, String what) {
        if (value == null) {
            throw invalid(what + " value is missing", "value");
        }
        if (value.length() > max) {
            throw invalid(what + " value is " + value.length() + " characters; at most " + max + " are kept", "value");
        }
        return value;
    }

    static String name(String name, String what) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw invalid(what + " name must be 1 to " + MAX_NAME + " characters, not blank", "name");
        }
        return name;
    }

    static SeerException invalid(String message, String field) {
        return new SeerException(RegistryErrorCode.INVALID_REQUEST, message, Map.of("field", field));
    }
}
