package dev.seer.registry.artifacts;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import java.util.List;
import java.util.Map;

/**
 * A path inside a run's artifacts, as a client names it ({@code model/model.json}). It is only
 * ever a key in a table: the file it names is stored under its content hash. It is still held to
 * the strictest form, so no reading of it, by Seer or by a client that writes it to disk, can
 * leave the run: relative, {@code /}-separated, no empty, {@code .} or {@code ..} segment, no
 * backslash, no control character, no {@code %} (a path arrives decoded once; a second decoding
 * must find nothing to decode), no {@code :} (no scheme, no drive letter), at most 1,024
 * characters.
 */
public record ArtifactPath(String value) {
    private static final int MAX = 1024;

    public ArtifactPath {
        check(value);
    }

    public static ArtifactPath of(String value) {
        return new ArtifactPath(value);
    }

    /** The segments, {@code model/model.json} → {@code [model, model.json]}. */
    public List<String> segments() {
        return List.of(value.split("/"));
    }

    /** Whether this path is {@code directory} or lies under it. */
    public boolean within(ArtifactPath directory) {
        return value.equals(directory.value) || value.startsWith(directory.value + "/");
    }

    private static void check(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX) {
            throw bad(value, "must be 1 to " + MAX + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == '%' || ch == ':') {
                throw bad(value, "may not hold a control character, '\\', '%' or ':' (at " + (i + 1) + ")");
            }
        }
        if (value.startsWith("/")) {
            throw bad(value, "must be relative to the run");
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw bad(value, "may not have an empty, '.' or '..' segment");
            }
        }
    }

    private static SeerException bad(String value, String rule) {
        String shown = value == null ? "null" : value.replaceAll("\\p{Cntrl}", "?");
        return new SeerException(RegistryErrorCode.INVALID_REQUEST, "Artifact path [" + shown + "] " + rule,
                Map.of("field", "path"));
    }

    @Override
    public String toString() {
        return value;
    }
}
