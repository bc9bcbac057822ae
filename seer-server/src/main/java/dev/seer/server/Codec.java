package dev.seer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import java.util.function.Function;

/**
 * The JSON of one request or response, both ways: the server and a remote CLI use the same pair,
 * so what one writes the other reads.
 */
public final class Codec<T> {
    /** An operation without request fields: {@code {}}. */
    public static final Codec<Empty> EMPTY = new Codec<>(e -> Json.object(), node -> Empty.REQUEST);

    private final Function<T, ? extends JsonNode> encoder;
    private final Function<JsonNode, T> decoder;

    private Codec(Function<T, ? extends JsonNode> encoder, Function<JsonNode, T> decoder) {
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.decoder = requireNonNull(decoder, "decoder is null");
    }

    static <T> Codec<T> of(Function<T, ? extends JsonNode> encoder, Function<JsonNode, T> decoder) {
        return new Codec<>(encoder, decoder);
    }

    public JsonNode encode(T value) {
        return encoder.apply(value);
    }

    public T decode(JsonNode node) {
        return decoder.apply(node);
    }

    /** The request of an operation that takes none. */
    public enum Empty { REQUEST }
}
