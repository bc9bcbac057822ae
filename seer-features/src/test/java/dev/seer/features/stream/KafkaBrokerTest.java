package dev.seer.features.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class KafkaBrokerTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveARestartOfTheBroker() throws Exception {
        String bootstrap;
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            bootstrap = broker.bootstrap();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("events", 2, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("events", "k" + (i % 7), "v" + i)).get();
                }
            }
        }
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            assertThat(broker.bootstrap()).isEqualTo(bootstrap); // same ports when they are free
            assertThat(readAll(broker.bootstrap(), "events", 100)).hasSize(100);
        }
    }

    @Test
    void topicsAreNotCreatedOnFirstUse() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            Properties properties = producerProperties(broker.bootstrap());
            properties.put("max.block.ms", "2000");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("nowhere", "k", "v")).get())
                        .isInstanceOfAny(ExecutionException.class, org.apache.kafka.common.errors.TimeoutException.class);
            }
        }
    }

    private static Properties producerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return p;
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
