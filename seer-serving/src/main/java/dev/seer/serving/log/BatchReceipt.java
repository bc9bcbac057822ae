package dev.seer.serving.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;

/**
 * A durable batch as the audit log records it (action {@code prediction.batch}, subject
 * {@code prediction-log}/batch number): where it is, what it holds and its chained hash. The
 * wiring reads these payloads back with {@link #fromJson} to give {@link PredictionLog#verify} the
 * hashes the audit log holds.
 *
 * @param hash         SHA-256 of the batch's bytes (hex), which include {@code previousHash}
 * @param previousHash the previous batch's hash (zeros before the first batch)
 */
public record BatchReceipt(long batch, String segment, long offset, int count, String firstId, String lastId, String hash,
        String previousHash) {
    public static final String ACTION = "prediction.batch";
    public static final String SUBJECT_TYPE = "prediction-log";

    public ObjectNode toJson() {
        return Json.object().put("batch", batch).put("segment", segment).put("offset", offset).put("count", count)
                .put("first_id", firstId).put("last_id", lastId).put("hash", hash).put("previous_hash", previousHash);
    }

    public static BatchReceipt fromJson(JsonNode node) {
        return new BatchReceipt(node.path("batch").asLong(), node.path("segment").asText(), node.path("offset").asLong(),
                node.path("count").asInt(), node.path("first_id").asText(), node.path("last_id").asText(),
                node.path("hash").asText(), node.path("previous_hash").asText());
    }
}
