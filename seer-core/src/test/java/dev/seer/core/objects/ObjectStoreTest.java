package dev.seer.core.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content-addressed objects: stored once by hash, served only while the hash holds, named only by a hash. */
class ObjectStoreTest {
    @TempDir
    Path dir;

    private ObjectStore store() {
        return new ObjectStore(dir.resolve("objects"), "Test objects", new ObjectStore.Errors(CoreErrorCode.INVALID_ARGUMENT,
                CoreErrorCode.UNSUPPORTED_FORMAT, CoreErrorCode.HOME_IO));
    }

    @Test
    void equalContentIsStoredOnceAndReadBackByItsHash() throws Exception {
        ObjectStore store = store();
        Path file = Files.writeString(dir.resolve("a.txt"), "model bytes");
        ObjectStore.Stored first = store.copyIn(file, n -> { });
        ObjectStore.Stored again = store.copyIn(Files.writeString(dir.resolve("b.txt"), "model bytes"), n -> { });
        assertThat(first.sha256()).isEqualTo(Sha256.hex("model bytes")).isEqualTo(again.sha256());
        assertThat(first.existed()).isFalse();
        assertThat(again.existed()).isTrue();
        assertThat(store.all()).containsExactly(first.sha256());
        Path out = dir.resolve("out.txt");
        store.copyOut(first.sha256(), out);
        assertThat(Files.readString(out)).isEqualTo("model bytes");
    }

    @Test
    void aChangedObjectIsRefusedAndNotServed() throws Exception {
        ObjectStore store = store();
        String hash = store.copyIn(Files.writeString(dir.resolve("a.txt"), "model bytes"), n -> { }).sha256();
        Path stored = store.path(hash);
        stored.toFile().setWritable(true);
        Files.write(stored, "model bytez".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.check(hash)).hasMessageContaining("is corrupted");
        Path out = dir.resolve("out.txt");
        assertThatThrownBy(() -> store.copyOut(hash, out)).hasMessageContaining("is corrupted");
        assertThat(out).doesNotExist();
    }

    @Test
    void aNameThatIsNotAHashNeverReachesTheFileSystem() {
        ObjectStore store = store();
        for (String name : List.of("../../etc/passwd", "/etc/passwd", "..%2F..%2Fetc", "%2e%2e/x", "ab\\..\\..\\x",
                "a".repeat(63) + "\u0000", "A".repeat(64), "g".repeat(64), "a".repeat(65), "", "file:/etc/passwd")) {
            assertThatThrownBy(() -> store.path(name)).as(name).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                    .hasMessageContaining("is not a SHA-256");
            assertThatThrownBy(() -> store.check(name)).as(name).hasMessageContaining("is not a SHA-256");
        }
        assertThat(store.contains("a".repeat(64))).isFalse();
    }
}
