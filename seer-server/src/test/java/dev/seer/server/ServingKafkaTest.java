package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.features.stream.KafkaClients;
import dev.seer.features.stream.KafkaConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** Serving's Kafka clients are the feature store's roles: a configured cluster's settings reach them, Seer's own hold. */
class ServingKafkaTest {
    private final ServingKafka kafka = new ServingKafka(KafkaClients.of(new KafkaConfig("broker-1:9093", 3,
            Map.of("security.protocol", "SASL_SSL")), "unused:1"), 3, "seer.dead-letters");

    @Test
    void aScoringConsumerReadsCommittedRecordsInItsGroupAndCommitsItself() {
        ConsumerConfig consumer = new ConsumerConfig(kafka.consumer("seer-score-churn")); // Kafka's own reading
        assertThat(consumer.getString("group.id")).isEqualTo("seer-score-churn");
        assertThat(consumer.getString("isolation.level")).isEqualTo("read_committed");
        assertThat(consumer.getBoolean("enable.auto.commit")).isFalse();
        assertThat(consumer.getString("auto.offset.reset")).isEqualTo("earliest");
        assertThat(consumer.getString("group.protocol")).isEqualToIgnoringCase("consumer");
        assertThat(consumer.getInt("max.poll.records")).isEqualTo(500);
        assertThat(consumer.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(consumer.getList("bootstrap.servers")).containsExactly("broker-1:9093");
    }

    @Test
    void theProducersAreIdempotentAndSendAtOnce() {
        ProducerConfig transactional = new ProducerConfig(kafka.transactionalProducer("seer-score-churn-p1"));
        assertThat(transactional.getString("transactional.id")).isEqualTo("seer-score-churn-p1");
        assertThat(transactional.getInt("transaction.timeout.ms")).isEqualTo(10_000);
        ProducerConfig plain = new ProducerConfig(kafka.producer());
        for (ProducerConfig p : new ProducerConfig[] {transactional, plain}) {
            assertThat(p.getBoolean("enable.idempotence")).isTrue();
            assertThat(p.getString("acks")).isIn("all", "-1");
            assertThat(p.getLong("linger.ms")).isZero();
            assertThat(p.getLong("max.block.ms")).isEqualTo(10_000);
            assertThat(p.getString("security.protocol")).isEqualTo("SASL_SSL");
        }
        assertThat(plain.getString("transactional.id")).isNull();
        assertThat(new ConsumerConfig(kafka.reader()).getInt("default.api.timeout.ms")).isEqualTo(15_000);
        assertThat(kafka.bootstrap()).isEqualTo("broker-1:9093");
    }
}
