package dev.seer.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.seer.core.Json;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.monitoring.alert.AlertEvaluator.Phase;
import dev.seer.monitoring.alert.AlertEvaluator.Transition;
import dev.seer.monitoring.alert.AlertRule.Severity;
import dev.seer.monitoring.watch.WebhookOptions;
import dev.seer.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert transitions announced: audited on the caller's thread, posted to a real local webhook on
 * another thread, and a receiver that refuses is audited as a failed delivery, never thrown.
 */
class AlertNotifierTest {
    private static final Transition FIRING = new Transition("spend-drift", "churn/drift/spend/wasserstein_normed",
            Phase.PENDING, Phase.FIRING, 0.25, ">", 0.1, 3, Severity.CRITICAL, Instant.parse("2026-12-04T10:00:00Z"),
            Instant.parse("2026-12-04T11:00:00Z"), Instant.parse("2026-12-04T11:00:05Z"));

    @TempDir
    Path dir;

    private MetadataDatabase database;
    private AuditLog audit;
    private HttpServer receiver;
    private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    private final CountDownLatch answer = new CountDownLatch(1);

    @BeforeEach
    void open() throws IOException {
        database = MetadataDatabase.open(MetadataConfig.SECTION.defaults(), dir);
        audit = new AuditLog(database, new MutableClock(Instant.parse("2026-12-04T11:00:05Z")), AuditConfig.SECTION.defaults());
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
            try {
                answer.await(10, TimeUnit.SECONDS); // held until the test has seen deliver return
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/refusing", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void close() {
        receiver.stop(0);
        audit.close();
        database.close();
    }

    private String url(String path) {
        return "http://" + loopback() + ":" + receiver.getAddress().getPort() + path;
    }

    private static String loopback() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    @Test
    void aFiringTransitionIsAuditedAndItsJsonPostedToTheWebhookOffTheCallersThread() {
        WebhookOptions options = new WebhookOptions(List.of(url("/hook")), List.of(loopback()));
        try (AlertNotifier notifier = new AlertNotifier(audit, options)) {
            notifier.deliver(FIRING); // returns while the receiver still holds the request
            assertThat(answer.getCount()).isEqualTo(1);
            List<AuditEntry> fired = entries("alert.firing");
            assertThat(fired).hasSize(1);
            assertThat(fired.get(0).subjectId()).isEqualTo("spend-drift");
            JsonNode details = Json.parse(fired.get(0).payload());
            assertThat(details.path("figure").asText()).isEqualTo("churn/drift/spend/wasserstein_normed");
            assertThat(details.path("value").asDouble()).isEqualTo(0.25);
            assertThat(details.path("comparison").asText()).isEqualTo(">");
            assertThat(details.path("threshold").asDouble()).isEqualTo(0.1);
            assertThat(details.path("window").path("start").asText()).isEqualTo("2026-12-04T10:00:00Z");
            assertThat(details.path("window").path("end").asText()).isEqualTo("2026-12-04T11:00:00Z");
            answer.countDown();
        } // close waits for the queued delivery
        assertThat(bodies).hasSize(1);
        assertThat(Json.parse(bodies.peek())).isEqualTo(Json.parse(FIRING.toJson()));
        assertThat(entries("alert.webhook_failed")).isEmpty();
    }

    @Test
    void aWebhookThatRefusesIsAuditedWithItsHostAndNeverThrown() {
        answer.countDown();
        WebhookOptions options = new WebhookOptions(List.of(url("/refusing/T000/s3cretpath?token=s3cret"), url("/hook")),
                List.of(loopback()));
        Transition resolved = new Transition("spend-drift", FIRING.figure(), Phase.FIRING, Phase.RESOLVED, 0.05, ">", 0.1, 3,
                Severity.CRITICAL, FIRING.windowEnd(), FIRING.windowEnd().plusSeconds(3600), FIRING.at().plusSeconds(3600));
        try (AlertNotifier notifier = new AlertNotifier(audit, options)) {
            assertThatCode(() -> notifier.deliver(resolved)).doesNotThrowAnyException();
        }
        assertThat(entries("alert.resolved")).hasSize(1);
        List<AuditEntry> failed = entries("alert.webhook_failed");
        assertThat(failed).hasSize(1);
        JsonNode details = Json.parse(failed.get(0).payload());
        assertThat(details.path("host").asText()).isEqualTo(loopback());
        assertThat(details.path("status").asInt()).isEqualTo(400);
        assertThat(failed.get(0).payload()).doesNotContain("s3cret", "T000"); // neither the query's secret nor the path's
        assertThat(bodies).as("the next webhook is still posted").hasSize(1);
    }

    private List<AuditEntry> entries(String action) {
        return audit.query(AuditQuery.all().withAction(action)).entries();
    }
}
