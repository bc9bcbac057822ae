package dev.seer.features;

import dev.seer.core.Times;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ISO-8601 times of streamed records, as epoch microseconds. Every record's timestamp is parsed,
 * so the common forms ({@code 2026-03-01T10:00:00Z}, with a fraction, with {@code +hh:mm}, with
 * a space for the T, without an offset meaning UTC) are read by hand, several times faster than
 * {@link java.time.format.DateTimeFormatter}; anything else of {@link #FORM} goes to java.time,
 * which decides.
 *
 * <p>Internal to seer-features: public only so that online, ingest and stream can reach it; no
 * other module uses it (ArchitectureTest keeps it so).
 */
public final class IsoTimes {
    /**
     * The forms of a time that both java.time and DuckDB (which checks the batches of streamed
     * records again) read, as a regular expression both understand: a four-digit year, an upper
     * case T (or a space when there is no offset), seconds before an offset, an offset of at most
     * 18 hours in {@code ±HH:MM}. Outside it they disagree: java.time alone reads {@code t},
     * {@code z}, {@code +10000-01-01}, {@code +0530} or {@code 10:00Z}; DuckDB alone
     * {@code 2026-03-01}, {@code ... UTC}, {@code infinity}, {@code 24:00:00}, {@code +19:00} or ten
     * fraction digits.
     */
    private static final String HH_MM = "([01][0-9]|2[0-3]):[0-5][0-9]";
    public static final String FORM = "[0-9]{4}-[0-9]{2}-[0-9]{2}(T" + HH_MM + "(:[0-5][0-9](\\.[0-9]{1,9})?)?"
            + "|T" + HH_MM + ":[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-](0[0-9]|1[0-7]):[0-5][0-9]|[+-]18:00)"
            + "| " + HH_MM + "(:[0-5][0-9](\\.[0-9]{1,9})?)?)";
    private static final Pattern FORM_PATTERN = Pattern.compile(FORM);

    private IsoTimes() {}

    /** The time, or empty if it is not ISO-8601 or lies beyond what epoch microseconds in a long can hold. */
    public static Optional<Instant> parse(String text) {
        long micros = fast(text);
        if (micros != Long.MIN_VALUE) {
            return Optional.of(Times.ofMicros(micros));
        }
        if (!FORM_PATTERN.matcher(text).matches()) {
            return Optional.empty(); // java.time or DuckDB would not read it: the other side would judge it otherwise
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                instant = LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
        return Math.abs(instant.getEpochSecond()) < Long.MAX_VALUE / 1_000_000 - 1 ? Optional.of(instant) : Optional.empty();
    }

    /** Epoch micros of a time that {@link #parse} accepts; throws otherwise. */
    public static long micros(String text) {
        long micros = fast(text);
        if (micros != Long.MIN_VALUE) {
            return micros;
        }
        Instant instant = parse(text).orElseThrow(() -> new IllegalArgumentException("not an ISO-8601 time: " + text));
        return Times.toMicros(instant);
    }

    /** {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}][Z|±HH:MM]}, checked field by field; MIN_VALUE when not this form. */
    private static long fast(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        long fractionMicros = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            long fraction = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') { // ASCII only, as java.time reads them
                fraction = fraction * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 9) {
                    return Long.MIN_VALUE;
                }
            }
            int length = i - start;
            if (length == 0) {
                return Long.MIN_VALUE;
            }
            for (int d = length; d < 9; d++) {
                fraction *= 10;
            }
            fractionMicros = fraction / 1000; // nanoseconds below a microsecond are dropped, as everywhere in Seer
        }
        int offsetSeconds = 0;
        if (i < n && s.charAt(10) == ' ') {
            return Long.MIN_VALUE; // a space for the T is read only without an offset (as a UTC local time)
        }
        if (i < n) {
            char c = s.charAt(i);
            if (c == 'Z' && i == n - 1) {
                offsetSeconds = 0;
            } else if ((c == '+' || c == '-') && n - i == 6 && s.charAt(i + 3) == ':') {
                int hours = digits(s, i + 1, 2);
                int minutes = digits(s, i + 4, 2);
                if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
                    return Long.MIN_VALUE;
                }
                offsetSeconds = (c == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
            } else {
                return Long.MIN_VALUE;
            }
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        long seconds = days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000_000 + fractionMicros;
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
