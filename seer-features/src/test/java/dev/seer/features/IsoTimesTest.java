package dev.seer.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written parser reads every time of {@link IsoTimes#FORM} as java.time does (to the
 * microsecond), and refuses what it refuses; outside the form (what java.time and DuckDB do not
 * both read) it refuses all.
 */
class IsoTimesTest {
    @Test
    void aTimeThatDuckDbCannotReadIsRefused() {
        // java.time reads all of these; DuckDB, which checks the batches of streamed records again, none
        assertThat(IsoTimes.parse("+300000-01-01T00:00:00Z")).isEmpty();
        assertThat(IsoTimes.parse("+10000-01-01T00:00:00Z")).isEmpty();
        assertThat(IsoTimes.parse("2026-03-01t10:00:00Z")).isEmpty();
        assertThat(IsoTimes.parse("2026-03-01T10:00:00z")).isEmpty();
        assertThat(IsoTimes.parse("9999-12-31T23:59:59Z")).contains(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void agreesWithJavaTimeOnRandomAndAwkwardTimes() {
        Random random = new Random(3);
        List<String> awkward = List.of("2026-02-29T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "2026-13-01T00:00:00Z",
                "2026-03-01T24:00:00Z", "2026-03-01T10:00:00+05:30", "2026-03-01T10:00:00-00:45", "2026-03-01 10:00:00",
                "2026-03-01T10:00:00", "2026-03-01T10:00Z", "2026-03-01T10:00:00+0530", "2026-03-01T10:00:00.Z",
                "2026-03-01T10:00:00.1234567891Z", "2026-03-01T10:00:60Z", "1969-12-31T23:59:59.5Z", "0001-01-01T00:00:00Z",
                "2026-03-01T10:00:00ZZ", "2026-03-01T1a:00:00Z", "not a time", "2026-03-01T10:00:00+19:00",
                "2026-03-01 10:00:00Z", "2026-03-01 10:00:00+02:00", "2026-03-01T10:00:00+18:00", "2026-03-01T10:00:00+18:01",
                "2026-03-01T10:00:00-18:59", "2026-03-01T10:00:00.\u0665Z", "2026-03-01T10:00:00.5\u0665Z",
                "2026-03-01 10:00:00.25");
        for (String text : awkward) {
            assertThat(IsoTimes.parse(text)).as(text).isEqualTo(javaTime(text));
        }
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-5_000_000_000L, 5_000_000_000L), random.nextInt(1_000_000_000));
            int offset = (random.nextInt(37) - 18) * 1800;
            String text = OffsetDateTime.ofInstant(instant, ZoneOffset.ofTotalSeconds(offset)).toString();
            assertThat(IsoTimes.parse(text)).as(text).isEqualTo(javaTime(text));
        }
    }

    @Test
    void aTimeWithAnOffsetAndNoSecondsIsRefusedAsDuckDbRefusesIt() {
        assertThat(IsoTimes.parse("2026-03-01T10:00Z")).isEmpty();
        assertThat(IsoTimes.parse("2026-03-01T10:00+05:30")).isEmpty();
        assertThat(IsoTimes.parse("2026-03-01T10:00")).contains(Instant.parse("2026-03-01T10:00:00Z"));
    }

    /** java.time's reading, but for the forms DuckDB (the offline store) reads otherwise or not at all. */
    private static Optional<Instant> javaTime(String text) {
        if (!text.matches(IsoTimes.FORM)) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }
}
