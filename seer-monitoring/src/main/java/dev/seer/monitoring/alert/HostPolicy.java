package dev.seer.monitoring.alert;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides, before any connection or DNS lookup, whether a webhook URL may be posted to. The URL
 * is read with {@link URI} (RFC 2396, strict), then every form that parsers disagree on is
 * refused rather than interpreted: user information ({@code http://allowed@evil/}), fragments
 * ({@code http://evil#@allowed}), percent-encoding or backslashes in the authority, spaces,
 * control and non-ASCII characters anywhere (header injection, IDN look-alikes), and IPv4 written
 * in any form but the canonical dotted quad ({@code 0x7f.0.0.1}, {@code 2130706433},
 * {@code 127.1}: the WHATWG URL standard and C's inet_aton read them as 127.0.0.1, a host
 * allow-list must not). What is left is a plain host name, a dotted quad or a bracketed IPv6
 * literal, compared exactly (case-insensitive, one trailing dot dropped) with the allow-list.
 */
final class HostPolicy {
    static final String CONFIG_KEY = "monitoring.webhooks.allowed-hosts";
    private static final int MAX_URL = 2048;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(0x[0-9a-f]*|[0-9]+)");
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");

    /** One allow-list entry: a normalised host and a port, -1 for any port. */
    record Entry(String host, int port) {}

    /** A URL that passed: its normalised host, the port it goes to, and whether the host is an IP literal. */
    record Target(URI uri, String scheme, String host, int port, boolean literal) {}

    /** Why a URL is refused; never carries the URL's secrets. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Set<Entry> entries;

    HostPolicy(Collection<String> allowedHosts) {
        Set<Entry> parsed = new LinkedHashSet<>();
        for (String entry : allowedHosts) {
            parsed.add(parseEntry(entry));
        }
        this.entries = Set.copyOf(parsed);
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    Target check(String url) throws Refusal {
        if (url == null || url.isEmpty()) {
            throw new Refusal("no URL");
        }
        if (url.length() > MAX_URL) {
            throw new Refusal("URL longer than " + MAX_URL + " characters");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                throw new Refusal("URL contains a space, control, backslash or non-ASCII character at index " + i);
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refusal("not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refusal("scheme [" + scheme + "] is not http or https");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw new Refusal("URL has no host");
        }
        String authority = uri.getRawAuthority();
        if (authority.indexOf('@') >= 0 || uri.getRawUserInfo() != null) {
            throw new Refusal("URL has user information; credentials go in the receiver's configuration, not the URL");
        }
        if (authority.indexOf('%') >= 0) {
            throw new Refusal("host is percent-encoded");
        }
        if (uri.getRawFragment() != null) {
            throw new Refusal("URL has a fragment");
        }
        if (uri.getHost() == null) {
            throw new Refusal("host is not a plain host name or IP address");
        }
        String host = normalise(uri.getHost());
        boolean literal = checkHost(host);
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        if (!allows(host, port)) {
            throw new Refusal("host [" + host + "] port [" + port + "] is not on " + CONFIG_KEY);
        }
        return new Target(uri, scheme, host, port, literal);
    }

    private boolean allows(String host, int port) {
        return entries.contains(new Entry(host, port)) || entries.contains(new Entry(host, -1));
    }

    /** Lower case, one trailing dot dropped (an absolute DNS name is the same host). */
    private static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** Whether {@code host} is an IP literal; refuses anything that is neither a literal nor a DNS name. */
    private static boolean checkHost(String host) throws Refusal {
        if (host.startsWith("[")) {
            if (!IPV6.matcher(host).matches()) {
                throw new Refusal("IPv6 literal [" + host + "] is not plain");
            }
            return true;
        }
        if (host.isEmpty() || host.length() > 253) {
            throw new Refusal("host name is empty or longer than 253 characters");
        }
        String[] labels = host.split("\\.", -1);
        if (NUMERIC_LAST_LABEL.matcher(labels[labels.length - 1]).matches()) {
            if (!DOTTED_QUAD.matcher(host).matches()) {
                throw new Refusal("host [" + host + "] is an IPv4 address in a form other than the dotted quad");
            }
            return true;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new Refusal("host [" + host + "] has label [" + label + "], not letters, digits and inner hyphens");
            }
        }
        return false;
    }

    private static Entry parseEntry(String raw) {
        if (raw == null) {
            throw badEntry(null, "is missing");
        }
        String text = raw.strip().toLowerCase(Locale.ROOT);
        String host = text;
        int port = -1;
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && colon > text.lastIndexOf(']')) {
            host = text.substring(0, colon);
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw badEntry(raw, "has port [" + text.substring(colon + 1) + "], not a number");
            }
            if (port < 1 || port > 65535) {
                throw badEntry(raw, "has port [" + port + "], not 1 to 65535");
            }
        }
        host = normalise(host);
        try {
            checkHost(host);
        } catch (Refusal refusal) {
            throw badEntry(raw, "is not a host name, dotted-quad IPv4 or bracketed IPv6 address: " + refusal.getMessage());
        }
        return new Entry(host, port);
    }

    private static SeerException badEntry(String raw, String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT,
                "Config key [" + CONFIG_KEY + "] entry [" + raw + "] " + message, Map.of("field", CONFIG_KEY));
    }

    /**
     * A URL fit for a log line or an audit entry: scheme and host only. The query, fragment, user
     * information and path are replaced, since webhook services put their secret in any of them
     * (Slack's is the path); printable, bounded.
     */
    static String redact(String url) {
        if (url == null) {
            return "";
        }
        String text = url;
        int cut = indexOfAny(text, "?#");
        if (cut >= 0) {
            text = text.substring(0, cut);
        }
        int scheme = text.indexOf("://");
        int at = text.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            text = text.substring(0, scheme + 3) + "***" + text.substring(at);
        }
        int path = scheme >= 0 ? text.indexOf('/', scheme + 3) : -1;
        if (path >= 0 && path < text.length() - 1) {
            text = text.substring(0, path) + "/***";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(c <= 0x20 || c >= 0x7f ? '?' : c);
        }
        return out.toString();
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
