package dev.seer.metadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The hashes of the audit log.
 *
 * <p>An entry's hash is SHA-256 over a canonical encoding: a version tag, the sequence number
 * and time as 8-byte big-endian integers, then actor, action, subject type, subject id and the
 * canonical JSON payload, each as a 4-byte length followed by its UTF-8 bytes, then the previous
 * entry's hash. Length prefixes make the encoding injective (no two field lists give the same
 * bytes), and including the previous hash chains every entry to all before it.
 *
 * <p>The Merkle tree over the log follows RFC 6962/9162 section 2.1: a leaf is
 * {@code SHA-256(0x00 || entry hash)} and an interior node {@code SHA-256(0x01 || left || right)};
 * the distinct prefixes keep a leaf from being passed off as a node.
 */
final class AuditHashing {
    static final int HASH_BYTES = 32;
    static final byte[] GENESIS = new byte[HASH_BYTES];
    private static final byte[] VERSION = "seer-audit-v1".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(AuditHashing::newDigest);

    private AuditHashing() {}

    static byte[] entryHash(long seq, long timeMicros, String actor, String action, String subjectType,
            String subjectId, String payload, byte[] prevHash) {
        return entryHash(seq, timeMicros, utf8(actor), utf8(action), utf8(subjectType), utf8(subjectId), utf8(payload),
                prevHash);
    }

    /** The same hash from the fields' UTF-8 bytes, as a verify pass reads them without decoding. */
    static byte[] entryHash(long seq, long timeMicros, byte[] actor, byte[] action, byte[] subjectType,
            byte[] subjectId, byte[] payload, byte[] prevHash) {
        MessageDigest digest = SHA256.get();
        digest.update(VERSION);
        updateLong(digest, seq);
        updateLong(digest, timeMicros);
        updateBytes(digest, actor);
        updateBytes(digest, action);
        updateBytes(digest, subjectType);
        updateBytes(digest, subjectId);
        updateBytes(digest, payload);
        digest.update(prevHash);
        return digest.digest();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] leafHash(byte[] entryHash) {
        MessageDigest digest = SHA256.get();
        digest.update((byte) 0x00);
        digest.update(entryHash);
        return digest.digest();
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = SHA256.get();
        digest.update((byte) 0x01);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** {@link #nodeHash} over two hashes in {@code level}, written into {@code out} at {@code outOffset}. */
    static void nodeHash(byte[] level, int leftOffset, int rightOffset, byte[] out, int outOffset) {
        MessageDigest digest = SHA256.get();
        digest.update((byte) 0x01);
        digest.update(level, leftOffset, HASH_BYTES);
        digest.update(level, rightOffset, HASH_BYTES);
        try {
            digest.digest(out, outOffset, HASH_BYTES);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 output did not fit 32 bytes", e);
        }
    }

    static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static void updateLong(MessageDigest digest, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (value >>> shift));
        }
    }

    private static void updateBytes(MessageDigest digest, byte[] bytes) {
        int length = bytes.length;
        digest.update((byte) (length >>> 24));
        digest.update((byte) (length >>> 16));
        digest.update((byte) (length >>> 8));
        digest.update((byte) length);
        digest.update(bytes);
    }

    private static MessageDigest newDigest() {
        return dev.seer.core.Sha256.digest();
    }
}
