package dev.seer.core.home;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeerHomeTest {
    private static final Instant START = Instant.parse("2026-03-01T10:15:30Z");
    private static final Clock CLOCK = Clock.fixed(START, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void locatePrefersTheFlagThenTheVariableThenTheDefault() {
        assertThat(SeerHome.locate("/a", Map.of("SEER_HOME", "/b"))).isEqualTo(Path.of("/a"));
        assertThat(SeerHome.locate(null, Map.of("SEER_HOME", "/b"))).isEqualTo(Path.of("/b"));
        assertThat(SeerHome.locate(null, Map.of())).isEqualTo(Path.of(".seer"));
    }

    @Test
    void createWritesTheDefaultConfigOnce() {
        SeerHome home = SeerHome.create(dir.resolve("home"));
        assertThat(home.configFile()).exists();
        assertThatThrownBy(() -> SeerHome.create(dir.resolve("home")))
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.HOME_ALREADY_INITIALISED));
    }

    @Test
    void openingAnUninitialisedHomeSaysToRunInit() {
        assertThatThrownBy(() -> SeerHome.open(dir.resolve("nothing")))
                .hasMessageContaining("run `seer init` first")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.HOME_NOT_INITIALISED));
    }

    @Test
    void aSecondOwnerIsRefusedWithTheHoldersPid() {
        SeerHome home = SeerHome.create(dir.resolve("home"));
        try (HomeLock lock = home.lock("server", CLOCK)) {
            lock.publishUrl("http://127.0.0.1:1234");
            assertThatThrownBy(() -> home.lock("init", CLOCK))
                    .isInstanceOf(SeerException.class)
                    .hasMessageContaining("process " + ProcessHandle.current().pid())
                    .hasMessageContaining("seer server")
                    .hasMessageContaining("http://127.0.0.1:1234")
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.HOME_LOCKED));
            assertThat(home.owner()).get().extracting(HomeOwner::url).isEqualTo("http://127.0.0.1:1234");
        }
        assertThat(home.owner()).isEmpty();
        assertThat(Files.exists(home.runDirectory().resolve("owner.json"))).isFalse();
        try (HomeLock again = home.lock("init", CLOCK)) {
            assertThat(again.owner().command()).isEqualTo("init");
        }
    }

    @Test
    void theOwnerRecordSaysSinceWhenByTheInjectedClock() throws Exception {
        SeerHome home = SeerHome.create(dir.resolve("home"));
        try (HomeLock lock = home.lock("server", CLOCK)) {
            assertThat(lock.owner().since()).isEqualTo(START);
            assertThat(Files.readString(home.runDirectory().resolve("owner.json")))
                    .contains("\"since\":\"" + START + "\"");
        }
    }
}
