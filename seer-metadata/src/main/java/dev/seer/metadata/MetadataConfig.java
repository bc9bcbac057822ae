package dev.seer.metadata;

import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;

/** The metadata store: the {@code metadata} section. {@code url} is empty for the embedded SQLite store. */
public record MetadataConfig(String url, String username, String password, int poolSize) {
    public static final ConfigKey URL = new ConfigKey("metadata.url", ConfigType.STRING, "",
            "JDBC URL of the metadata store. Empty: a SQLite file (metadata.db) in the home. "
                    + "A jdbc:postgresql:// URL uses PostgreSQL.");
    public static final ConfigKey USERNAME = new ConfigKey("metadata.username", ConfigType.STRING, "",
            "User name for a PostgreSQL metadata store.");
    public static final ConfigKey PASSWORD = new ConfigKey("metadata.password", ConfigType.STRING, "",
            "Password for a PostgreSQL metadata store; prefer the SEER_METADATA_PASSWORD variable.");
    public static final ConfigKey POOL_SIZE = new ConfigKey("metadata.pool-size", ConfigType.POSITIVE_INT, 4,
            "Most connections the metadata store opens.");
    public static final ConfigSection<MetadataConfig> SECTION = ConfigSection.of("metadata",
            v -> new MetadataConfig(v.text(URL), v.text(USERNAME), v.text(PASSWORD), v.number(POOL_SIZE)),
            URL, USERNAME, PASSWORD, POOL_SIZE);

    @Override
    public String toString() {
        return "MetadataConfig[url=" + url + ", username=" + username + ", password=***, poolSize=" + poolSize + "]";
    }
}
