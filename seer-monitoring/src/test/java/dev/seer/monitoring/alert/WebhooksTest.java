package dev.seer.monitoring.alert;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertEvaluator.Phase;
import dev.seer.monitoring.alert.AlertEvaluator.Transition;
import dev.seer.monitoring.alert.AlertRule.Severity;
import dev.seer.monitoring.alert.Webhooks.Delivery;
import dev.seer.monitoring.alert.Webhooks.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhook delivery against real local HTTP servers: what is posted, and that nothing goes anywhere else. */
class WebhooksTest {
    private static final Transition TRANSITION = new Transition("spend-drift", "churn/drift/spend/wasserstein_normed",
            Phase.PENDING, Phase.FIRING, 0.25, ">", 0.1, 3, Severity.CRITICAL, Instant.parse("2026-12-04T10:00:00Z"),
            Instant.parse("2026-12-04T11:00:00Z"), Instant.parse("2026-12-04T11:00:05Z"));

    private final List<Receiver> receivers = new ArrayList<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final List<Duration> sleeps = new ArrayList<>();

    /** A local HTTP server that records every request and answers with the statuses given, the last one repeated. */
    private final class Receiver {
        final HttpServer server;
        final ConcurrentLinkedQueue<Map<String, String>> requests = new ConcurrentLinkedQueue<>();
        final AtomicInteger count = new AtomicInteger();

        Receiver(int[] statuses, String location) throws IOException {
            this(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), statuses, location);
        }

        Receiver(HttpServer server, int[] statuses, String location) {
            this.server = server;
            server.createContext("/", exchange -> {
                int n = count.getAndIncrement();
                requests.add(Map.of("method", exchange.getRequestMethod(), "path", exchange.getRequestURI().getPath(),
                        "host", String.valueOf(exchange.getRequestHeaders().getFirst("Host")),
                        "type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                        "body", new String(exchange.getRequestBody().readAllBytes(), UTF_8)));
                int status = statuses[Math.min(n, statuses.length - 1)];
                if (location != null) {
                    exchange.getResponseHeaders().add("Location", location);
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
            receivers.add(this);
        }

        int port() {
            return server.getAddress().getPort();
        }
    }

    @AfterEach
    void stop() {
        receivers.forEach(receiver -> receiver.server.stop(0));
    }

    private Receiver receiver(int... statuses) throws IOException {
        return new Receiver(statuses, null);
    }

    /** allowed.example (reserved, never in public DNS) resolves to the loopback address, nothing else resolves. */
    private Webhooks webhooks(String... allowed) {
        return new Webhooks(List.of(allowed), host -> {
            lookups.incrementAndGet();
            if (host.equals("allowed.example")) {
                return InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1});
            }
            throw new UnknownHostException(host);
        }, sleeps::add, trustingTestCertificates());
    }

    /** Trusts the two self-signed test certificates (one for allowed.example, one for other.example), nothing else. */
    private static SSLContext trustingTestCertificates() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (String name : List.of("allowed", "other")) {
                trusted.setCertificateEntry(name, keyStore(name).getCertificate(name));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keyStore(String name) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = WebhooksTest.class.getResourceAsStream("/alert/" + name + ".p12")) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    /** An HTTPS receiver on the loopback address presenting the certificate of {@code name}.example. */
    private Receiver tlsReceiver(String name) throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(name), "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new Receiver(server, new int[] {200}, null);
    }

    @Test
    void postsTheTransitionAsJsonToAnAllowedHost() throws IOException {
        Receiver receiver = receiver(204);
        Delivery delivery = webhooks("allowed.example").deliver("http://allowed.example:" + receiver.port() + "/hooks/seer", TRANSITION);

        assertThat(delivery.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(delivery.status()).isEqualTo(204);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(receiver.requests).hasSize(1);
        Map<String, String> request = receiver.requests.peek();
        assertThat(request).containsEntry("method", "POST").containsEntry("path", "/hooks/seer")
                .containsEntry("type", "application/json")
                // the name, not the address: the request went to the pinned address as an absolute-form request
                .containsEntry("host", "allowed.example:" + receiver.port());
        JsonNode body = Json.parse(request.get("body"));
        assertThat(request.get("body")).isEqualTo(TRANSITION.toJson())
                .startsWith("{\"at\":\"2026-12-04T11:00:05Z\",\"comparison\":\">\",").endsWith("\"window_start\":\"2026-12-04T10:00:00Z\"}");
        assertThat(body.get("version").asInt()).isEqualTo(1);
        assertThat(body.get("rule").asText()).isEqualTo("spend-drift");
        assertThat(body.get("figure").asText()).isEqualTo("churn/drift/spend/wasserstein_normed");
        assertThat(body.get("from").asText()).isEqualTo("pending");
        assertThat(body.get("to").asText()).isEqualTo("firing");
        assertThat(body.get("value").asDouble()).isEqualTo(0.25);
        assertThat(body.get("threshold").asDouble()).isEqualTo(0.1);
        assertThat(body.get("severity").asText()).isEqualTo("critical");
        assertThat(body.get("window_end").asText()).isEqualTo("2026-12-04T11:00:00Z");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void httpsGoesToThePinnedAddressAndChecksTheCertificateAgainstTheName() throws Exception {
        Receiver genuine = tlsReceiver("allowed");
        Receiver impostor = tlsReceiver("other");
        Webhooks webhooks = webhooks("allowed.example");

        Delivery delivered = webhooks.deliver("https://allowed.example:" + genuine.port() + "/hook", TRANSITION);
        // trusted, but issued to another name: the name the URL gave is what the certificate must match
        Delivery mismatched = webhooks.deliver("https://allowed.example:" + impostor.port() + "/hook", TRANSITION);

        assertThat(delivered.outcome()).as(delivered.reason()).isEqualTo(Outcome.DELIVERED);
        assertThat(genuine.requests.peek()).containsEntry("path", "/hook").containsEntry("body", TRANSITION.toJson())
                // the JDK client refuses a Host header, so https names the pinned address there (SNI names the host)
                .containsEntry("host", "127.0.0.1:" + genuine.port());
        assertThat(mismatched.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(mismatched.reason()).contains("SSLHandshakeException");
        assertThat(impostor.count).hasValue(0);
    }

    @Test
    void aHostNotOnTheListGetsNoConnectionAndNoLookup() throws IOException {
        Receiver receiver = receiver(200);
        Webhooks webhooks = webhooks("allowed.example");

        Delivery byAddress = webhooks.deliver("http://127.0.0.1:" + receiver.port() + "/", TRANSITION);
        Delivery byName = webhooks.deliver("http://other.example:" + receiver.port() + "/", TRANSITION);
        Delivery bySuffix = webhooks.deliver("http://allowed.example.evil.test:" + receiver.port() + "/", TRANSITION);

        assertThat(List.of(byAddress, byName, bySuffix)).allSatisfy(delivery -> {
            assertThat(delivery.outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(delivery.attempts()).isZero();
            assertThat(delivery.reason()).contains("is not on monitoring.webhooks.allowed-hosts");
        });
        assertThat(receiver.count).hasValue(0);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void aRedirectIsAFailedDeliveryAndIsNotFollowed() throws IOException {
        Receiver elsewhere = receiver(200);
        Receiver redirecting = new Receiver(new int[] {302}, "http://127.0.0.1:" + elsewhere.port() + "/stolen");

        Delivery delivery = webhooks("allowed.example").deliver("http://allowed.example:" + redirecting.port() + "/", TRANSITION);

        assertThat(delivery.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(delivery.status()).isEqualTo(302);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.reason()).contains("redirect [302], not followed");
        assertThat(redirecting.count).hasValue(1);
        assertThat(elsewhere.count).hasValue(0);
    }

    @Test
    void attackEncodingsAreRefusedWithoutARequest() throws IOException {
        Receiver receiver = receiver(200);
        int port = receiver.port();
        Webhooks webhooks = webhooks("allowed.example", "allowed");
        List<String> attacks = List.of(
                "http://allowed.example@127.0.0.1:" + port + "/",
                "http://allowed.example:x@127.0.0.1:" + port + "/",
                "http://127.0.0.1:" + port + "#@allowed.example",
                "http://allowed.example:" + port + "/#frag",
                "http://0x7f.0.0.1:" + port + "/",
                "http://0x7f000001:" + port + "/",
                "http://2130706433:" + port + "/",
                "http://017700000001:" + port + "/",
                "http://0177.0.0.1:" + port + "/",
                "http://127.1:" + port + "/",
                "http://[::1]:" + port + "/",
                "http://[::ffff:127.0.0.1]:" + port + "/",
                "file:///etc/passwd",
                "ftp://allowed.example:" + port + "/",
                "gopher://allowed.example:" + port + "/",
                "javascript:alert(1)",
                "//allowed.example:" + port + "/",
                "http://allowed%2Eexample:" + port + "/",
                "http://allowed.example%2F@127.0.0.1:" + port + "/",
                "http://allowed%40example:" + port + "/",
                "http://127.0.0.1%2F.allowed.example:" + port + "/",
                "http://allowed.example:" + port + "/ HTTP/1.1\r\nHost: evil",
                "http://allowed.example:" + port + "/\nX-Injected: 1",
                "http://allowed.example:" + port + "/%0d%0a\r\n",
                "http://allowed.example :" + port + "/",
                " http://allowed.example:" + port + "/",
                "http://allowed.example\\@127.0.0.1:" + port + "/",
                "http://allowеd.example:" + port + "/", // Cyrillic e
                "http://allowed.example:" + port + ":" + port + "/",
                "http:///allowed.example:" + port + "/",
                "http://:" + port + "/",
                "",
                "not a url");
        for (String attack : attacks) {
            Delivery delivery = webhooks.deliver(attack, TRANSITION);
            assertThat(delivery.outcome()).as(attack).isEqualTo(Outcome.REFUSED);
            assertThat(delivery.url()).as(attack).doesNotContain("\n", "\r", " ");
        }
        assertThat(receiver.count).hasValue(0);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void aNameIsMatchedCaseInsensitivelyWithOneTrailingDotDropped() throws IOException {
        Receiver receiver = receiver(200);
        Webhooks listed = webhooks("Allowed.Example.");

        assertThat(listed.deliver("http://ALLOWED.example.:" + receiver.port() + "/", TRANSITION).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(listed.deliver("http://allowed.example:" + receiver.port() + "/", TRANSITION).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(listed.deliver("http://allowed.example..:" + receiver.port() + "/", TRANSITION).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(webhooks("other.example").deliver("http://ALLOWED.example.:" + receiver.port() + "/", TRANSITION).outcome())
                .isEqualTo(Outcome.REFUSED);
        assertThat(receiver.count).hasValue(2);
    }

    @Test
    void anIpLiteralIsAllowedOnlyWhenListedExactlyAndAListedPortIsEnforced() throws IOException {
        Receiver receiver = receiver(200);
        Receiver other = receiver(200);
        Webhooks webhooks = webhooks("127.0.0.1:" + receiver.port());

        assertThat(webhooks.deliver("http://127.0.0.1:" + receiver.port() + "/", TRANSITION).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(webhooks.deliver("http://127.0.0.1:" + other.port() + "/", TRANSITION).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(webhooks.deliver("http://127.000.000.001:" + receiver.port() + "/", TRANSITION).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(receiver.count).hasValue(1);
        assertThat(other.count).hasValue(0);
        assertThat(lookups).as("a literal is not looked up").hasValue(0);
    }

    @Test
    void retriesServerErrorsWithBackoffAndResolvesOnlyOnce() throws IOException {
        Receiver receiver = receiver(503, 503, 200);

        Delivery delivery = webhooks("allowed.example").deliver("http://allowed.example:" + receiver.port() + "/", TRANSITION);

        assertThat(delivery.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(receiver.count).hasValue(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(lookups).hasValue(1);
    }

    @Test
    void givesUpAfterThreeAttemptsAndDoesNotRetryAClientError() throws IOException {
        Receiver failing = receiver(500);
        Receiver refusing = receiver(400, 200);
        Webhooks webhooks = webhooks("allowed.example");

        Delivery exhausted = webhooks.deliver("http://allowed.example:" + failing.port() + "/", TRANSITION);
        Delivery rejected = webhooks.deliver("http://allowed.example:" + refusing.port() + "/", TRANSITION);

        assertThat(exhausted).extracting(Delivery::outcome, Delivery::attempts, Delivery::status).containsExactly(Outcome.FAILED, 3, 500);
        assertThat(failing.count).hasValue(3);
        assertThat(rejected).extracting(Delivery::outcome, Delivery::attempts, Delivery::status).containsExactly(Outcome.FAILED, 1, 400);
        assertThat(refusing.count).hasValue(1);
    }

    @Test
    void aClosedPortOrAnUnresolvableHostIsAFailureNotAnException() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Webhooks webhooks = webhooks("allowed.example", "nowhere.example");

        Delivery unreachable = webhooks.deliver("http://allowed.example:" + closed + "/", TRANSITION);
        Delivery unresolved = webhooks.deliver("http://nowhere.example/", TRANSITION);

        assertThat(unreachable).extracting(Delivery::outcome, Delivery::attempts, Delivery::status).containsExactly(Outcome.FAILED, 3, 0);
        assertThat(unreachable.reason()).contains("ConnectException");
        assertThat(unresolved.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(unresolved.reason()).contains("[nowhere.example] does not resolve");
    }

    @Test
    void theQueryAndPathOfAUrlAreNeitherPostedNorReported() throws IOException {
        Receiver receiver = receiver(200);

        Delivery delivery = webhooks("allowed.example").deliver("http://allowed.example:" + receiver.port() + "/h?token=s3cret", TRANSITION);
        Delivery refused = webhooks("allowed.example").deliver("http://user:pa55@allowed.example/h?token=s3cret", TRANSITION);

        assertThat(delivery.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(receiver.requests.peek().get("body")).doesNotContain("s3cret", "allowed.example");
        assertThat(delivery.url()).isEqualTo("http://allowed.example:" + receiver.port() + "/***");
        assertThat(refused.url()).doesNotContain("pa55", "s3cret").isEqualTo("http://***@allowed.example/***");
        // a secret in the path (Slack's webhooks) is not reported either
        Delivery slack = webhooks("allowed.example").deliver("http://allowed.example:" + receiver.port()
                + "/services/T000/B000/s3cretpath", TRANSITION);
        assertThat(slack.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(slack.url()).doesNotContain("s3cretpath", "T000").endsWith("/***");
    }

    @Test
    void aBadAllowListEntryIsRefusedNamingTheConfigKey() {
        for (String entry : List.of("http://allowed.example", "allowed.example:99999", "allowed.example:x", "*.example", "127.1", "",
                "allowed..example")) {
            assertThatThrownBy(() -> new Webhooks(List.of(entry)))
                    .as(entry)
                    .isInstanceOfSatisfying(SeerException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("[monitoring.webhooks.allowed-hosts]");
                    });
        }
        assertThat(new HostPolicy(List.of("[::1]", "Hooks.Example.:8443", "10.0.0.7")).entries())
                .containsExactlyInAnyOrder(new HostPolicy.Entry("[::1]", -1), new HostPolicy.Entry("hooks.example", 8443),
                        new HostPolicy.Entry("10.0.0.7", -1));
    }
}
