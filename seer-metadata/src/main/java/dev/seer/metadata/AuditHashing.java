package dev.seer.metadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        MessageDigest digest = SHA256.get();
        digest.update(VERSION);
        updateLong(digest, seq);
        updateLong(digest, timeMicros);
        updateString(digest, actor);
        updateString(digest, action);
        updateString(digest, subjectType);
        updateString(digest, subjectId);
        updateString(digest, payload);
        digest.update(prevHash);
        return digest.digest();
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

    static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static void updateLong(MessageDigest digest, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            digest.update((byte) (value >>> shift));
        }
    }

    private static void updateString(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int length = bytes.length;
        digest.update((byte) (length >>> 24));
        digest.update((byte) (length >>> 16));
        digest.update((byte) (length >>> 8));
        digest.update((byte) length);
        digest.update(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
