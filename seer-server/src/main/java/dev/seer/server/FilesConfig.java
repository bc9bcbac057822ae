package dev.seer.server;

import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;
import java.util.List;

/**
 * Where requests may name server files: {@code roots} are absolute folders besides the home's own
 * {@code files/}; {@code maxUploadMb} bounds one request's uploads. The {@code files} section.
 */
public record FilesConfig(List<String> roots, int maxUploadMb) {
    public static final ConfigKey ROOTS = new ConfigKey("files.roots", ConfigType.ABSOLUTE_PATHS, "",
            "Server folders that requests may name as inputs or outputs (absolute, comma-separated), besides the"
                    + " home's own files/ folder, which is always one. Any other path in a request is refused (403);"
                    + " remote callers upload inputs and download outputs instead.");
    public static final ConfigKey MAX_UPLOAD_MB = new ConfigKey("files.max-upload-mb", ConfigType.POSITIVE_INT, 1024,
            "Largest upload the server accepts in one request, in MiB; a larger one is refused with 413.");
    public static final ConfigSection<FilesConfig> SECTION = ConfigSection.of("files",
            v -> new FilesConfig(v.list(ROOTS), v.number(MAX_UPLOAD_MB)), ROOTS, MAX_UPLOAD_MB);

    public FilesConfig {
        roots = List.copyOf(roots);
    }

    public long maxUploadBytes() {
        return maxUploadMb * 1024L * 1024L;
    }
}
