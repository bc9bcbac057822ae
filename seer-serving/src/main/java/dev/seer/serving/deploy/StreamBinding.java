package dev.seer.serving.deploy;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A deployment's stream binding: every record of {@code inputTopic} (a JSON object like one row
 * of the predict route) is scored by the deployment, logged as any prediction, and its prediction
 * written to {@code outputTopic} under the input's key. The server runs the consumer; this value
 * only says which topics, checked as Kafka would check them before anything reaches a broker, and
 * never one of Seer's own ({@code seer.}...). The wiring refuses {@code feedback.topic} too.
 */
public record StreamBinding(String inputTopic, String outputTopic) {
    /** Kafka's legal topic characters ({@code org.apache.kafka.common.internals.Topic}). */
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    /** Kafka's longest topic name. */
    static final int MAX_LENGTH = 249;
    /** The topics Seer itself writes and reads ({@code seer.dead-letters}, ...), never a binding's. */
    static final String SEER_PREFIX = "seer.";

    public StreamBinding {
        checkTopic(inputTopic, "input_topic");
        checkTopic(outputTopic, "output_topic");
        for (String[] topic : new String[][] {{inputTopic, "input_topic"}, {outputTopic, "output_topic"}}) {
            if (topic[0].startsWith(SEER_PREFIX)) {
                // Seer's own topics: reading seer.dead-letters would dead-letter every refused record into its own input
                throw Deployment.invalid("[" + topic[1] + "] names [" + topic[0] + "], in Seer's own namespace ('"
                        + SEER_PREFIX + "': dead letters and other topics Seer writes); bind another topic", topic[1]);
            }
        }
        if (inputTopic.equals(outputTopic)) {
            throw Deployment.invalid("[output_topic] cannot be the [input_topic] [" + inputTopic + "]: every prediction"
                    + " would be read again as input", "output_topic");
        }
    }

    /**
     * Refuses a name Kafka would refuse (empty, {@code .} or {@code ..}, longer than 249, a character
     * outside a-z, A-Z, 0-9, '.', '_' and '-') and Kafka's internal topics (starting with {@code __}),
     * naming {@code field}.
     */
    public static String checkTopic(String name, String field) {
        requireNonNull(field, "field is null");
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || name.equals(".") || name.equals("..")
                || !LEGAL.matcher(name).matches()) {
            String shown = name == null ? "null" : name.length() > 60 ? name.substring(0, 60) + "..." : name;
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "[" + field + "] must be a Kafka topic name: 1 to "
                    + MAX_LENGTH + " of a-z, A-Z, 0-9, '.', '_' and '-', not '.' or '..'; not [" + shown + "]",
                    Map.of("field", field));
        }
        if (name.startsWith("__")) {
            throw new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, "[" + field + "] names [" + name + "], a Kafka internal"
                    + " topic (its name starts with '__')", Map.of("field", field));
        }
        return name;
    }
}
