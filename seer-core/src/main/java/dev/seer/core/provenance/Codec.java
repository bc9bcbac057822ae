package dev.seer.core.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.util.Map;

/**
 * The one JSON form of a provenance value (a batch record, a dataset's lineage, later a run or a
 * model version). Every stored form carries its format version in {@value #FORMAT}; a form
 * written before formats were versioned has none and is read as version 1. A newer or unknown
 * version is refused with a message naming the kind, so an old Seer never misreads what a newer
 * one wrote (Tribuo's provenance and saved models follow the same rule).
 *
 * @param <T> the value
 */
public interface Codec<T> {
    /** The field holding the format version. */
    String FORMAT = "format";

    /** What the value is, for messages: {@code batch record}, {@code dataset lineage}. */
    String kind();

    /** The newest format this codec writes and reads. */
    int version();

    ObjectNode encode(T value);

    /** Reads a stored form of any supported version. */
    T decode(JsonNode json);

    /**
     * The format version of {@code json}: 1 when absent; refuses one this codec cannot read.
     * Decoders call this first.
     */
    default int checkVersion(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "A " + kind() + " must be a JSON object, not ["
                    + (json == null ? "nothing" : json.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + "]",
                    Map.of("kind", kind()));
        }
        JsonNode format = json.get(FORMAT);
        if (format == null || format.isNull()) {
            return 1;
        }
        if (!format.canConvertToInt() || !format.isIntegralNumber() || format.asInt() < 1 || format.asInt() > version()) {
            throw new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, "This Seer reads " + kind() + " formats 1 to "
                    + version() + ", not [" + format.asText() + "]: it was written by a newer Seer, or is damaged",
                    Map.of("kind", kind(), "format", format.asText()));
        }
        return format.asInt();
    }
}
