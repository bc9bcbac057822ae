package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigType;
import dev.seer.core.config.ConfigValues;
import dev.seer.monitoring.alert.Webhooks;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where alert transitions are posted: the {@code monitoring.webhooks.*} keys. Both are lists
 * separated by commas ({@code seer.yaml} keys are scalars). Every URL is checked against the
 * allow-list when the configuration is read, so a URL that could never be posted to fails the
 * start naming the key and the URL, instead of failing each delivery later.
 *
 * <p>Its two keys are in the {@code monitoring} section ({@link MonitoringOptions#SECTION}), which
 * binds them through {@link #from}.
 *
 * @param urls the webhook URLs, each on a host of {@code allowedHosts}
 * @param allowedHosts host names or IP literals, each optionally with {@code :port}
 */
public record WebhookOptions(List<String> urls, List<String> allowedHosts) {
    public static final ConfigKey URLS = new ConfigKey("monitoring.webhooks.urls", ConfigType.STRING, "",
            "Webhook URLs, separated by commas, that every alert transition is posted to as JSON (no redirects"
                    + " followed); each must be on a host of monitoring.webhooks.allowed-hosts. Empty: none.");
    public static final ConfigKey ALLOWED_HOSTS = new ConfigKey("monitoring.webhooks.allowed-hosts", ConfigType.STRING,
            "", "Hosts (names or IP literals, optionally with :port), separated by commas, that webhooks may be posted"
                    + " to; any other is refused when this file is read.");
    /** No webhooks. */
    public static final WebhookOptions NONE = new WebhookOptions(List.of(), List.of());

    public WebhookOptions {
        urls = List.copyOf(requireNonNull(urls, "urls is null"));
        allowedHosts = List.copyOf(requireNonNull(allowedHosts, "allowedHosts is null"));
        Webhooks webhooks = webhooks(allowedHosts);
        for (String url : urls) {
            webhooks.refusal(url).ifPresent(reason -> {
                throw invalid(URLS, "entry [" + Webhooks.redacted(url) + "] is refused: " + reason);
            });
        }
    }

    /** Reads the two keys from the section that declares them. */
    public static WebhookOptions from(ConfigValues values) {
        return new WebhookOptions(list(values.text(URLS)), list(values.text(ALLOWED_HOSTS)));
    }

    /** The poster for these options' allow-list. */
    public Webhooks webhooks() {
        return new Webhooks(allowedHosts);
    }

    private static Webhooks webhooks(List<String> allowedHosts) {
        try {
            return new Webhooks(allowedHosts);
        } catch (SeerException e) {
            throw invalid(ALLOWED_HOSTS, e.getMessage());
        }
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static SeerException invalid(ConfigKey key, String message) {
        return new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "Config key [" + key.name() + "] " + message,
                Map.of("key", key.name()));
    }
}
