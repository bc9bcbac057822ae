package dev.seer.server;

import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.features.online.OnlineConfig;
import dev.seer.features.stream.KafkaConfig;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.MetadataConfig;
import dev.seer.monitoring.watch.MonitoringOptions;
import dev.seer.serving.log.LogOptions;
import dev.seer.serving.online.OnlineOptions;
import java.util.List;
import java.util.Map;

/**
 * The sections of {@code seer.yaml}, each declared by the module it configures, listed here where
 * the modules are wired; the order is that of a fresh {@code seer.yaml} and of the README's table.
 */
public final class ConfigSections {
    public static final List<ConfigSection<?>> ALL = List.of(ServerConfig.SECTION, MetadataConfig.SECTION,
            AuditConfig.SECTION, OnlineConfig.SECTION, KafkaConfig.SECTION, FilesConfig.SECTION,
            LogOptions.SECTION, dev.seer.serving.feedback.FeedbackOptions.SECTION, OnlineOptions.SECTION,
            MonitoringOptions.SECTION);

    private ConfigSections() {}

    /** Every section at its defaults. */
    public static SeerConfig defaults() {
        return SeerConfig.defaults(ALL);
    }

    /** The home's {@code seer.yaml} with overrides from {@code environment}. */
    public static SeerConfig load(SeerHome home, Map<String, String> environment) {
        return home.loadConfig(environment, ALL);
    }

    /** A fresh {@code seer.yaml}: every key, commented out at its default. */
    public static String defaultYaml() {
        return SeerConfig.defaultYaml(ALL);
    }
}
