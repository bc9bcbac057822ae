package dev.seer.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsCarryTheirPrefixAndSortByTime() {
        Ids early = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        Ids late = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:01Z"), ZoneOffset.UTC));
        String a = early.next("tok");
        String b = late.next("tok");
        assertThat(a).startsWith("tok_").hasSize(4 + 26).matches("tok_[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(a.compareTo(b)).isNegative();
    }

    @Test
    void idsAtTheSameMillisecondDiffer() {
        Ids ids = new Ids(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(ids.next("x"))).isTrue();
        }
    }
}
