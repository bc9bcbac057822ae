package dev.seer.serving.log;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A Bloom filter (Bloom 1970) of the entity keys and values in one segment, so a query by entity
 * reads only the segments that may hold it: feedback asks for an entity's latest prediction,
 * and an entity the log never saw must not cost a read of every segment. Each {@code key=value}
 * pair is hashed once to 64 bits and the k bit positions derived by double hashing (Kirsch and
 * Mitzenmacher 2006). Sized at one bit per 16 bytes of segment: about 8 bits per pair for
 * records of a few hundred bytes with one or two keys, and k = 5, a false-positive rate near 2 %.
 *
 * <p>The writer thread sets bits before it publishes the batch's summary (a volatile write) and
 * readers read the summary first, so a reader sees every pair of the batches it reads.
 */
final class EntityFilter {
    private static final int K = 5;

    private final long[] words;

    EntityFilter(long[] words) {
        this.words = words;
    }

    static EntityFilter forBytes(long segmentBytes) {
        long bits = Math.max(1024, segmentBytes / 16);
        return new EntityFilter(new long[Math.toIntExact((bits + 63) / 64)]);
    }

    long[] words() {
        return words;
    }

    void add(Map<String, String> entity) {
        long bits = words.length * 64L;
        entity.forEach((k, v) -> {
            long h = hash(k, v);
            long h2 = mix(h ^ 0x9E3779B97F4A7C15L) | 1;
            for (int i = 0; i < K; i++) {
                long bit = Math.floorMod(h + i * h2, bits);
                words[(int) (bit >>> 6)] |= 1L << bit;
            }
        });
    }

    /** False only when some pair of {@code entity} is certainly in no record of the segment. */
    boolean mayContain(Map<String, String> entity) {
        long bits = words.length * 64L;
        for (Map.Entry<String, String> e : entity.entrySet()) {
            long h = hash(e.getKey(), e.getValue());
            long h2 = mix(h ^ 0x9E3779B97F4A7C15L) | 1;
            for (int i = 0; i < K; i++) {
                long bit = Math.floorMod(h + i * h2, bits);
                if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** FNV-1a over {@code key 0 value} in UTF-8, then a SplitMix64 finaliser to spread the bits. */
    private static long hash(String key, String value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        h = (h ^ 0) * 0x100000001b3L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
