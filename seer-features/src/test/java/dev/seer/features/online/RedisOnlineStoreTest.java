package dev.seer.features.online;

import dev.seer.testing.TestRedis;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import redis.clients.jedis.JedisPooled;

/**
 * The same contract against a real Redis ({@code SEER_TEST_REDIS_URL}, default 127.0.0.1:6379),
 * under a key prefix of its own that is deleted afterwards. Outside CI a missing Redis skips
 * with the reason; under CI it fails.
 */
@Tag("integration")
class RedisOnlineStoreTest extends OnlineStoreContract {
    final String prefix = "seer-test-" + UUID.randomUUID() + ":";
    boolean opened;

    @Override
    OnlineStore open() {
        TestRedis.require();
        opened = true;
        return new RedisOnlineStore(TestRedis.URL, prefix);
    }

    @AfterEach
    void dropKeys() {
        if (!opened) {
            return;
        }
        try (JedisPooled redis = new JedisPooled(URI.create(TestRedis.URL))) {
            redis.keys(prefix + "*").forEach(redis::del);
        }
    }
}
