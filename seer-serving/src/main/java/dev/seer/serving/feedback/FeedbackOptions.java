package dev.seer.serving.feedback;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;
import dev.seer.serving.deploy.StreamBinding;
import java.util.Map;
import java.util.Optional;

/**
 * Where feedback comes from besides the API: the {@code feedback} section.
 *
 * @param topic a Kafka topic whose every record is one outcome as {@code POST /api/v1/feedback} takes it; empty: none
 */
public record FeedbackOptions(Optional<String> topic) {
    public static final ConfigKey TOPIC = new ConfigKey("feedback.topic", ConfigType.STRING, "",
            "Kafka topic of outcomes (each record the JSON of one POST /api/v1/feedback outcome), read by the server in"
                    + " group seer-feedback on the kafka.* cluster; refused ones go to the dead-letter topic. Empty: off.");
    public static final ConfigSection<FeedbackOptions> SECTION = ConfigSection.of("feedback",
            v -> new FeedbackOptions(topic(v.text(TOPIC))), TOPIC);

    public FeedbackOptions {
        topic.ifPresent(t -> StreamBinding.checkTopic(t, TOPIC.name()));
    }

    /** A bad name fails when {@code seer.yaml} is read, naming the key. */
    private static Optional<String> topic(String value) {
        if (value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(StreamBinding.checkTopic(value, TOPIC.name()));
        } catch (SeerException e) {
            throw new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "Config key [" + TOPIC.name() + "]: " + e.getMessage(),
                    Map.of("key", TOPIC.name()), e);
        }
    }
}
