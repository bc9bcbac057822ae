package dev.seer.monitoring.alert;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Map;

/** The errors of this package, so that every message names the field it is about. */
final class Errors {
    private Errors() {}

    static SeerException invalid(String field, String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT,
                "Alert rule field [" + field + "] " + message, Map.of("field", field));
    }

    static SeerException corrupt(String message) {
        return new SeerException(MonitoringErrorCode.CORRUPT_STATE, "Alert state " + message);
    }
}
