package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.features.stream.KafkaBroker;
import dev.seer.features.stream.KafkaClients;
import dev.seer.features.stream.KafkaConfig;
import dev.seer.serving.ServingErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka replica of the prediction log on a real broker: where it resumes, and a refused copy that stops it. */
@Tag("integration")
class KafkaBatchReplicaTest {
    @TempDir
    Path dir;

    @Test
    void itResumesAfterTheLastRecordAndARefusedCopyFailsEveryLaterOne() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            ServingKafka kafka = new ServingKafka(KafkaClients.of(new KafkaConfig(broker.bootstrap(), 2),
                    ""), 2, "seer.dead-letters");
            try (KafkaBatchReplica replica = KafkaBatchReplica.open(kafka, "copy", 1 << 20)) {
                assertThat(replica.lastReplicated()).isEmpty();
                for (long b = 1; b <= 3; b++) {
                    replica.replicate(b, new byte[] {(byte) b}, "h" + b).join();
                }
                assertThat(replica.lastReplicated()).isEqualTo(OptionalLong.of(3));
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
                assertThat(admin.describeTopics(List.of("copy")).allTopicNames().get().get("copy").partitions()).hasSize(1);
                // a topic that takes only small records: the broker refuses the copy (not retried)
                admin.createTopics(List.of(new NewTopic("small", 1, (short) 1).configs(Map.of("max.message.bytes", "2000")),
                        new NewTopic("other", 1, (short) 1))).all().get();
            }
            try (KafkaBatchReplica replica = KafkaBatchReplica.open(kafka, "small", 1 << 20)) {
                replica.replicate(1, new byte[100], "h1").join();
                assertThatThrownBy(() -> replica.replicate(2, new byte[10_000], "h2").join()).isInstanceOf(CompletionException.class);
                // closed from the failure: nothing more reaches the topic after the gap
                assertThatThrownBy(() -> replica.replicate(3, new byte[100], "h3").join()).isInstanceOf(CompletionException.class);
                assertThat(replica.lastReplicated()).isEqualTo(OptionalLong.of(1));
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrap(),
                    "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()))) {
                producer.send(new ProducerRecord<>("other", 0, "not-a-batch", "x")).get();
            }
            try (KafkaBatchReplica replica = KafkaBatchReplica.open(kafka, "other", 1 << 20)) {
                assertThatThrownBy(replica::lastReplicated).isInstanceOfSatisfying(SeerException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE);
                    assertThat(e.getMessage()).contains("not a prediction log batch");
                });
            }
        }
    }
}
