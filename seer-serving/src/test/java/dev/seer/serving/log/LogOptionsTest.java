package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.config.ConfigKey;
import org.junit.jupiter.api.Test;

class LogOptionsTest {
    @Test
    void keysAndDefaultsArePinned() {
        assertThat(LogOptions.SECTION.keys()).extracting(ConfigKey::name).containsExactly("prediction-log.segment-mb",
                "prediction-log.queue-capacity", "prediction-log.queue-mb", "prediction-log.batch-mb",
                "prediction-log.answer-after", "prediction-log.sync-interval-ms", "prediction-log.kafka-topic");
        assertThat(LogOptions.DEFAULT).isEqualTo(new LogOptions(64L << 20, 10_000, 64L << 20, 4 << 20));
    }

    @Test
    void answerAfterIsWriteSyncOrAudit() {
        assertThat(LogOptions.DEFAULT.answerAfter()).isEqualTo(LogOptions.AnswerAfter.SYNC);
        assertThat(LogOptions.DEFAULT.syncIntervalMs()).isEqualTo(100);
        for (var when : LogOptions.AnswerAfter.values()) {
            var values = dev.seer.core.config.SeerConfig.load(java.nio.file.Path.of("/nonexistent/seer.yaml"),
                    java.util.Map.of("SEER_PREDICTION_LOG_ANSWER_AFTER", when.name().toLowerCase(java.util.Locale.ROOT)),
                    java.util.List.of(LogOptions.SECTION));
            assertThat(values.section(LogOptions.SECTION).answerAfter()).isEqualTo(when);
        }
        assertThatThrownBy(() -> dev.seer.core.config.SeerConfig.load(java.nio.file.Path.of("/nonexistent/seer.yaml"),
                java.util.Map.of("SEER_PREDICTION_LOG_ANSWER_AFTER", "never"), java.util.List.of(LogOptions.SECTION)))
                .hasMessageContaining("write, sync or audit");
    }

    @Test
    void theKafkaTopicIsOffByDefaultAndCheckedAsKafkaChecksTopicNames() {
        assertThat(LogOptions.DEFAULT.kafkaTopic()).isEmpty();
        var values = dev.seer.core.config.SeerConfig.load(java.nio.file.Path.of("/nonexistent/seer.yaml"),
                java.util.Map.of("SEER_PREDICTION_LOG_KAFKA_TOPIC", "seer.predictions-1"), java.util.List.of(LogOptions.SECTION));
        assertThat(values.section(LogOptions.SECTION).kafkaTopic()).isEqualTo("seer.predictions-1");
        for (String bad : java.util.List.of("..", ".", "a/b", "..%2fx", "a b", "t\u00e9", "__consumer_offsets", "x".repeat(250),
                "a\nb")) {
            assertThatThrownBy(() -> dev.seer.core.config.SeerConfig.load(java.nio.file.Path.of("/nonexistent/seer.yaml"),
                    java.util.Map.of("SEER_PREDICTION_LOG_KAFKA_TOPIC", bad), java.util.List.of(LogOptions.SECTION)))
                    .as(bad).isInstanceOfSatisfying(dev.seer.core.SeerException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(dev.seer.core.CoreErrorCode.CONFIG_INVALID_VALUE);
                        assertThat(e.getMessage()).contains("prediction-log.kafka-topic");
                    });
        }
    }

    @Test
    void aBatchLargerThanTheQueueIsRefusedNamingBoth() {
        assertThatThrownBy(() -> new LogOptions(64L << 20, 10, 1 << 20, 4 << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBatchBytes (4194304)").hasMessageContaining("maxQueuedBytes (1048576)");
    }
}
