package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.features.stream.KafkaBroker;
import dev.seer.features.stream.KafkaConfig;
import dev.seer.features.stream.Streaming;
import dev.seer.models.LinearModel;
import dev.seer.serving.feedback.FeedbackOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream scoring and feedback from a topic against a real broker, which outlives the server (a
 * configured cluster), so records can arrive while the server is down. The deployment's model is
 * a + b; it refuses rows with missing features.
 */
@Tag("integration")
class ServingStreamTest {
    /** A well-formed prediction id that no prediction has. */
    private static final String UNKNOWN = "prd_" + "0".repeat(26);

    @TempDir
    Path dir;

    @Test
    void aBoundDeploymentScoresItsTopicOnceAcrossARestartAndFeedbackComesFromATopic() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            String bootstrap = broker.bootstrap();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("requests", 2, (short) 1), new NewTopic("outcomes", 1, (short) 1)))
                        .all().get();
            }
            UnaryOperator<dev.seer.core.config.SeerConfig> config = c -> c.with(KafkaConfig.SECTION,
                    new KafkaConfig(bootstrap, 2)).with(FeedbackOptions.SECTION, new FeedbackOptions(Optional.of("outcomes")));
            Map<String, String> ids = new HashMap<>();
            RunningServer running = new RunningServer(dir, config, false);
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                importLinear(running);
                badTopicsAndHalfABindingAreRefusedNamingTheField(running);
                HttpResponse<String> deployed = running.send("POST", "/api/v1/deployments/sc", Role.OPERATOR,
                        "{\"model\": \"lin\", \"version\": 1, \"input_topic\": \"requests\", \"output_topic\": \"scores\"}");
                assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
                assertThat(Json.parse(deployed.body()).path("stream").path("output_topic").asText()).isEqualTo("scores");

                for (int i = 0; i < 6; i++) {
                    producer.send(new ProducerRecord<>("requests", "k" + i, "{\"entity\": {\"customer_id\": \"c" + i
                            + "\"}, \"features\": {\"a\": " + i + ", \"b\": 0.5}}"));
                    if (i == 2) { // bad records between good ones
                        producer.send(new ProducerRecord<>("requests", "bad-json", "not json at all"));
                        producer.send(new ProducerRecord<>("requests", "bad-type", "{\"features\": {\"a\": \"x\", \"b\": 1}}"));
                        producer.send(new ProducerRecord<>("requests", "bad-missing", "{\"features\": {\"a\": 1}}"));
                        producer.send(new ProducerRecord<>("requests", "bad-unknown", "{\"features\": {\"a\": 1, \"b\": 1,"
                                + " \"zzz\": 2}}"));
                        producer.send(new ProducerRecord<>("requests", "bad-array", "[1, 2]"));
                    }
                }
                producer.flush();

                List<ConsumerRecord<byte[], byte[]>> outputs = read(bootstrap, "scores", 6, r -> true);
                for (ConsumerRecord<byte[], byte[]> out : outputs) {
                    String key = text(out.key());
                    JsonNode prediction = Json.parse(out.value());
                    int i = Integer.parseInt(key.substring(1));
                    assertThat(prediction.path("output").get(0).asDouble()).as(key).isEqualTo(i + 0.5);
                    assertThat(prediction.path("deployment").asText()).isEqualTo("sc");
                    assertThat(prediction.path("model").asText()).isEqualTo("lin:1");
                    assertThat(prediction.path("arm").asText()).isEqualTo("champion");
                    assertThat(text(out.headers().lastHeader("seer.topic").value())).isEqualTo("requests");
                    // logged durably with the same id and output before the output existed
                    dev.seer.serving.log.Prediction logged = running.services.serving().log().log()
                            .get(prediction.path("id").asText());
                    assertThat(logged.output()).containsExactly(i + 0.5);
                    assertThat(logged.deployment()).isEqualTo("sc");
                    ids.put(key, prediction.path("id").asText());
                }
                assertThat(ids.keySet()).containsExactlyInAnyOrder("k0", "k1", "k2", "k3", "k4", "k5");

                Map<String, String> reasons = deadLetters(bootstrap, "deployment:sc", 5);
                assertThat(reasons.get("bad-json")).contains("not JSON").containsPattern("requests/\\d@\\d+");
                assertThat(reasons.get("bad-type")).contains("[features.a]").contains("finite number");
                assertThat(reasons.get("bad-missing")).contains("missing features").contains("[b]").contains("requests/");
                assertThat(reasons.get("bad-unknown")).contains("[zzz]");
                assertThat(reasons.get("bad-array")).contains("JSON object");

                JsonNode stream = awaitStream(running, s -> s.path("scored").asLong() == 6);
                assertThat(stream.path("state").asText()).isEqualTo("running");
                assertThat(stream.path("dead_lettered").asLong()).isEqualTo(5);
                assertThat(stream.path("assigned")).hasSize(2);

                // Feedback from the topic: recorded once; a duplicate counts once; a conflict and an unknown id are dead letters.
                String id0 = ids.get("k0");
                producer.send(new ProducerRecord<>("outcomes", "f1", "{\"prediction_id\": \"" + id0 + "\", \"outcome\": 0.7}"));
                producer.send(new ProducerRecord<>("outcomes", "f2", "{\"prediction_id\": \"" + id0 + "\", \"outcome\": 0.7}"));
                producer.send(new ProducerRecord<>("outcomes", "f3", "{\"prediction_id\": \"" + id0 + "\", \"outcome\": 9}"));
                producer.send(new ProducerRecord<>("outcomes", "f4", "{\"prediction_id\": \"" + UNKNOWN + "\", \"outcome\": 1}"));
                producer.send(new ProducerRecord<>("outcomes", "f5", "{\"outcome\": 1}"));
                producer.flush();
                Map<String, String> refused = deadLetters(bootstrap, "feedback", 3);
                assertThat(refused.get("f3")).contains("FEEDBACK_CONFLICT").contains("outcomes/0@2");
                assertThat(refused.get("f4")).contains("UNKNOWN_PREDICTION").contains(UNKNOWN);
                assertThat(refused.get("f5")).contains("[prediction_id]");
                // the counters move after the offsets are committed, which follows the dead letters: wait for them
                var fed = running.services.serving().feedbackStreamStatus().orElseThrow();
                for (long deadline = System.nanoTime() + 30_000_000_000L; fed.recorded() + fed.duplicates() < 2
                        && System.nanoTime() < deadline; fed = running.services.serving().feedbackStreamStatus().orElseThrow()) {
                    Thread.sleep(50);
                }
                assertThat(fed.recorded()).isEqualTo(1);
                assertThat(fed.duplicates()).isEqualTo(1);
                JsonNode shown = Json.parse(running.send("GET", "/api/v1/feedback/stream", Role.AUDITOR, null).body());
                assertThat(shown.path("topic").asText()).isEqualTo("outcomes");
                assertThat(shown.path("recorded").asLong()).isEqualTo(1);
                assertThat(shown.path("duplicates").asLong()).isEqualTo(1);
                JsonNode metrics = Json.parse(running.send("GET", "/api/v1/deployments/sc/metrics", Role.AUDITOR, null).body());
                assertThat(metrics.path("windows").get(0).path("arms").get(0).path("count").asInt()).isEqualTo(1);
                // GET /metrics counts stream scoring's predictions and the topic's outcomes, and shows the consumer's lag
                Exposition scraped = new Exposition(running.send("GET", "/metrics", Role.OPERATOR, null).body());
                assertThat(scraped.problems).isEmpty();
                assertThat(scraped.samples("seer_predictions_total")).filteredOn(s -> s.labels().get("deployment").equals("sc"))
                        .extracting(Exposition.Sample::value).isNotEmpty().allMatch(v -> v > 0);
                assertThat(scraped.value("seer_feedback_outcomes_total", Map.of("deployment", "sc"))).contains(1.0);
                assertThat(scraped.value("seer_stream_scoring_lag_records", Map.of("deployment", "sc")))
                        .hasValueSatisfying(lag -> assertThat(lag).isGreaterThanOrEqualTo(0));

                // The server stops; records arrive meanwhile; the next server scores exactly those.
                running.close();
                for (int i = 6; i < 10; i++) {
                    producer.send(new ProducerRecord<>("requests", "k" + i, "{\"features\": {\"a\": " + i + ", \"b\": 0.5}}"));
                }
                producer.flush();
                running = new RunningServer(dir, config, true);
                List<ConsumerRecord<byte[], byte[]>> all = read(bootstrap, "scores", 10, r -> true);
                List<String> keys = new ArrayList<>();
                all.forEach(r -> keys.add(text(r.key())));
                assertThat(keys).containsExactlyInAnyOrder("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
                assertThat(all.stream().map(r -> Json.parse(r.value()).path("id").asText()).distinct()).hasSize(10);

                // A changed binding restarts the consumer, which goes on from the group's committed offsets.
                deployed = running.send("POST", "/api/v1/deployments/sc", Role.OPERATOR,
                        "{\"model\": \"lin\", \"version\": 1, \"input_topic\": \"requests\", \"output_topic\": \"scores.v2\"}");
                assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
                producer.send(new ProducerRecord<>("requests", "k10", "{\"features\": {\"a\": 10, \"b\": 0.5}}"));
                producer.flush();
                List<ConsumerRecord<byte[], byte[]>> moved = read(bootstrap, "scores.v2", 1, r -> true);
                assertThat(moved).extracting(r -> text(r.key())).containsExactly("k10");
                assertThat(read(bootstrap, "scores", 10, r -> true)).hasSize(10);
            } finally {
                running.close();
            }
        }
    }

    private static void badTopicsAndHalfABindingAreRefusedNamingTheField(RunningServer running) throws Exception {
        for (String body : List.of("\"input_topic\": \"a/b\", \"output_topic\": \"out\"",
                "\"input_topic\": \"in\", \"output_topic\": \"..\"",
                "\"input_topic\": \"in%2F..\", \"output_topic\": \"out\"",
                "\"input_topic\": \"__consumer_offsets\", \"output_topic\": \"out\"",
                "\"input_topic\": \"in\"", "\"input_topic\": \"same\", \"output_topic\": \"same\"")) {
            HttpResponse<String> refused = running.send("POST", "/api/v1/deployments/bad", Role.OPERATOR,
                    "{\"model\": \"lin\", \"version\": 1, " + body + "}");
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(Json.parse(refused.body()).path("error").path("message").asText()).as(body)
                    .containsPattern("\\[(input|output)_topic\\]");
        }
        assertThat(running.send("GET", "/api/v1/deployments/bad", Role.AUDITOR, null).statusCode()).isEqualTo(404);
    }

    private static void importLinear(RunningServer running) throws Exception {
        LinearModel model = new LinearModel(List.of("a", "b"), new double[] {1, 1}, 0, LinearModel.Link.IDENTITY);
        byte[] bytes = Json.write(LinearModel.CODEC.encode(model)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/lin/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"a:float64,b:float64->value\"}")
                        .file("file", "linear.json", bytes));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    }

    private static JsonNode awaitStream(RunningServer running, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode stream;
        do {
            HttpResponse<String> shown = running.send("GET", "/api/v1/deployments/sc", Role.AUDITOR, null);
            assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
            stream = Json.parse(shown.body()).path("stream");
            if (done.test(stream)) {
                return stream;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("stream status never reached the expected state: " + stream);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** The dead letters from {@code source}, by key: their reasons; waits for {@code expected} of them. */
    private static Map<String, String> deadLetters(String bootstrap, String source, int expected) throws Exception {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read(bootstrap, Streaming.DEAD_LETTER_TOPIC, expected,
                r -> text(r.headers().lastHeader("seer.source").value()).equals(source))) {
            reasons.put(text(r.key()), text(r.headers().lastHeader("seer.error").value()));
        }
        return reasons;
    }

    /**
     * The committed records of {@code topic} that pass {@code filter}, from its start, once there are
     * {@code expected} of them (and none more arrive for a moment: a duplicate would show).
     */
    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic, int expected,
            Predicate<ConsumerRecord<byte[], byte[]>> filter) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (!admin.listTopics().names().get().contains(topic)) {
                assertThat(System.nanoTime()).as("topic " + topic + " created").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (filter.test(r)) {
                        records.add(r);
                    }
                }
                if (records.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofMillis(500).toNanos();
                }
            }
        }
        assertThat(records).as("records of " + topic).hasSize(expected);
        return records;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
