package dev.seer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.feedback.Feedback;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The records of stream scoring and of feedback from a topic: a scoring input is one row as the
 * predict route takes it, a feedback record one outcome as the feedback route takes it (read by the
 * routes' own parsers, so a record and a request are refused alike, naming the field); an output is
 * one prediction as the predict route answers it, with the deployment and revision that scored it.
 * A refused record becomes a dead letter: its key and bytes as they were, and the feature store's
 * headers ({@code seer.source}, {@code seer.topic}, {@code seer.partition}, {@code seer.offset},
 * {@code seer.error}), so {@code seer quarantine dead-letters} lists it beside stream ingestion's.
 */
final class StreamedRecords {
    private StreamedRecords() {}

    /** The row of a scoring record; refused naming the field. */
    static Predictor.Row row(byte[] value) {
        return PredictOperations.row(object(value), "");
    }

    /** The outcome of a feedback record; without a {@code source}, it is {@code kafka:TOPIC}; without a time, {@code now}. */
    static Feedback feedback(byte[] value, String topic, Instant now) {
        JsonNode json = object(value);
        FeedbackOperations.Outcome o = FeedbackOperations.feedback(json, "");
        String source = json.hasNonNull("source") ? o.source() : "kafka:" + topic;
        return new Feedback(o.target(), o.outcome(), o.observedAt().orElse(now), source);
    }

    private static JsonNode object(byte[] value) {
        if (value == null) {
            throw invalid("The record has no value (a tombstone); it must be a JSON object", "value");
        }
        JsonNode json;
        try {
            json = Json.parse(value);
        } catch (RuntimeException e) {
            String first = String.valueOf(e.getMessage()).split("\n")[0];
            throw invalid("The record is not JSON: " + first, "value");
        }
        if (json == null || !json.isObject()) {
            throw invalid("The record must be a JSON object, not [" + (json == null ? "nothing" : json.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT)) + "]", "value");
        }
        return json;
    }

    /** The value of the output record of one prediction. */
    static byte[] output(String deployment, long revision, PredictOperations.Prediction prediction) {
        ObjectNode json = PredictOperations.prediction(Json.object(), prediction);
        json.put("deployment", deployment).put("revision", revision);
        return Json.write(json).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code topic/partition@offset}: where a record was read, for messages. */
    static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    /** Why a record was refused: the error's message (which names the field) and where the record was. */
    static String reason(SeerException e, ConsumerRecord<?, ?> record) {
        Object field = e.details().get("field");
        String message = e.getMessage();
        boolean named = field == null || message.contains("[" + field + "]");
        return (named ? "" : "[" + field + "] ") + message + " (at " + where(record) + ")";
    }

    /** The dead letter of {@code record}: its key and value as read, and headers saying where from ({@code source}) and why. */
    /** The most of a refused record's value a dead letter carries: well under Kafka's default 1 MB record limit. */
    static final int MAX_DEAD_LETTER_VALUE = 512 * 1024;

    static ProducerRecord<byte[], byte[]> deadLetter(String deadLetterTopic, String source, ConsumerRecord<byte[], byte[]> record,
            String error) {
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(headers::add);
        headers.add(header("seer.source", source));
        headers.add(header("seer.topic", record.topic()));
        headers.add(header("seer.partition", Integer.toString(record.partition())));
        headers.add(header("seer.offset", Long.toString(record.offset())));
        headers.add(header("seer.error", error));
        // a record without a time (-1) keeps none: Kafka refuses a negative one
        Long timestamp = record.timestamp() < 0 ? null : record.timestamp();
        byte[] value = record.value();
        if (value != null && value.length > MAX_DEAD_LETTER_VALUE) {
            // the input with Seer's headers could pass the broker's record limit, and a dead letter that cannot be
            // written would stop its poll for good: the start is kept, the length said
            headers.add(header("seer.truncated_from", Integer.toString(value.length)));
            value = java.util.Arrays.copyOf(value, MAX_DEAD_LETTER_VALUE);
        }
        return new ProducerRecord<>(deadLetterTopic, null, timestamp, record.key(), value, headers);
    }

    /** The output of a scored record, keyed as its input, with headers naming the input. */
    static ProducerRecord<byte[], byte[]> output(String topic, ConsumerRecord<byte[], byte[]> input, byte[] value) {
        List<Header> headers = List.of(header("seer.topic", input.topic()),
                header("seer.partition", Integer.toString(input.partition())),
                header("seer.offset", Long.toString(input.offset())));
        return new ProducerRecord<>(topic, null, null, input.key(), value, headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static SeerException invalid(String message, String field) {
        return new SeerException(ServingErrorCode.INVALID_INPUT, message, Map.of("field", field));
    }
}
