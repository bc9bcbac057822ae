package dev.seer.core;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Identifiers: a short type prefix and a ULID-like body (48 bits of milliseconds then 80 random
 * bits, Crockford base32), so ids sort by creation time and say what they name: {@code tok_01J...}.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    public Ids(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public String next(String prefix) {
        requireNonNull(prefix, "prefix is null");
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        char[] body = new char[26];
        long millis = clock.millis();
        for (int i = 9; i >= 0; i--) {
            body[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        long bits = 0;
        int bitCount = 0;
        int out = 10;
        for (byte b : random) {
            bits = (bits << 8) | (b & 0xFF);
            bitCount += 8;
            while (bitCount >= 5) {
                body[out++] = ALPHABET[(int) ((bits >>> (bitCount - 5)) & 31)];
                bitCount -= 5;
            }
        }
        return prefix + "_" + new String(body);
    }
}
