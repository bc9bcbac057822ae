package dev.seer.server;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.features.online.OnlineConfig;
import dev.seer.features.stream.KafkaConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real server on a free port over a fresh home, with one token per role. */
final class RunningServer implements AutoCloseable {
    final SeerServices services;
    final SeerServer server;
    final Map<Role, String> tokens = new EnumMap<>(Role.class);
    private final HttpClient client = HttpClient.newHttpClient();

    RunningServer(Path dir) {
        this(dir, KafkaConfig.SECTION.defaults());
    }

    /** A server whose streaming sources use this Kafka cluster (an empty bootstrap: the home's own broker). */
    RunningServer(Path dir, KafkaConfig kafka) {
        this(dir, kafka, OnlineConfig.SECTION.defaults());
    }

    /** A server over this online store. */
    RunningServer(Path dir, OnlineConfig online) {
        this(dir, KafkaConfig.SECTION.defaults(), online);
    }

    private RunningServer(Path dir, KafkaConfig kafka, OnlineConfig online) {
        this(dir, config -> config.with(KafkaConfig.SECTION, kafka).with(OnlineConfig.SECTION, online), false);
    }

    /** A server whose configuration {@code adjust} changes from the tests' defaults. */
    RunningServer(Path dir, java.util.function.UnaryOperator<SeerConfig> adjust) {
        this(dir, adjust, false);
    }

    /** A server over the home in {@code dir} ({@code existing}: the one an earlier server there left), configured by {@code configure}. */
    RunningServer(Path dir, java.util.function.UnaryOperator<SeerConfig> configure, boolean existing) {
        this(dir, configure, existing, Clock.systemUTC());
    }

    /** As above, on {@code clock} (a test's, to move time: the online snapshot schedule counts on it). */
    RunningServer(Path dir, java.util.function.UnaryOperator<SeerConfig> configure, boolean existing, Clock clock) {
        SeerHome home = existing ? SeerHome.open(dir.resolve("home")) : SeerHome.create(dir.resolve("home"));
        SeerConfig config = configure.apply(ConfigSections.defaults().with(ServerConfig.SECTION,
                new ServerConfig("127.0.0.1", 0)));
        services = SeerServices.open(home, config, clock);
        server = SeerServer.start(services);
        for (Role role : Role.values()) {
            // a home an earlier server left still has its tokens, under the names without a suffix
            String name = "test-" + role.id() + (existing ? "-" + Long.toString(System.nanoTime(), 36) : "");
            tokens.put(role, services.tokens().create(role, name, "test").secret());
        }
    }

    /**
     * A server over the home in {@code dir} with {@code configure} applied to the defaults: the home
     * is created on the first call and opened again on the next ones, a restart once the previous
     * server is closed (each start issues its own tokens).
     */
    static RunningServer over(Path dir, UnaryOperator<SeerConfig> configure) {
        return new RunningServer(dir, configure, Files.isDirectory(dir.resolve("home")));
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, Role role, String body) throws IOException, InterruptedException {
        return send(method, path, tokens.get(role), body);
    }

    /** A multipart request (an upload) with the token of {@code role}. */
    HttpResponse<String> upload(String method, String path, Role role, MultipartBody body)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer "
                + tokens.get(role)).header("Content-Type", body.contentType()).method(method, body.publisher()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The error's code: Seer's {@code error.code}, or on MLflow's API its {@code error_code}. */
    static String errorCode(HttpResponse<String> response) {
        var body = Json.parse(response.body());
        return body.has("error_code") ? body.path("error_code").asText() : body.path("error").path("code").asText();
    }

    @Override
    public void close() {
        server.close();
        services.close();
    }
}
