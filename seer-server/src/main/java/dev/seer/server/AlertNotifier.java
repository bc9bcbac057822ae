package dev.seer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.monitoring.alert.AlertEvaluator.Phase;
import dev.seer.monitoring.alert.AlertEvaluator.Transition;
import dev.seer.monitoring.alert.Webhooks;
import dev.seer.monitoring.watch.AlertDelivery;
import dev.seer.monitoring.watch.WebhookOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces an alert's change of phase: one log line (WARN when it starts firing, INFO otherwise),
 * one audit entry {@code alert.<phase>} with the figure, value, rule and window, and the
 * transition's JSON posted to every configured webhook. The log and audit entries are written on
 * the caller's thread, in order; webhooks are posted by one background thread (a receiver can
 * take seconds to time out three times, and the monitor's tick must not wait for it), and a
 * delivery that fails is logged and audited as {@code alert.webhook_failed}, never thrown: the
 * transition itself is already stored and audited.
 */
final class AlertNotifier implements AlertDelivery, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);
    /** Transitions waiting for their webhooks; past this many, a delivery is dropped (and audited) rather than queued. */
    static final int QUEUE = 1000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);
    static final String ACTOR = "system";
    static final String SUBJECT = "alert_rule";

    private final AuditSink audit;
    private final List<String> urls;
    private final Webhooks webhooks;
    private final ExecutorService posting;

    /** Posts on its own thread. */
    AlertNotifier(AuditSink audit, WebhookOptions options) {
        this(audit, options.urls(), options.webhooks(), postingThread());
    }

    /** Posts on {@code posting} (a test's executor), which {@link #close} shuts down. */
    AlertNotifier(AuditSink audit, List<String> urls, Webhooks webhooks, ExecutorService posting) {
        this.audit = requireNonNull(audit, "audit is null");
        this.urls = List.copyOf(urls);
        this.webhooks = requireNonNull(webhooks, "webhooks is null");
        this.posting = requireNonNull(posting, "posting is null");
    }

    private static ExecutorService postingThread() {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "seer-alert-webhooks");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.setRejectedExecutionHandler((runnable, pool) -> {
            throw new RejectedExecutionException(pool.isShutdown() ? "closed" : QUEUE + " deliveries already waiting");
        });
        return executor;
    }

    @Override
    public void deliver(Transition t) {
        requireNonNull(t, "t is null");
        String line = "Alert [{}] {} -> {}: {} = {} ({} {}, for {} windows), window {} to {}, severity {}";
        Object[] args = {t.ruleId(), phase(t.from()), phase(t.to()), t.figure(), t.value(), t.comparison(), t.threshold(),
            t.forWindows(), t.windowStart(), t.windowEnd(), t.severity().label()};
        if (t.to() == Phase.FIRING) {
            LOG.warn(line, args);
        } else {
            LOG.info(line, args);
        }
        ObjectNode details = Json.object().put("figure", t.figure()).put("value", t.value())
                .put("comparison", t.comparison()).put("threshold", t.threshold()).put("for", t.forWindows())
                .put("from", phase(t.from())).put("severity", t.severity().label());
        details.putObject("window").put("start", String.valueOf(t.windowStart())).put("end", String.valueOf(t.windowEnd()));
        record(new AuditRecord(ACTOR, "alert." + phase(t.to()), SUBJECT, t.ruleId(), details));
        if (urls.isEmpty()) {
            return;
        }
        try {
            posting.execute(() -> post(t));
        } catch (RejectedExecutionException e) {
            for (String url : urls) {
                failed(t, Webhooks.redacted(url), 0, 0, "not posted: " + e.getMessage());
            }
        }
    }

    /** Posts to every URL in turn; a failure is reported, never thrown (this runs on the posting thread). */
    private void post(Transition t) {
        for (String url : urls) {
            try {
                Webhooks.Delivery delivery = webhooks.deliver(url, t);
                if (delivery.outcome() != Webhooks.Outcome.DELIVERED) {
                    failed(t, delivery.url(), delivery.attempts(), delivery.status(), delivery.reason());
                }
            } catch (RuntimeException e) {
                failed(t, Webhooks.redacted(url), 0, 0, e.toString());
            }
        }
    }

    private void failed(Transition t, String url, int attempts, int status, String reason) {
        String host = host(url);
        LOG.warn("Alert [{}] {} not delivered to webhook host [{}] after {} attempt(s): {}", t.ruleId(), phase(t.to()), host,
                attempts, reason);
        record(new AuditRecord(ACTOR, "alert.webhook_failed", SUBJECT, t.ruleId(), Json.object()
                .put("host", host).put("url", url).put("phase", phase(t.to())).put("figure", t.figure())
                .put("attempts", attempts).put("status", status).put("reason", reason)));
    }

    /** Waits until the entry is durable; an audit log that fails is logged here, not thrown at the monitor. */
    private void record(AuditRecord entry) {
        try {
            audit.record(entry).join();
        } catch (RuntimeException e) {
            LOG.error("Audit entry [{}] for alert rule [{}] not recorded", entry.action(), entry.subjectId(), e);
        }
    }

    /** The host of a redacted URL, or the URL itself when it has none (a URL refused for its form). */
    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? url : host;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String phase(Phase phase) {
        return phase.name().toLowerCase(Locale.ROOT);
    }

    /** Waits (boundedly) for the deliveries already queued, so a stopping server still posts a last FIRING. */
    @Override
    public void close() {
        posting.shutdown();
        try {
            if (!posting.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Alert webhooks still posting after {}; abandoned", CLOSE_WAIT);
                posting.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            posting.shutdownNow();
        }
    }
}
