package dev.seer.server;

import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;

/**
 * Where the HTTP server listens, and what it admits at once: the {@code server} section of {@code seer.yaml}.
 *
 * @param maxPredictionsInFlight predict requests served at once at most; one past it is answered 429 at once, so that
 *                               past its capacity the server refuses quickly instead of queueing (the latency of
 *                               what it admits stays bounded) and its other routes keep threads
 */
public record ServerConfig(String host, int port, int maxPredictionsInFlight) {
    public static final ConfigKey HOST = new ConfigKey("server.host", ConfigType.STRING, "127.0.0.1",
            "Address the server listens on.");
    public static final ConfigKey PORT = new ConfigKey("server.port", ConfigType.PORT, 7070,
            "Port the server listens on; 0 picks a free port.");
    public static final ConfigKey MAX_PREDICTIONS_IN_FLIGHT = new ConfigKey("server.max-predictions-in-flight",
            ConfigType.POSITIVE_INT, 128, "Predict requests served at once at most; past it a request is answered 429"
                    + " (Retry-After: 1) at once.");
    public static final ConfigSection<ServerConfig> SECTION = ConfigSection.of("server",
            v -> new ServerConfig(v.text(HOST), v.number(PORT), v.number(MAX_PREDICTIONS_IN_FLIGHT)), HOST, PORT,
            MAX_PREDICTIONS_IN_FLIGHT);

    /** Listening on {@code host:port}, with the default admission. */
    public ServerConfig(String host, int port) {
        this(host, port, 128);
    }
}
