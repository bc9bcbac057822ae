package dev.seer.features.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbOnlineStoreTest extends OnlineStoreContract {
    @TempDir
    Path dir;

    @Override
    OnlineStore open() {
        return new RocksDbOnlineStore(dir.resolve("online"));
    }

    @Test
    void recordsSurviveReopening() {
        store.write("stats", List.of(record("1", 5, 6, "{}")));
        store.close();
        store = open();
        assertThat(store.read("stats", List.of("1")).get(0)).contains(record("1", 5, 6, "{}"));
    }
}
