package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.Sha256;
import dev.seer.core.config.SeerConfig;
import dev.seer.features.stream.KafkaBroker;
import dev.seer.features.stream.KafkaConfig;
import dev.seer.serving.log.LogOptions;
import dev.seer.serving.log.Prediction;
import dev.seer.serving.log.PredictionLog;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prediction log copied to a Kafka topic ({@code prediction-log.kafka-topic}) on a real broker:
 * every prediction the predict route answered is in a batch on the topic, whose hash is the one the
 * audit log recorded; a restart resumes after the topic's last batch, without a gap or a repeat.
 */
@Tag("integration")
class PredictionLogKafkaTest {
    private static final String TOPIC = "seer.predictions";

    @TempDir
    Path dir;

    @Test
    void everyAnsweredPredictionIsInABatchOnTheTopicWithTheAuditedHash() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            UnaryOperator<SeerConfig> config = c -> c.with(KafkaConfig.SECTION, new KafkaConfig(broker.bootstrap(), 2))
                    .with(LogOptions.SECTION, LogOptions.DEFAULT.replicatedTo(TOPIC));
            Set<String> answered = ConcurrentHashMap.newKeySet();
            RunningServer running = new RunningServer(dir, config, false);
            try {
                ServingRouteTest.importLinear(running, "lin", new double[] {1, 1});
                HttpResponse<String> deployed = running.send("POST", "/api/v1/deployments/d", Role.OPERATOR,
                        "{\"model\": \"lin\", \"version\": 1}");
                assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
                predictConcurrently(running, answered, 4, 15);
                running.close();
                // a restart: the topic's last batch is the log's, so nothing is copied again
                running = new RunningServer(dir, config, true);
                predictConcurrently(running, answered, 2, 5);
                // an answer waits for its batch's copy, not for its audit entry, which may come a moment later
                List<ConsumerRecord<byte[], byte[]>> records = readAll(broker.bootstrap());
                Map<Long, String> audited = awaitAudited(running, records.size());
                Set<String> copied = new HashSet<>();
                long expected = 1;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    long batch = Long.parseLong(new String(r.key(), StandardCharsets.US_ASCII));
                    assertThat(batch).as("batches in the log's order, none missing or repeated").isEqualTo(expected++);
                    String header = new String(r.headers().lastHeader(KafkaBatchReplica.HASH_HEADER).value(),
                            StandardCharsets.US_ASCII);
                    assertThat(header).as("batch " + batch).isEqualTo(HexFormat.of().formatHex(Sha256.of(r.value())))
                            .isEqualTo(audited.get(batch));
                    for (Prediction p : PredictionLog.predictionsOf(r.value())) {
                        copied.add(p.id());
                    }
                }
                assertThat(answered).hasSize(4 * 15 * 2 + 2 * 5 * 2);
                assertThat(copied).containsAll(answered);
                assertThat(running.services.serving().log().verify().ok()).isTrue();
            } finally {
                running.close();
            }
        }
    }

    /** {@code threads} clients each send {@code requests} predict requests of two rows; every one must be answered 200. */
    private static void predictConcurrently(RunningServer running, Set<String> answered, int threads, int requests)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int client = t;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < requests; i++) {
                        String body = "{\"rows\": [{\"entity\": {\"customer_id\": \"c" + client + "-" + i + "\"}, \"features\":"
                                + " {\"a\": " + i + ", \"b\": 1}}, {\"features\": {\"a\": " + client + ", \"b\": 2}}]}";
                        HttpResponse<String> predicted = running.send("POST", "/api/v1/predict/d", Role.OPERATOR, body);
                        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
                        for (JsonNode p : Json.parse(predicted.body()).path("predictions")) {
                            answered.add(p.path("id").asText());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** Partition 0 of the topic from its start, once it holds {@code expected} records (and, for a moment, no more). */
    /** Every record of the topic: read until none has come for a second. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            assertThat(consumer.partitionsFor(TOPIC)).hasSize(1);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                if (records.size() > before) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        assertThat(records).as("records of " + TOPIC).isNotEmpty();
        return records;
    }

    /** The audit log's batch entries once it holds {@code batches} of them (within 10 s). */
    private static Map<Long, String> awaitAudited(RunningServer running, int batches) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Map<Long, String> audited = ServingLog.recordedBatches(running.services.audit());
        while (audited.size() < batches && System.nanoTime() < deadline) {
            Thread.sleep(50);
            audited = ServingLog.recordedBatches(running.services.audit());
        }
        assertThat(audited).as("batches in the audit log, one per record of " + TOPIC).hasSize(batches);
        return audited;
    }
}
