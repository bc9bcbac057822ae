package dev.seer.serving.deploy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import dev.seer.serving.ServingErrorCode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named deployment: the champion that answers, optionally a challenger that answers for a
 * share of the entities (by a hash of the entity key, so one customer stays in one arm) or a
 * shadow that scores every row and is only logged, and the policies for missing features and for
 * a lost online store. A deployment changes as a whole ({@link #revision} + 1), never in part.
 *
 * @param challengerPercent the challenger's share of entities, 1 to 99; 0 without a challenger
 * @param whenStoreDown what to do while the online store is unreachable or rebuilding
 * @param stream the Kafka topics it scores from and writes predictions to, if it scores a stream
 */
public record Deployment(String name, ModelRef champion, Optional<ModelRef> challenger, int challengerPercent,
        Optional<ModelRef> shadow, MissingPolicy missing, MissingPolicy whenStoreDown, long revision, Instant changedAt,
        String changedBy, Optional<StreamBinding> stream) {
    public static final Codec<Deployment> CODEC = new DeploymentCodec();
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

    public Deployment {
        requireNonNull(champion, "champion is null");
        requireNonNull(challenger, "challenger is null");
        requireNonNull(shadow, "shadow is null");
        requireNonNull(missing, "missing is null");
        requireNonNull(whenStoreDown, "whenStoreDown is null");
        requireNonNull(changedAt, "changedAt is null");
        requireNonNull(changedBy, "changedBy is null");
        requireNonNull(stream, "stream is null");
        checkName(name);
        if (challenger.isPresent() && (challengerPercent < 1 || challengerPercent > 99)) {
            throw invalid("The challenger's share must be 1 to 99 percent, not " + challengerPercent, "split");
        }
        if (challenger.isEmpty() && challengerPercent != 0) {
            throw invalid("A split needs a challenger", "split");
        }
        if (challenger.isPresent() && shadow.isPresent()) {
            throw invalid("A deployment has a challenger or a shadow, not both", "shadow");
        }
        if (challenger.filter(champion::equals).isPresent() || shadow.filter(champion::equals).isPresent()) {
            throw invalid("The champion " + champion + " cannot also be its own challenger or shadow",
                    challenger.isPresent() ? "challenger" : "shadow");
        }
    }

    /** A deployment that scores no stream. */
    public Deployment(String name, ModelRef champion, Optional<ModelRef> challenger, int challengerPercent,
            Optional<ModelRef> shadow, MissingPolicy missing, MissingPolicy whenStoreDown, long revision, Instant changedAt,
            String changedBy) {
        this(name, champion, challenger, challengerPercent, shadow, missing, whenStoreDown, revision, changedAt, changedBy,
                Optional.empty());
    }

    /** Refuses a name that is not a lower-case identifier of at most 63 characters (it appears in paths and metrics). */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw invalid("Deployment name [" + name + "] must start with a lower-case letter and hold only a-z, 0-9, '_'"
                    + " or '-' (at most 63)", "name");
        }
        return name;
    }

    /** The model of an arm, if the deployment has that arm. */
    public Optional<ModelRef> model(Arm arm) {
        return switch (arm) {
            case CHAMPION -> Optional.of(champion);
            case CHALLENGER -> challenger;
            case SHADOW -> shadow;
        };
    }

    static SeerException invalid(String message, String field) {
        return new SeerException(ServingErrorCode.INVALID_DEPLOYMENT, message, Map.of("field", field));
    }
}

/** Format 2 (format 1, written before stream bindings, has no {@code stream} and reads as none). */
final class DeploymentCodec implements Codec<Deployment> {
    @Override
    public String kind() {
        return "deployment";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public ObjectNode encode(Deployment d) {
        ObjectNode json = Json.object().put(FORMAT, version()).put("name", d.name()).put("champion", d.champion().toString());
        d.challenger().ifPresent(c -> json.put("challenger", c.toString()).put("challenger_percent", d.challengerPercent()));
        d.shadow().ifPresent(s -> json.put("shadow", s.toString()));
        d.stream().ifPresent(b -> json.putObject("stream").put("input_topic", b.inputTopic()).put("output_topic",
                b.outputTopic()));
        return json.put("missing", d.missing().id()).put("when_store_down", d.whenStoreDown().id())
                .put("revision", d.revision()).put("changed_at", d.changedAt().toString()).put("changed_by", d.changedBy());
    }

    @Override
    public Deployment decode(JsonNode json) {
        int format = checkVersion(json);
        Fields f = new Fields(json, kind());
        Optional<StreamBinding> stream = Optional.empty();
        if (format >= 2 && json.hasNonNull("stream")) {
            Fields b = new Fields(json.get("stream"), kind() + " stream");
            stream = Optional.of(new StreamBinding(b.text("input_topic"), b.text("output_topic")));
        }
        return new Deployment(f.text("name"), ModelRef.parse(f.text("champion"), "champion"),
                f.optionalText("challenger").map(c -> ModelRef.parse(c, "challenger")), (int) f.numberOr("challenger_percent", 0),
                f.optionalText("shadow").map(s -> ModelRef.parse(s, "shadow")), MissingPolicy.of(f.text("missing"), "missing"),
                MissingPolicy.of(f.text("when_store_down"), "when_store_down"), f.number("revision"), f.instant("changed_at"),
                f.text("changed_by"), stream);
    }
}
