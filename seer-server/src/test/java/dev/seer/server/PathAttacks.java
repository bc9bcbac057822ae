package dev.seer.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The usual encodings of a path attack, shared by the route attack tests. */
final class PathAttacks {
    private PathAttacks() {}

    /**
     * Ways of naming {@code target} from a URL's path segment or query: {@code ..}, encoded and
     * double-encoded separators, backslashes, an absolute path, NUL, and {@code file:} and
     * {@code http:} schemes.
     */
    static List<String> encoded(Path target) {
        String absolute = target.toString();
        String name = target.getFileName().toString();
        return List.of("..", "..%2F..%2F..%2F" + name, "%2e%2e%2f%2e%2e%2f" + name, "%252e%252e%252f" + name,
                "..%5C..%5C" + name, "%2Fetc%2Fpasswd", absolute.replace("/", "%2F"), name.replace(".", "%00."),
                "file:%2F%2F" + absolute.replace("/", "%2F"), "http:%2F%2F127.0.0.1%2F" + name, "C:%5C" + name);
    }

    /**
     * {@link #encoded} and the encodings a name in a path segment also meets: a lone encoded
     * separator, encoded and bare NUL, dot-dot with an encoded NUL, and overlong UTF-8 dots and
     * slashes ({@code %c0%ae}, {@code %c0%af}), which a lax decoder turns into {@code ../}.
     */
    static List<String> segmentAttacks(Path target) {
        String name = target.getFileName().toString();
        List<String> all = new java.util.ArrayList<>(encoded(target));
        all.addAll(List.of("%2f", "%2F" + name, "%2e%2e", "..%00", "%00", "%2e%2e%00", "%c0%ae%c0%ae%c0%af" + name,
                "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae%2f" + name, "..%255c..%255c" + name));
        return List.copyOf(all);
    }

    /** The attack as a JSON string's content carries it: percent-escapes decoded once, as a client would have sent them. */
    static String inJson(String attack) {
        return URLDecoder.decode(attack.replace("+", "%2B"), StandardCharsets.UTF_8).replace("\\", "\\\\")
                .replace("\u0000", "\\u0000");
    }
}
