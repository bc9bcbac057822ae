package dev.seer.core;

import java.time.Instant;
import java.util.Map;

/**
 * Instants as epoch microseconds, the one time unit Seer stores (SQLite and PostgreSQL rows,
 * online records, DuckDB {@code TIMESTAMP}). Nanoseconds below a microsecond are dropped towards
 * the past ({@code floor}), so one instant always maps to the same microsecond whatever its sign
 * and a stored time is never later than the time it records.
 */
public final class Times {
    private static final long MICROS_PER_SECOND = 1_000_000;

    private Times() {}

    /**
     * Epoch microseconds of an instant, rounded down. Instants beyond what a long can hold (about
     * ±292,000 years from 1970) are refused, rather than wrapped into another time.
     */
    public static long toMicros(Instant instant) {
        long seconds = instant.getEpochSecond();
        long micros = instant.getNano() / 1000;
        try {
            if (seconds < 0 && micros > 0) { // the second after, so that Long.MIN_VALUE itself is reachable
                return Math.addExact(Math.multiplyExact(seconds + 1, MICROS_PER_SECOND), micros - MICROS_PER_SECOND);
            }
            return Math.addExact(Math.multiplyExact(seconds, MICROS_PER_SECOND), micros);
        } catch (ArithmeticException e) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                    "Time [" + instant + "] is beyond what epoch microseconds can hold", Map.of("time", instant.toString()), e);
        }
    }

    /** The instant of epoch microseconds; every long is one. */
    public static Instant ofMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
    }
}
