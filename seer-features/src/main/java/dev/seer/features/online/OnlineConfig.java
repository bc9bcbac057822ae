package dev.seer.features.online;

import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;

/**
 * The online store: the {@code online} section. {@code type} names the backend, which the wiring
 * picks from its map of known ones; Redis keys start with {@code redisPrefix}.
 */
public record OnlineConfig(String type, String redisUrl, String redisPrefix) {
    public static final ConfigKey TYPE = new ConfigKey("online.type", ConfigType.STRING, "rocksdb",
            "The online store: rocksdb (in the home) or redis.");
    public static final ConfigKey REDIS_URL = new ConfigKey("online.redis-url", ConfigType.STRING,
            "redis://127.0.0.1:6379", "Where Redis listens, when online.type is redis.");
    public static final ConfigKey REDIS_PREFIX = new ConfigKey("online.redis-prefix", ConfigType.STRING, "seer:",
            "Prefix of every Redis key of this home, so that several homes can share one Redis.");
    public static final ConfigSection<OnlineConfig> SECTION = ConfigSection.of("online",
            v -> new OnlineConfig(v.text(TYPE), v.text(REDIS_URL), v.text(REDIS_PREFIX)), TYPE, REDIS_URL, REDIS_PREFIX);
}
