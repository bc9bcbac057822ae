package dev.seer.features;

import dev.seer.core.SeerException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import redis.clients.jedis.JedisPooled;

/**
 * The same contract against a real Redis ({@code SEER_TEST_REDIS_URL}, default 127.0.0.1:6379),
 * under a key prefix of its own that is deleted afterwards. Outside CI a missing Redis skips
 * with the reason; under CI it fails.
 */
@Tag("integration")
class RedisOnlineStoreTest extends OnlineStoreContract {
    static final String URL = System.getenv().getOrDefault("SEER_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    final String prefix = "seer-test-" + UUID.randomUUID() + ":";

    @Override
    OnlineStore open() {
        try {
            return new RedisOnlineStore(URL, prefix);
        } catch (SeerException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("Redis is not reachable at " + URL + " (CI must provide it)", e);
            }
            Assumptions.abort("Redis is not reachable at " + URL + ": " + e.getMessage());
            return null;
        }
    }

    @AfterEach
    void dropKeys() {
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(URL))) {
            redis.keys(prefix + "*").forEach(redis::del);
        } catch (RuntimeException ignored) {
            // nothing was written if Redis was never reached
        }
    }
}
