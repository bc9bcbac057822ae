package dev.seer.server;

import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;

/** Where the HTTP server listens: the {@code server} section of {@code seer.yaml}. */
public record ServerConfig(String host, int port) {
    public static final ConfigKey HOST = new ConfigKey("server.host", ConfigType.STRING, "127.0.0.1",
            "Address the server listens on.");
    public static final ConfigKey PORT = new ConfigKey("server.port", ConfigType.PORT, 7070,
            "Port the server listens on; 0 picks a free port.");
    public static final ConfigSection<ServerConfig> SECTION = ConfigSection.of("server",
            v -> new ServerConfig(v.text(HOST), v.number(PORT)), HOST, PORT);
}
