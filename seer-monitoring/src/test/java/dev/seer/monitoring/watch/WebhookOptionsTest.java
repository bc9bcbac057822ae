package dev.seer.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.config.SeerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook keys as {@code seer.yaml} gives them: lists read, and a URL off the allow-list refused at load. */
class WebhookOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theKeysAreCommaSeparatedListsReadFromTheMonitoringSection() throws Exception {
        Path file = Files.writeString(dir.resolve("seer.yaml"), "monitoring:\n"
                + "  webhooks.urls: \"http://hooks.example.com:8080/seer, https://10.0.0.7/alerts\"\n"
                + "  webhooks.allowed-hosts: \"hooks.example.com:8080, 10.0.0.7\"\n");
        WebhookOptions options = SeerConfig.load(file, Map.of(), List.of(MonitoringOptions.SECTION))
                .section(MonitoringOptions.SECTION).webhooks();
        assertThat(options.urls()).containsExactly("http://hooks.example.com:8080/seer", "https://10.0.0.7/alerts");
        assertThat(options.allowedHosts()).containsExactly("hooks.example.com:8080", "10.0.0.7");
        assertThat(MonitoringOptions.SECTION.defaults().webhooks()).isEqualTo(WebhookOptions.NONE);
    }

    @Test
    void aUrlWhoseHostIsNotAllowedFailsTheLoadNamingTheKeyAndTheUrl() {
        Map<String, String> environment = Map.of("SEER_MONITORING_WEBHOOKS_URLS", "http://evil.example.net/x?token=s3cret",
                "SEER_MONITORING_WEBHOOKS_ALLOWED_HOSTS", "hooks.example.com");
        assertThatThrownBy(() -> SeerConfig.load(dir.resolve("absent.yaml"), environment, List.of(MonitoringOptions.SECTION)))
                .isInstanceOfSatisfying(SeerException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CoreErrorCode.CONFIG_INVALID_VALUE);
                    assertThat(e.details()).containsEntry("key", "monitoring.webhooks.urls");
                })
                .hasMessageContaining("[monitoring.webhooks.urls]")
                .hasMessageContaining("[http://evil.example.net/***]")
                .hasMessageNotContaining("s3cret");
        // a URL needs an allow-list: none configured refuses every URL
        assertThatThrownBy(() -> new WebhookOptions(List.of("http://hooks.example.com/"), List.of()))
                .hasMessageContaining("[monitoring.webhooks.urls]");
        // a malformed allow-list entry names its own key
        assertThatThrownBy(() -> new WebhookOptions(List.of(), List.of("hooks.example.com:http")))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.details())
                        .containsEntry("key", "monitoring.webhooks.allowed-hosts"));
    }
}
