package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A dataset, and optionally one of its versions: {@code NAME} (the latest) or {@code NAME:VERSION}. */
public record DatasetRef(String name, Optional<Integer> version) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public DatasetRef {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        checkName(name);
    }

    public static DatasetRef parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return new DatasetRef(text, Optional.empty());
        }
        String version = text.substring(colon + 1);
        try {
            int v = Integer.parseInt(version);
            if (v < 1) {
                throw new NumberFormatException();
            }
            return new DatasetRef(text.substring(0, colon), Optional.of(v));
        } catch (NumberFormatException e) {
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Dataset reference [" + text + "]: version [" + version
                    + "] is not a positive whole number; write NAME or NAME:VERSION", Map.of("dataset", text));
        }
    }

    /** Names are file- and URL-safe: a letter or digit, then letters, digits, {@code _ . -}. */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Dataset name [" + name + "] must be 1 to 128 letters,"
                    + " digits, '_', '.' or '-', starting with a letter or digit", Map.of("dataset", name));
        }
        return name;
    }

    @Override
    public String toString() {
        return version.map(v -> name + ":" + v).orElse(name);
    }
}
