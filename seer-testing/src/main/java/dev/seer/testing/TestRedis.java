package dev.seer.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The local Redis of the integration tests ({@code SEER_TEST_REDIS_URL}, default
 * {@code redis://127.0.0.1:6379}). Tests isolate their keys under a prefix of their own.
 */
public final class TestRedis {
    public static final String URL = System.getenv().getOrDefault("SEER_TEST_REDIS_URL", "redis://127.0.0.1:6379");

    private TestRedis() {}

    /** Returns when Redis answers a PING; otherwise skips the test (outside CI) or fails it (under CI). */
    public static void require() {
        URI uri = URI.create(URL);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
            if (!reply.startsWith("+PONG")) {
                throw RequiredService.missing("Redis at " + URL + " answered PING with [" + reply.strip() + "]", null);
            }
        } catch (IOException e) {
            throw RequiredService.missing("Redis is not reachable at " + URL + ": " + e.getMessage(), e);
        }
    }
}
