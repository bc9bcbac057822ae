package dev.seer.metadata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A signed-tree-head-like summary of the audit log (RFC 9162 section 4.10, without a
 * signature): the number of entries, the Merkle root over them and when it was taken. Exported
 * to a file, it lets a later verify prove the log only grew since.
 */
public record TreeHead(long size, String rootHash, Instant time) {
    public static final String FORMAT = "seer-tree-head-v1";

    public TreeHead {
        requireNonNull(rootHash, "rootHash is null");
        requireNonNull(time, "time is null");
    }

    public String toJson() {
        ObjectNode node = Json.object();
        node.put("format", FORMAT);
        node.put("size", size);
        node.put("root_hash", rootHash);
        node.put("time", time.toString());
        return Json.write(node);
    }

    public static TreeHead fromJson(String text) {
        JsonNode node;
        try {
            node = Json.parse(text);
        } catch (SeerException e) {
            throw invalid("it is not JSON: " + e.getMessage());
        }
        if (!node.isObject()) {
            throw invalid("it is not a JSON object");
        }
        if (!FORMAT.equals(node.path("format").asText())) {
            throw invalid("its format is [" + node.path("format").asText() + "], expected [" + FORMAT + "]");
        }
        if (!node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
            throw invalid("[size] must be a whole number of at least 0");
        }
        String root = node.path("root_hash").asText();
        if (root.length() != 64 || !root.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw invalid("[root_hash] must be 64 hex digits");
        }
        try {
            return new TreeHead(node.path("size").asLong(), root.toLowerCase(java.util.Locale.ROOT),
                    Instant.parse(node.path("time").asText()));
        } catch (DateTimeParseException e) {
            throw invalid("[time] is not an ISO-8601 instant");
        }
    }

    byte[] rootBytes() {
        return HexFormat.of().parseHex(rootHash);
    }

    private static SeerException invalid(String why) {
        return new SeerException(MetadataErrorCode.TREE_HEAD_INVALID, "Tree head is invalid: " + why, Map.of());
    }
}
