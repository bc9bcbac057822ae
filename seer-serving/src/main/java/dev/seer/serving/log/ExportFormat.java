package dev.seer.serving.log;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** The file formats the prediction log exports to (see {@link PredictionExport} for their columns). */
public enum ExportFormat {
    PARQUET,
    JSONL;

    /** The format's name on the wire and its file extension, without the dot. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code parquet} or {@code jsonl}; anything else is refused naming {@code field}. */
    public static ExportFormat parse(String text, String field) {
        return Arrays.stream(values()).filter(f -> f.id().equals(text)).findFirst().orElseThrow(() -> new SeerException(
                ServingErrorCode.INVALID_INPUT, "[" + field + "] must be parquet or jsonl, not [" + text + "]",
                Map.of("field", field)));
    }

    /** The format a file's extension names: {@code .parquet} or {@code .jsonl}; another is refused. */
    static ExportFormat ofFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (ExportFormat format : values()) {
            if (name.endsWith("." + format.id())) {
                return format;
            }
        }
        throw new SeerException(ServingErrorCode.INVALID_INPUT, "Export file [" + file + "] must end in .parquet or .jsonl",
                Map.of("field", "out"));
    }
}
