package dev.seer.serving.deploy;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Map;
import java.util.regex.Pattern;

/** A registered model version, {@code name:version}, as a deployment pins it. */
public record ModelRef(String model, int version) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public ModelRef {
        if (model == null || !NAME.matcher(model).matches()) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "Model name [" + model
                    + "] must be letters, digits, '_', '.' or '-' (at most 128)", Map.of("field", "model"));
        }
        if (version < 1) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "Model version of [" + model
                    + "] must be at least 1, not " + version, Map.of("field", "version"));
        }
    }

    /** Reads {@code name:version}; {@code field} names the request field in errors. */
    public static ModelRef parse(String text, String field) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "[" + field + "] must be NAME:VERSION, not ["
                    + text + "]", Map.of("field", field));
        }
        String digits = text.substring(colon + 1);
        if (!digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "[" + field + "]'s version must be a whole number, not ["
                    + digits + "]", Map.of("field", field));
        }
        return new ModelRef(text.substring(0, colon), Integer.parseInt(digits));
    }

    @Override
    public String toString() {
        return model + ":" + version;
    }
}
