package dev.seer.serving.log;

import dev.seer.core.Sha256;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/** One batch as read from a segment: its whole bytes (header and records), already checked frame by frame. */
record Batch(Path file, long offset, long number, int count, byte[] bytes) {
    /** Visits each record: its offset in the file and its payload. */
    interface RecordVisitor {
        void record(long fileOffset, ByteBuffer payload);
    }

    byte[] previousHash() {
        return Arrays.copyOfRange(bytes, 20, 20 + Frames.HASH);
    }

    byte[] hash() {
        return Sha256.of(bytes);
    }

    String hashHex() {
        return HexFormat.of().formatHex(hash());
    }

    long end() {
        return offset + bytes.length;
    }

    void forEachRecord(RecordVisitor visitor) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int at = Frames.BATCH_HEADER;
        while (at < bytes.length) {
            int length = b.getInt(at);
            visitor.record(offset + at, ByteBuffer.wrap(bytes, at + Frames.RECORD_HEADER, length).slice());
            at += Frames.RECORD_HEADER + length;
        }
    }

    /** Checks the records' frames (lengths, CRCs, count); names the first bad one's offset. */
    static void checkRecords(Path file, long offset, byte[] bytes, int count) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int at = Frames.BATCH_HEADER;
        int seen = 0;
        while (at < bytes.length) {
            if (bytes.length - at < Frames.RECORD_HEADER) {
                throw Frames.corrupt(file, offset + at, "a record header runs past its batch's end");
            }
            int length = b.getInt(at);
            if (length < 1 || length > bytes.length - at - Frames.RECORD_HEADER) {
                throw Frames.corrupt(file, offset + at, "record length " + length + " does not fit its batch");
            }
            if (Frames.crc(bytes, at + Frames.RECORD_HEADER, length) != b.getInt(at + 4)) {
                throw Frames.corrupt(file, offset + at, "record CRC does not match its bytes");
            }
            at += Frames.RECORD_HEADER + length;
            seen++;
        }
        if (seen != count) {
            throw Frames.corrupt(file, offset, "batch says " + count + " records, holds " + seen);
        }
    }
}
