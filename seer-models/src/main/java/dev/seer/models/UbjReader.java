package dev.seer.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.SeerException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * A reader of Universal Binary JSON (ubjson.org, draft 12, as XGBoost writes its UBJ models) into
 * a Jackson tree, so that XGBoost's JSON and UBJ models are checked by the same code. Values at
 * the {@code skipped} paths ({@code /learner/gradient_booster}: the trees, nearly all of a model)
 * are walked over without being built, fixed-width typed arrays in one jump.
 *
 * <p>Big-endian numbers; containers end with their close marker or carry a {@code #} count,
 * optionally after a {@code $} element type; object keys are strings without the {@code S}
 * marker. Every length and count is checked against the bytes left before anything is allocated,
 * and nesting is bounded, so damaged bytes are refused, never trusted.
 */
final class UbjReader {
    private static final int MAX_DEPTH = 64;
    private static final byte MIXED = 0;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ByteBuffer in;
    private final Set<String> skipped;

    UbjReader(byte[] bytes, Set<String> skipped) {
        this.in = ByteBuffer.wrap(bytes);
        this.skipped = skipped;
    }

    /** The one value the bytes hold; refuses bytes that are not UBJSON. */
    JsonNode read() {
        try {
            return value(next(), "", 0, true);
        } catch (BufferUnderflowException e) {
            throw malformed("ends in the middle of a value");
        }
    }

    private JsonNode value(byte marker, String path, int depth, boolean build) {
        int width = width(marker);
        if (width >= 0 && !build) {
            skip(width);
            return null;
        }
        return switch (marker) {
            case 'Z' -> NODES.nullNode();
            case 'T' -> NODES.booleanNode(true);
            case 'F' -> NODES.booleanNode(false);
            case 'i', 'U', 'I', 'l', 'L' -> NODES.numberNode(integer(marker));
            case 'd' -> NODES.numberNode(in.getFloat());
            case 'D' -> NODES.numberNode(in.getDouble());
            case 'C' -> NODES.textNode(String.valueOf((char) (in.get() & 0xff)));
            case 'S', 'H' -> string(build);
            case '[' -> array(path, depth + 1, build);
            case '{' -> object(path, depth + 1, build);
            default -> throw malformed("has unknown marker [" + (char) marker + "] at byte " + (in.position() - 1));
        };
    }

    /** The payload size of a fixed-width marker; -1 for strings and containers. */
    private static int width(byte marker) {
        return switch (marker) {
            case 'Z', 'T', 'F' -> 0;
            case 'i', 'U', 'C' -> 1;
            case 'I' -> 2;
            case 'l', 'd' -> 4;
            case 'L', 'D' -> 8;
            default -> -1;
        };
    }

    private JsonNode array(String path, int depth, boolean build) {
        checkDepth(depth);
        byte type = elementType();
        long count = count(type);
        ArrayNode array = build ? NODES.arrayNode() : null;
        if (count < 0) {
            for (byte marker = next(); marker != ']'; marker = next()) {
                add(array, value(marker, path, depth, build));
            }
        } else if (!build && width(type) > 0) {
            skip(Math.multiplyExact(count, width(type)));
        } else {
            for (long i = 0; i < count; i++) {
                add(array, value(type == MIXED ? next() : type, path, depth, build));
            }
        }
        return array;
    }

    private JsonNode object(String path, int depth, boolean build) {
        checkDepth(depth);
        byte type = elementType();
        long count = count(type);
        ObjectNode object = build ? NODES.objectNode() : null;
        for (long i = 0; count < 0 || i < count; i++) {
            if (count < 0 && peek() == '}') {
                in.get();
                break;
            }
            String key = key();
            String child = path + "/" + key;
            boolean keep = build && !skipped.contains(child);
            JsonNode value = value(type == MIXED ? next() : type, child, depth, keep);
            if (keep) {
                object.set(key, value);
            }
        }
        return object;
    }

    private static void add(ArrayNode array, JsonNode value) {
        if (array != null) {
            array.add(value);
        }
    }

    private byte elementType() {
        if (peek() != '$') {
            return MIXED;
        }
        in.get();
        byte type = in.get();
        if (width(type) == 0 || peek() != '#') {
            throw malformed("has a typed container of [" + (char) type + "] without a count at byte " + in.position());
        }
        return type;
    }

    /** The element count after {@code #}, or -1 for a container that ends with its close marker. */
    private long count(byte type) {
        if (peek() != '#') {
            return -1;
        }
        in.get();
        long count = integer(in.get());
        long least = type == MIXED ? 1 : Math.max(1, width(type));
        if (count < 0 || count > in.remaining() / least) {
            throw malformed("declares [" + count + "] elements at byte " + in.position() + ", more than its bytes hold");
        }
        return count;
    }

    private long integer(byte marker) {
        return switch (marker) {
            case 'i' -> in.get();
            case 'U' -> in.get() & 0xff;
            case 'I' -> in.getShort();
            case 'l' -> in.getInt();
            case 'L' -> in.getLong();
            default -> throw malformed("has [" + (char) marker + "] where a length was expected at byte "
                    + (in.position() - 1));
        };
    }

    private String key() {
        return new String(bytes(integer(in.get())), StandardCharsets.UTF_8);
    }

    private JsonNode string(boolean build) {
        long length = integer(in.get());
        if (!build) {
            skip(length);
            return null;
        }
        return NODES.textNode(new String(bytes(length), StandardCharsets.UTF_8));
    }

    private byte[] bytes(long length) {
        if (length < 0 || length > in.remaining()) {
            throw malformed("declares a string of [" + length + "] bytes at byte " + in.position()
                    + ", more than its bytes hold");
        }
        byte[] bytes = new byte[(int) length];
        in.get(bytes);
        return bytes;
    }

    private void skip(long length) {
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        in.position(in.position() + (int) length);
    }

    /** The next marker, past no-ops. */
    private byte next() {
        byte marker = in.get();
        while (marker == 'N') {
            marker = in.get();
        }
        return marker;
    }

    private byte peek() {
        if (!in.hasRemaining()) {
            throw new BufferUnderflowException();
        }
        return in.get(in.position());
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("nests deeper than [" + MAX_DEPTH + "] containers");
        }
    }

    private static SeerException malformed(String problem) {
        return new SeerException(ModelErrorCode.INVALID_MODEL, "The UBJSON " + problem, Map.of());
    }
}
