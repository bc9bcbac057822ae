package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented size limits answer 413 in the error shape, to the JDK's own HTTP client, not a closed connection. */
class RequestLimitsTest {
    @TempDir
    Path dir;

    SeerServices services;
    SeerServer server;
    String admin;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        SeerHome home = SeerHome.create(dir.resolve("home"));
        SeerConfig config = ConfigSections.defaults().with(ServerConfig.SECTION, new ServerConfig("127.0.0.1", 0))
                .with(FilesConfig.SECTION, new FilesConfig(List.of(), 1));
        services = SeerServices.open(home, config, Clock.systemUTC());
        server = SeerServer.start(services);
        admin = services.tokens().create(Role.ADMIN, "limits", "test").secret();
    }

    @AfterEach
    void stop() {
        server.close();
        services.close();
    }

    @Test
    void aJsonBodyOverTenMebibytesIsRefusedWith413() throws Exception {
        char[] spaces = new char[11 * 1024 * 1024];
        Arrays.fill(spaces, ' ');
        HttpResponse<String> response = client.send(request("/api/v1/datasets/list").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}" + new String(spaces))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(RunningServer.errorCode(response)).isEqualTo("REQUEST_TOO_LARGE");
        assertThat(Json.parse(response.body()).path("error").path("details").path("limit_bytes").asLong())
                .isEqualTo(10L * 1024 * 1024);
    }

    /**
     * The server refuses an oversized body from its declared length, before the client has sent
     * it; it reads and drops the rest, so closing the connection does not reset it and destroy the
     * 413 before the client reads it. Without that, one request in a few dozen came back as a
     * closed connection ("header parser received no bytes"), on Seer's routes and MLflow's.
     */
    @Test
    void everyRefusalOfAnOversizedBodyReachesTheClient() throws Exception {
        byte[] body = new byte[11 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        List<String> lost = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String route = i % 2 == 0 ? "/api/v1/datasets/list" : "/api/2.0/mlflow/runs/delete";
            try {
                HttpResponse<String> response = client.send(request(route).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 413) {
                    lost.add(route + " -> " + response.statusCode());
                }
            } catch (java.io.IOException e) {
                lost.add(route + " -> " + e);
            }
        }
        assertThat(lost).as("oversized requests not answered with 413").isEmpty();
    }

    /**
     * The online and push routes read their bodies themselves (Http.bodyBytes): the limit holds
     * with a declared length and without one.
     */
    @Test
    void anOversizedOnlineOrPushBodyIsRefusedWith413DeclaredOrChunked() throws Exception {
        byte[] body = new byte[11 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        List<HttpRequest.BodyPublisher> bodies = List.of(HttpRequest.BodyPublishers.ofByteArray(body),
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))); // no length: chunked
        for (String route : List.of("/api/v1/features/online", "/api/v1/push/payments")) {
            for (HttpRequest.BodyPublisher publisher : bodies) {
                HttpResponse<String> response = client.send(request(route).header("Content-Type", "application/json")
                        .POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("%s, content length %s", route, publisher.contentLength()).isEqualTo(413);
                assertThat(RunningServer.errorCode(response)).isEqualTo("REQUEST_TOO_LARGE");
            }
        }
    }

    @Test
    void anUploadOverFilesMaxUploadMbIsRefusedWith413AndLeavesNothing() throws Exception {
        byte[] twoMebibytes = new byte[2 * 1024 * 1024];
        Arrays.fill(twoMebibytes, (byte) 'x');
        MultipartBody body = new MultipartBody("{\"name\": \"big\"}").file("file", "big.csv", twoMebibytes);
        HttpResponse<String> response = client.send(request("/api/v1/datasets/import")
                .header("Content-Type", body.contentType()).POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(RunningServer.errorCode(response)).isEqualTo("REQUEST_TOO_LARGE");
        assertThat(response.body()).contains("files.max-upload-mb = 1");
        assertThat(services.datasets().list()).isEmpty();
        assertThat(services.home().runDirectory().resolve("uploads").toFile().list()).containsOnly(".parts");
    }

    /** The model import and MLflow's artifact upload hold to the same limit, declared or streamed, and keep nothing. */
    @Test
    void aModelFileOrAnArtifactOverTheLimitIsRefusedWith413AndKeepsNothing() throws Exception {
        byte[] twoMebibytes = new byte[2 * 1024 * 1024];
        Arrays.fill(twoMebibytes, (byte) 'x');
        MultipartBody model = new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"x:float64->probability\"}")
                .file("file", "big.json", twoMebibytes);
        HttpResponse<String> imported = client.send(request("/api/v1/models/churn/import")
                .header("Content-Type", model.contentType()).POST(model.publisher()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(413);
        assertThat(services.models().models()).isEmpty();

        var run = services.tracking().createRun(new dev.seer.registry.tracking.TrackingStore.NewRun("0",
                java.util.Optional.empty(), "test", java.util.Optional.empty(), java.util.Map.of(), java.util.Optional.empty(),
                java.util.Optional.empty()), "test");
        String artifact = "/api/2.0/mlflow-artifacts/artifacts/0/" + run.id() + "/artifacts/big.bin";
        List<HttpRequest.BodyPublisher> bodies = List.of(HttpRequest.BodyPublishers.ofByteArray(twoMebibytes),
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(twoMebibytes)));
        for (HttpRequest.BodyPublisher publisher : bodies) {
            HttpResponse<String> response = client.send(request(artifact).PUT(publisher).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("content length %s: %s", publisher.contentLength(), response.body())
                    .isEqualTo(413);
        }
        assertThat(services.artifacts().list(run.id(), java.util.Optional.empty())).isEmpty();
    }

    @Test
    void anUploadUnderTheLimitIsTaken() throws Exception {
        MultipartBody body = new MultipartBody("{\"name\": \"small\"}").file("file", "small.csv", "a,b\n1,2\n");
        HttpResponse<String> response = client.send(request("/api/v1/datasets/import")
                .header("Content-Type", body.contentType()).POST(body.publisher()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(services.datasets().list()).hasSize(1);
    }

    @Test
    void aBodyThatIsNotValidMultipartIsABadRequest() throws Exception {
        HttpResponse<String> response = client.send(request("/api/v1/datasets/import")
                .header("Content-Type", "multipart/form-data; boundary=nothing-like-it")
                .POST(HttpRequest.BodyPublishers.ofString("--other\r\ngarbage")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(RunningServer.errorCode(response)).isEqualTo("UPLOAD_INVALID");
    }

    private HttpRequest.Builder request(String route) {
        return HttpRequest.newBuilder(URI.create(server.url() + route)).header("Authorization", "Bearer " + admin);
    }
}
