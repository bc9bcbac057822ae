package dev.seer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
    @Test
    void epochAndOrdinaryTimesRoundTrip() {
        assertThat(Times.toMicros(Instant.EPOCH)).isZero();
        Instant time = Instant.parse("2026-03-01T10:00:00.123456Z");
        assertThat(Times.toMicros(time)).isEqualTo(1_772_359_200_123_456L);
        assertThat(Times.ofMicros(Times.toMicros(time))).isEqualTo(time);
    }

    @Test
    void negativeEpochRoundsTowardsThePast() {
        assertThat(Times.toMicros(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo(-1);
        assertThat(Times.toMicros(Instant.EPOCH.minusNanos(1))).isEqualTo(-1);
        assertThat(Times.ofMicros(-1)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(Times.ofMicros(-1_500_000)).isEqualTo(Instant.parse("1969-12-31T23:59:58.500Z"));
    }

    @Test
    void nanosBelowAMicrosecondAreDropped() {
        assertThat(Times.toMicros(Instant.ofEpochSecond(1, 999))).isEqualTo(1_000_000);
        assertThat(Times.toMicros(Instant.ofEpochSecond(1, 1_999))).isEqualTo(1_000_001);
        assertThat(Times.toMicros(Instant.ofEpochSecond(-1, 999))).isEqualTo(-1_000_000);
    }

    @Test
    void theExtremesOfALongAreInstants() {
        assertThat(Times.toMicros(Times.ofMicros(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Times.toMicros(Times.ofMicros(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void instantsBeyondALongAreRefused() {
        assertThatThrownBy(() -> Times.toMicros(Instant.MAX))
                .isInstanceOf(SeerException.class)
                .hasMessageContaining("[" + Instant.MAX + "]")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> Times.toMicros(Instant.MIN)).isInstanceOf(SeerException.class);
        assertThatThrownBy(() -> Times.toMicros(Times.ofMicros(Long.MAX_VALUE).plusNanos(1000))).isInstanceOf(SeerException.class);
    }
}
