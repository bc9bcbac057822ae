package dev.seer.metadata;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * An audit row as a verify pass reads it: text columns as their stored UTF-8 bytes. Skipping the
 * decode to String and the re-encode for hashing roughly halves the cost of reading the log.
 */
record RawRow(long seq, long timeMicros, byte[] actor, byte[] action, byte[] subjectType, byte[] subjectId,
        byte[] payload, byte[] prevHash, byte[] hash) {

    static RawRow read(ResultSet rs) throws SQLException {
        return new RawRow(rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4), rs.getBytes(5), rs.getBytes(6),
                rs.getBytes(7), rs.getBytes(8), rs.getBytes(9));
    }

    byte[] recomputeHash() {
        return AuditHashing.entryHash(seq, timeMicros, actor, action, subjectType, subjectId, payload,
                prevHash == null ? AuditHashing.GENESIS : prevHash);
    }
}
