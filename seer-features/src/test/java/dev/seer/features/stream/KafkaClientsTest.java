package dev.seer.features.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.SeerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientsTest {
    private static final List<ConfigSection<?>> SECTIONS = List.of(KafkaConfig.SECTION);

    @TempDir
    Path dir;

    @Test
    void settingsFromSeerYamlReachEveryClient() throws IOException {
        Path file = Files.writeString(dir.resolve("seer.yaml"), """
                kafka:
                  bootstrap: broker-1:9093,broker-2:9093
                  properties:
                    security.protocol: SASL_SSL
                    sasl:
                      mechanism: SCRAM-SHA-512
                    request.timeout.ms: 45000
                """);
        SeerConfig config = SeerConfig.load(file, Map.of("SEER_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE", "PKCS12"), SECTIONS);
        KafkaClients clients = KafkaClients.of(config.section(KafkaConfig.SECTION), "unused:1");

        List<Properties> consumers = List.of(clients.ingestionConsumer("g"), clients.groupConsumer("g"), clients.reader());
        List<Properties> producers = List.of(clients.deadLetterProducer(), clients.pushProducer("t-1"),
                clients.transactionalProducer("t-2"));
        for (Properties p : consumers) {
            ConsumerConfig parsed = new ConsumerConfig(p); // Kafka's own reading of the settings
            assertThat(parsed.getString("security.protocol")).isEqualTo("SASL_SSL");
            assertThat(parsed.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
            assertThat(parsed.getString("ssl.truststore.type")).isEqualTo("PKCS12");
            assertThat(parsed.getList("bootstrap.servers")).containsExactly("broker-1:9093", "broker-2:9093");
        }
        for (Properties p : producers) {
            ProducerConfig parsed = new ProducerConfig(p);
            assertThat(parsed.getString("security.protocol")).isEqualTo("SASL_SSL");
            assertThat(parsed.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        }
        AdminClientConfig admin = new AdminClientConfig(clients.admin());
        assertThat(admin.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(admin.getInt("request.timeout.ms")).as("a tuning Seer sets for its admin client wins").isEqualTo(10_000);
        assertThat(new ConsumerConfig(clients.reader()).getInt("request.timeout.ms")).isEqualTo(45_000);
        Properties streams = clients.streams();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        assertThat(new StreamsConfig(streams).originals()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void aSettingSeerOwnsIsRefusedByName() throws IOException {
        Path file = Files.writeString(dir.resolve("seer.yaml"), """
                kafka:
                  bootstrap: broker-1:9093
                  properties.enable.auto.commit: "true"
                """);
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of(), SECTIONS))
                .isInstanceOf(SeerException.class)
                .hasMessageContaining("[kafka.properties.enable.auto.commit]")
                .hasMessageContaining("Seer owns")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.CONFIG_INVALID_VALUE));
        for (String owned : KafkaClients.OWNED) {
            assertThatThrownBy(() -> KafkaClients.refuseOwned(Map.of(owned, "x"))).hasMessageContaining(owned);
        }
    }

    @Test
    void theEmbeddedBrokerIsPlainLocalKafka() {
        KafkaConfig embedded = new KafkaConfig("", 4, Map.of("security.protocol", "SSL"));
        KafkaClients clients = KafkaClients.of(embedded, "127.0.0.1:1234");
        assertThat(clients.bootstrap()).isEqualTo("127.0.0.1:1234");
        assertThat(clients.admin()).doesNotContainKey("security.protocol");
    }
}
