package dev.seer.metadata;

import dev.seer.core.Times;
import java.sql.ResultSet;
import java.sql.SQLException;

/** An audit row as read from the database, before any check. */
record StoredRow(long seq, long timeMicros, String actor, String action, String subjectType, String subjectId,
        String payload, byte[] prevHash, byte[] hash) {

    static final String COLUMNS = "seq, ts_micros, actor, action, subject_type, subject_id, payload, prev_hash, hash";

    static StoredRow read(ResultSet rs) throws SQLException {
        return new StoredRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9));
    }

    /** The hash this row's content gives; differs from {@link #hash} when the row was edited. */
    byte[] recomputeHash() {
        return AuditHashing.entryHash(seq, timeMicros, actor, action, subjectType, subjectId, payload,
                prevHash == null ? AuditHashing.GENESIS : prevHash);
    }

    AuditEntry toEntry() {
        return new AuditEntry(seq, Times.ofMicros(timeMicros), actor, action, subjectType, subjectId, payload,
                AuditHashing.hex(prevHash), AuditHashing.hex(hash));
    }

}
