package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Arm;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.feedback.Feedback;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Records of stream scoring and feedback: read as the routes read requests, refused naming the field and where. */
class StreamedRecordsTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aScoringRecordIsOneRowOfThePredictRoute() {
        Predictor.Row row = StreamedRecords.row(bytes("{\"entity\": {\"customer_id\": \"c1\", \"shop\": 7},"
                + " \"features\": {\"a\": 1.5, \"b\": null, \"c\": true}}"));
        assertThat(row.entity()).isEqualTo(Map.of("customer_id", "c1", "shop", "7"));
        assertThat(row.given()).containsEntry("a", 1.5).containsEntry("c", 1.0);
        assertThat(row.given().get("b")).isNaN();
    }

    @Test
    void aBadScoringRecordIsRefusedNamingTheField() {
        assertRefused(null, "value", "tombstone");
        assertRefused("not json", "value", "not JSON");
        assertRefused("[1, 2]", "value", "JSON object");
        assertRefused("\"text\"", "value", "JSON object");
        assertRefused("{}", "entity", "neither");
        assertRefused("{\"features\": {\"a\": \"x\"}}", "features.a", "finite number");
        assertRefused("{\"features\": {\"a\": 1e999}}", "features.a", "finite number");
        assertRefused("{\"features\": [1]}", "features", "map feature names");
        assertRefused("{\"entity\": {\"k\": {\"x\": 1}}}", "entity.k", "text or a whole number");
    }

    private static void assertRefused(String value, String field, String message) {
        assertThatThrownBy(() -> StreamedRecords.row(value == null ? null : bytes(value))).as(value)
                .isInstanceOf(SeerException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_INPUT))
                .satisfies(e -> assertThat(((SeerException) e).details()).containsEntry("field", field));
    }

    @Test
    void aReasonNamesTheFieldAndWhereTheRecordWas() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("requests", 3, 41, bytes("k"), bytes("{}"));
        SeerException e = new SeerException(ServingErrorCode.INVALID_INPUT, "The record is not JSON: x", Map.of("field", "value"));
        assertThat(StreamedRecords.reason(e, record)).isEqualTo("[value] The record is not JSON: x (at requests/3@41)");
        SeerException named = new SeerException(ServingErrorCode.INVALID_INPUT, "[features.a] must be a number",
                Map.of("field", "features.a"));
        assertThat(StreamedRecords.reason(named, record)).isEqualTo("[features.a] must be a number (at requests/3@41)");

        ProducerRecord<byte[], byte[]> letter = StreamedRecords.deadLetter("seer.dead-letters", "deployment:churn", record,
                "why");
        assertThat(letter.topic()).isEqualTo("seer.dead-letters");
        assertThat(letter.key()).isEqualTo(bytes("k"));
        assertThat(letter.value()).isEqualTo(bytes("{}"));
        assertThat(new String(letter.headers().lastHeader("seer.source").value(), StandardCharsets.UTF_8))
                .isEqualTo("deployment:churn");
        assertThat(new String(letter.headers().lastHeader("seer.offset").value(), StandardCharsets.UTF_8)).isEqualTo("41");
        assertThat(new String(letter.headers().lastHeader("seer.error").value(), StandardCharsets.UTF_8)).isEqualTo("why");
        assertThat(letter.headers().lastHeader("seer.truncated_from")).isNull();
    }

    /** A dead letter that could not be written would stop its poll for good: a large value is cut, and says so. */
    @Test
    void aLargeRefusedValueIsCutInItsDeadLetter() {
        byte[] large = new byte[StreamedRecords.MAX_DEAD_LETTER_VALUE + 100_000];
        java.util.Arrays.fill(large, (byte) 'x');
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("requests", 0, 7, bytes("k"), large);
        ProducerRecord<byte[], byte[]> letter = StreamedRecords.deadLetter("seer.dead-letters", "deployment:churn", record,
                "too big");
        assertThat(letter.value()).hasSize(StreamedRecords.MAX_DEAD_LETTER_VALUE);
        assertThat(new String(letter.headers().lastHeader("seer.truncated_from").value(), StandardCharsets.UTF_8))
                .isEqualTo(Integer.toString(large.length));
    }

    @Test
    void anOutputIsThePredictionAsThePredictRouteAnswersIt() {
        var prediction = new PredictOperations.Prediction("prd_1", new ModelRef("churn", 3), Arm.CHALLENGER, List.of(0.25),
                List.of("b"), Optional.empty());
        var json = Json.parse(StreamedRecords.output("churn", 7, prediction));
        assertThat(json.path("id").asText()).isEqualTo("prd_1");
        assertThat(json.path("deployment").asText()).isEqualTo("churn");
        assertThat(json.path("revision").asLong()).isEqualTo(7);
        assertThat(json.path("model").asText()).isEqualTo("churn:3");
        assertThat(json.path("arm").asText()).isEqualTo("challenger");
        assertThat(json.path("output").get(0).asDouble()).isEqualTo(0.25);
        assertThat(json.path("missing").get(0).asText()).isEqualTo("b");
    }

    @Test
    void aFeedbackRecordIsOneOutcomeOfTheFeedbackRoute() {
        Feedback byId = StreamedRecords.feedback(bytes("{\"prediction_id\": \"prd_x\", \"outcome\": 1}"), "outcomes", NOW);
        assertThat(byId.target()).isEqualTo(new Feedback.ById("prd_x"));
        assertThat(byId.observedAt()).isEqualTo(NOW); // no time: the server's clock
        assertThat(byId.source()).isEqualTo("kafka:outcomes");
        Feedback byEntity = StreamedRecords.feedback(bytes("{\"entity\": {\"customer_id\": \"c1\"}, \"deployment\": \"churn\","
                + " \"at\": \"2026-12-01T00:00:00Z\", \"outcome\": 0, \"observed_at\": \"2026-12-03T00:00:00Z\","
                + " \"source\": \"crm\"}"), "outcomes", NOW);
        assertThat(byEntity.target()).isEqualTo(new Feedback.ByEntity(Map.of("customer_id", "c1"), "churn",
                Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(byEntity.observedAt()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(byEntity.source()).isEqualTo("crm");
        assertThatThrownBy(() -> StreamedRecords.feedback(bytes("{\"prediction_id\": \"prd_x\"}"), "outcomes", NOW))
                .hasMessageContaining("[outcome]");
        assertThatThrownBy(() -> StreamedRecords.feedback(bytes("{\"outcome\": 1}"), "outcomes", NOW))
                .hasMessageContaining("[prediction_id]");
        assertThatThrownBy(() -> StreamedRecords.feedback(bytes("{\"entity\": {\"c\": \"1\"}, \"deployment\": \"../x\","
                + " \"at\": \"2026-12-01T00:00:00Z\", \"outcome\": 1}"), "outcomes", NOW)).isInstanceOf(SeerException.class);
    }
}
