package dev.seer.monitoring.alert;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.seer.monitoring.alert.AlertEvaluator.Transition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Posts alert transitions as JSON to webhooks whose host is on the allow-list
 * ({@code monitoring.webhooks.allowed-hosts}), and to no other address.
 *
 * <p>Three steps keep every request on a listed host. (1) {@link HostPolicy} refuses, before any
 * lookup, each URL that is not plainly {@code http(s)://listed-host[:port]/path}. (2) The host is
 * resolved once, and the connection goes to that address: for http the JDK client is given the
 * resolved address as its HTTP proxy, so it connects there and sends the absolute URL with the
 * right Host header, and never resolves the name itself (an RFC 9112 §3.2.2 absolute-form
 * request, which servers must accept); for https the request URI carries the resolved address,
 * while SNI and certificate checking use the host name (the JDK checks the certificate against
 * the SNI name first, so a certificate for another name fails the handshake). The JDK client
 * refuses to set a Host header, so an https receiver sees the address in Host; one that routes
 * on Host rather than SNI needs the address listed by its name in its own configuration. A DNS answer that changes between the check and the connection (DNS
 * rebinding) therefore cannot move the request. (3) Redirects are never followed: a 3xx is a
 * failed delivery, reported with its status.
 *
 * <p>Each delivery makes up to {@link #ATTEMPTS} attempts, retrying only what may pass later
 * (connection errors, timeouts, 429 and 5xx) after 0.5 s then 1 s; a 4xx or 3xx is final. The body
 * is {@link Transition#toJson()}, which holds the rule, figure, values and times, never a URL,
 * header or credential.
 */
public final class Webhooks {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final int ATTEMPTS = 3;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    public enum Outcome { DELIVERED, REFUSED, FAILED }

    /**
     * What became of one delivery. {@code url} is redacted (no query or user information);
     * {@code status} is the last HTTP status, 0 when none was received; {@code reason} says why a
     * delivery was refused or failed, empty when delivered.
     */
    public record Delivery(String url, Outcome outcome, int attempts, int status, String reason) {}

    /** Resolves a host name to the one address the request will go to. */
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final HostPolicy policy;
    private final Resolver resolver;
    private final Sleeper sleeper;
    private final SSLContext tls;

    /** Webhooks allowed to {@code allowedHosts}: host names or IP literals, each optionally with {@code :port}. */
    public Webhooks(Collection<String> allowedHosts) {
        this(allowedHosts, InetAddress::getByName, duration -> Thread.sleep(duration.toMillis()), defaultTls());
    }

    Webhooks(Collection<String> allowedHosts, Resolver resolver, Sleeper sleeper, SSLContext tls) {
        this.policy = new HostPolicy(requireNonNull(allowedHosts, "allowedHosts is null"));
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.tls = requireNonNull(tls, "tls is null");
    }

    /**
     * Why {@code url} would be refused without any lookup or connection, empty if it would be
     * posted to: for checking configured URLs when the configuration is read.
     */
    public Optional<String> refusal(String url) {
        try {
            policy.check(url);
            return Optional.empty();
        } catch (HostPolicy.Refusal refusal) {
            return Optional.of(refusal.getMessage());
        }
    }

    /** {@code url} fit for a log line or an error message: no query, fragment or user information. */
    public static String redacted(String url) {
        return HostPolicy.redact(url);
    }

    /** Posts {@code transition} to {@code url}; never throws for a bad URL or a failed receiver. */
    public Delivery deliver(String url, Transition transition) {
        requireNonNull(transition, "transition is null");
        return post(url, transition.toJson());
    }

    /** Delivers to each URL in turn. */
    public List<Delivery> deliverAll(Collection<String> urls, Transition transition) {
        return urls.stream().map(url -> deliver(url, transition)).toList();
    }

    Delivery post(String url, String json) {
        String shown = HostPolicy.redact(url);
        HostPolicy.Target target;
        try {
            target = policy.check(url);
        } catch (HostPolicy.Refusal refusal) {
            return new Delivery(shown, Outcome.REFUSED, 0, 0, refusal.getMessage());
        }
        InetAddress address;
        try {
            address = target.literal() ? InetAddress.getByName(target.host()) : resolver.resolve(target.host());
        } catch (UnknownHostException e) {
            return new Delivery(shown, Outcome.FAILED, 0, 0, "host [" + target.host() + "] does not resolve");
        }
        return send(shown, client(target, address), request(target, address, json));
    }

    private Delivery send(String shown, HttpClient client, HttpRequest request) {
        Duration backoff = FIRST_BACKOFF;
        int status = 0;
        String reason = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Delivery(shown, Outcome.FAILED, attempt - 1, status, "interrupted; last: " + reason);
                }
                backoff = backoff.multipliedBy(2);
            }
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
            } catch (IOException e) {
                status = 0;
                reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Delivery(shown, Outcome.FAILED, attempt, 0, "interrupted");
            }
            if (status >= 200 && status < 300) {
                return new Delivery(shown, Outcome.DELIVERED, attempt, status, "");
            }
            if (status >= 300 && status < 400) {
                return new Delivery(shown, Outcome.FAILED, attempt, status, "answered with redirect [" + status + "], not followed");
            }
            reason = "answered with status [" + status + "]";
            if (status != 429 && status < 500) {
                return new Delivery(shown, Outcome.FAILED, attempt, status, reason);
            }
        }
        return new Delivery(shown, Outcome.FAILED, ATTEMPTS, status, reason);
    }

    private HttpClient client(HostPolicy.Target target, InetAddress address) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .proxy(ProxySelector.of(null)); // no system proxy: the request goes to the checked address only
        if (target.scheme().equals("http")) {
            builder.proxy(ProxySelector.of(new InetSocketAddress(address, target.port())));
        } else if (!target.literal()) {
            SSLParameters parameters = tls.getDefaultSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(target.host())));
            builder.sslParameters(parameters);
        }
        return builder.build();
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    private static HttpRequest request(HostPolicy.Target target, InetAddress address, String json) {
        URI uri = target.uri();
        // http names the host (the proxy step pins the address); https names the address (SNI names the host)
        String host = target.scheme().equals("http") ? target.host() : literal(address);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return HttpRequest.newBuilder(URI.create(target.scheme() + "://" + host + ":" + target.port() + path + query))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "seer-alerts/1")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8))
                .build();
    }

    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        return text.indexOf(':') >= 0 ? "[" + text + "]" : text;
    }
}
