package dev.seer.features.online;

import static dev.seer.features.offline.PointInTimeJoin.NO_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.features.FeatureErrorCode;
import dev.seer.testing.PrivateRedis;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis store against a Redis process of the test's own, killed and started again empty: an
 * outage is a 503 naming the store and the operation (not an internal error), and the same store
 * object works again once Redis is back, with no reopening.
 */
@Tag("integration")
class RedisOutageTest {
    @TempDir
    Path dir;

    PrivateRedis redis;
    RedisOnlineStore store;

    @BeforeEach
    void start() throws Exception {
        redis = PrivateRedis.start(dir.resolve("redis"));
        store = new RedisOnlineStore(redis.url(), "seer:");
    }

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aStoppedRedisIsUnavailableForReadsAndWritesAndServesAgainOnceRestarted() throws Exception {
        OnlineRecord record = new OnlineRecord("1", 10, NO_TIME, "{\"spend\":1.5}");
        store.write("stats", List.of(record));
        assertThat(store.read("stats", List.of("1"))).containsExactly(Optional.of(record));

        redis.kill();
        assertUnreachable(() -> store.read("stats", List.of("1")), "read");
        assertUnreachable(() -> store.write("stats", List.of(record)), "write");

        redis.restart();
        assertThat(store.read("stats", List.of("1"))).as("restarted empty").containsExactly(Optional.empty());
        store.write("stats", List.of(record)); // the write script is loaded again: Redis forgot it
        assertThat(store.read("stats", List.of("1"))).containsExactly(Optional.of(record));
    }

    private void assertUnreachable(Runnable operation, String name) {
        // The pool may hold connections opened before the kill; each failed one is dropped, so within a few tries
        // every attempt is refused at connect, which must be classed the same.
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThatThrownBy(operation::run).isInstanceOfSatisfying(SeerException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(FeatureErrorCode.ONLINE_STORE_UNREACHABLE);
                assertThat(e.errorCode().category()).isEqualTo(ErrorCategory.UNAVAILABLE);
                assertThat(e.getMessage()).contains("Redis online store [" + redis.url() + "] " + name + " failed");
                assertThat(e.details()).containsEntry("store", "redis").containsEntry("operation", name);
            });
        }
    }
}
