package dev.seer.serving.log;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/**
 * Prediction ids: {@code prd_} and a 26-character ULID (48 bits of epoch milliseconds, then 80
 * random bits, Crockford base32). They sort by time, so the log's index can be searched by id and
 * a range of segments skipped by it; the random bits make them unique across processes and
 * restarts without any coordination. Within one generator they are strictly increasing: ids made
 * in the same millisecond (or after the clock stepped back) count up from the previous one, as
 * the ULID specification's monotonic mode does.
 */
public final class PredictionIds {
    static final String PREFIX = "prd_";
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int BODY = 26;

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long millis = -1;
    private long high16;
    private long low64;

    public PredictionIds(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public synchronized String next() {
        long now = clock.millis();
        if (now > millis) {
            millis = now;
            high16 = random.nextInt() & 0xFFFF;
            low64 = random.nextLong();
        } else if (++low64 == 0 && (high16 = (high16 + 1) & 0xFFFF) == 0) {
            millis++; // 2^80 ids in one millisecond: borrow the next one rather than repeat
        }
        return format((millis << 16) | high16, low64);
    }

    /** The id of a 128-bit value, high then low 64 bits. */
    static String format(long hi, long lo) {
        char[] text = new char[PREFIX.length() + BODY];
        PREFIX.getChars(0, PREFIX.length(), text, 0);
        for (int i = 0; i < BODY; i++) {
            int shift = 125 - 5 * i;
            long bits;
            if (shift >= 64) {
                bits = hi >>> (shift - 64);
            } else if (shift + 5 <= 64) {
                bits = lo >>> shift;
            } else {
                bits = (lo >>> shift) | (hi << (64 - shift));
            }
            text[PREFIX.length() + i] = ALPHABET[(int) (bits & 31)];
        }
        return new String(text);
    }

    /** The 128-bit value of an id, {@code {hi, lo}}; an id not of this form is refused naming it. */
    static long[] parse(String id) {
        if (id == null || id.length() != PREFIX.length() + BODY || !id.startsWith(PREFIX)) {
            throw invalid(id);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < BODY; i++) {
            int v = value(id.charAt(PREFIX.length() + i));
            if (v < 0 || (i == 0 && v > 7)) { // 26 characters hold 130 bits; the top two must be zero
                throw invalid(id);
            }
            hi = (hi << 5) | (lo >>> 59);
            lo = (lo << 5) | v;
        }
        return new long[] {hi, lo};
    }

    static boolean isValid(String id) {
        try {
            parse(id);
            return true;
        } catch (SeerException e) {
            return false;
        }
    }

    private static int value(char c) {
        for (int v = 0; v < ALPHABET.length; v++) {
            if (ALPHABET[v] == c) {
                return v;
            }
        }
        return -1;
    }

    private static SeerException invalid(String id) {
        return new SeerException(ServingErrorCode.INVALID_INPUT, "Prediction id [" + id
                + "] must be prd_ and 26 characters of Crockford base32", Map.of("field", "id"));
    }
}
