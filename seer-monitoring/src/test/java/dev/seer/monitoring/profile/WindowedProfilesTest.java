package dev.seer.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowedProfilesTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final List<Profile.Column> SCHEMA = List.of(Profile.Column.numeric("x"), Profile.Column.categorical("c"));

    private static WindowedProfiles hourly(Duration retention) {
        return new WindowedProfiles(SCHEMA, Profile.Settings.DEFAULT, WindowedProfiles.DEFAULT_WINDOW, retention);
    }

    /** Rows at 10:00, 10:30, 11:15, 13:59:59.999 with x = 1, 2, 3, 4. */
    private static WindowedProfiles fourRows() {
        WindowedProfiles windows = hourly(Duration.ofDays(1));
        windows.update(T0, new Object[] {1.0, "a"});
        windows.update(T0.plus(Duration.ofMinutes(30)), new Object[] {2.0, "b"});
        windows.update(T0.plus(Duration.ofMinutes(75)), new Object[] {3.0, "a"});
        windows.update(T0.plus(Duration.ofHours(4)).minusMillis(1), new Object[] {4.0, null});
        return windows;
    }

    @Test
    void rowsFallIntoEpochAlignedWindows() {
        assertThat(fourRows().windowStarts()).containsExactly(T0, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(3)));
    }

    @Test
    void aRangeMergesTheWindowsItOverlaps() {
        WindowedProfiles windows = fourRows();

        Profile all = windows.range(T0, T0.plus(Duration.ofHours(4))).orElseThrow();
        assertThat(all.numeric("x").count()).isEqualTo(4);
        assertThat(all.numeric("x").mean()).isEqualTo(2.5);
        assertThat(all.categorical("c").estimate("a")).isEqualTo(2);
        assertThat(all.categorical("c").missing()).isEqualTo(1);

        Profile firstTwo = windows.range(T0, T0.plus(Duration.ofHours(2))).orElseThrow();
        assertThat(firstTwo.numeric("x").max()).isEqualTo(3.0);

        // 10:45 to 11:05 overlaps both the 10:00 and the 11:00 window, which count whole
        Profile overlap = windows.range(T0.plus(Duration.ofMinutes(45)), T0.plus(Duration.ofMinutes(65))).orElseThrow();
        assertThat(overlap.numeric("x").count()).isEqualTo(3);

        // the end is exclusive: a range ending at 11:00 does not reach the 11:00 window
        assertThat(windows.range(T0, T0.plus(Duration.ofHours(1))).orElseThrow().numeric("x").count()).isEqualTo(2);
    }

    @Test
    void aRangeWithoutWindowsIsExplicitlyEmpty() {
        WindowedProfiles windows = fourRows();

        assertThat(windows.range(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)))).isEqualTo(Optional.empty());
        assertThat(windows.range(T0.minus(Duration.ofDays(2)), T0)).isEmpty();
        assertThat(hourly(Duration.ofDays(1)).range(T0, T0.plus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void aRangeIsACopyTheWriterDoesNotChange() {
        WindowedProfiles windows = fourRows();
        Profile before = windows.range(T0, T0.plus(Duration.ofHours(1))).orElseThrow();

        windows.update(T0.plus(Duration.ofMinutes(5)), new Object[] {100.0, "z"});

        assertThat(before.numeric("x").max()).isEqualTo(2.0);
        assertThat(windows.range(T0, T0.plus(Duration.ofHours(1))).orElseThrow().numeric("x").max()).isEqualTo(100.0);
    }

    @Test
    void windowsOlderThanTheRetentionAreEvicted() {
        WindowedProfiles windows = hourly(Duration.ofHours(2));
        windows.update(T0, new Object[] {1.0, "a"});
        windows.update(T0.plus(Duration.ofHours(1)), new Object[] {2.0, "a"});

        // the 10:00 window ends at 11:00, kept until 13:00 by the clock given to evict
        windows.update(T0.plus(Duration.ofHours(3)).minusMillis(1), new Object[] {3.0, "a"});
        assertThat(windows.evict(T0.plus(Duration.ofHours(3)).minusMillis(1))).isZero();
        assertThat(windows.windowStarts()).hasSize(3);
        windows.update(T0.plus(Duration.ofHours(3)), new Object[] {4.0, "a"});
        assertThat(windows.evict(T0.plus(Duration.ofHours(3)))).isEqualTo(1);
        assertThat(windows.windowStarts()).containsExactly(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)),
                T0.plus(Duration.ofHours(3)));

        // a late row for an evicted window is counted as dropped, not resurrecting the window
        windows.update(T0.plus(Duration.ofMinutes(10)), new Object[] {5.0, "a"});
        assertThat(windows.droppedLate()).isEqualTo(1);
        assertThat(windows.range(T0, T0.plus(Duration.ofHours(1)))).isEmpty();

        assertThat(windows.evict(T0.plus(Duration.ofHours(10)))).isEqualTo(3);
        assertThat(windows.windowStarts()).isEmpty();
    }

    @Test
    void aRowStampedFarInTheFutureEvictsNothing() {
        WindowedProfiles windows = hourly(Duration.ofHours(2));
        windows.update(T0, new Object[] {1.0, "a"});
        windows.update(T0.plus(Duration.ofDays(365)), new Object[] {2.0, "a"}); // a bad clock upstream
        windows.update(T0.plus(Duration.ofMinutes(5)), new Object[] {3.0, "a"});
        assertThat(windows.droppedLate()).isZero();
        assertThat(windows.range(T0, T0.plus(Duration.ofHours(1))).orElseThrow().numeric("x").count()).isEqualTo(2);
    }

    @Test
    void badArgumentsAreClearErrors() {
        WindowedProfiles windows = fourRows();

        assertThatThrownBy(() -> windows.range(T0, T0))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("must be before its end");
        assertThatThrownBy(() -> new WindowedProfiles(SCHEMA, Profile.Settings.DEFAULT, Duration.ofHours(1), Duration.ofMinutes(30)))
                .hasMessage("Retention [PT30M] must be at least one window [PT1H]");
        assertThatThrownBy(() -> new WindowedProfiles(SCHEMA, Profile.Settings.DEFAULT, Duration.ZERO, Duration.ofMinutes(30)))
                .hasMessageContaining("at least one millisecond");
        assertThatThrownBy(() -> windows.update(T0, new Object[] {1.0}))
                .hasMessage("Row has [1] values, the schema [2] columns");
    }
}
