package dev.seer.serving.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.testing.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PredictionIdsTest {
    @Test
    void idsIncreaseWithinAMillisecondAndAcrossTimeEvenWhenTheClockStepsBack() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));
        PredictionIds ids = new PredictionIds(clock);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            made.add(ids.next());
            if (i % 100 == 0) {
                clock.advance(Duration.ofMillis(i % 200 == 0 ? 3 : -2));
            }
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theTimeLeadsTheIdLikeAUlid() {
        String id = new PredictionIds(new MutableClock(Instant.ofEpochMilli(1_469_918_176_385L))).next();
        assertThat(id).startsWith("prd_01ARYZ6S41"); // the ULID specification's example time
    }

    @Test
    void formatAndParseAreInversesAndStringOrderIsNumericOrder() {
        SplittableRandom random = new SplittableRandom(17);
        List<BigInteger> values = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long hi = random.nextLong();
            long lo = i % 3 == 0 ? -1 : random.nextLong();
            String id = PredictionIds.format(hi, lo);
            assertThat(PredictionIds.parse(id)).containsExactly(hi, lo);
            values.add(new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo))));
        }
        List<String> byNumber = values.stream().sorted().map(v -> PredictionIds.format(v.shiftRight(64).longValue(), v.longValue())).toList();
        assertThat(byNumber).isSorted();
    }

    @Test
    void malformedIdsAreRefused() {
        for (String bad : new String[] {"prd_", "tok_01ARYZ6S41TSV4RRFFQ69G5FAV", "prd_01ARYZ6S41TSV4RRFFQ69G5FAI", "prd_81ARYZ6S41TSV4RRFFQ69G5FAV"}) {
            assertThatThrownBy(() -> PredictionIds.parse(bad)).isInstanceOf(SeerException.class).hasMessageContaining(bad);
        }
    }
}
