package dev.seer.serving.log;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The layout of a segment file. A segment is named by its first batch number and holds whole
 * batches, each as written by one group commit:
 * <pre>
 *   segment  = "SEERPLOG" | i32 format version (1) | i32 CRC-32C of the 12 bytes before | batch*
 *   batch    = i32 magic "PBAT" | i64 batch number | i32 record count | i32 body length
 *              | 32 bytes SHA-256 of the previous batch (zeros for the first) | i32 CRC-32C of the 52 bytes before
 *              | record{count}
 *   record   = i32 payload length | i32 CRC-32C of the payload | payload ({@link RecordCodec})
 * </pre>
 * A batch's hash is SHA-256 over its bytes, header included; the header carries the previous
 * batch's hash, so the hashes chain from the first batch on, across segments.
 */
final class Frames {
    static final byte[] SEGMENT_MAGIC = "SEERPLOG".getBytes(StandardCharsets.US_ASCII);
    static final int SEGMENT_VERSION = 1;
    static final int SEGMENT_HEADER = 16;
    static final int BATCH_MAGIC = 0x50424154;
    static final int BATCH_HEADER = 56;
    static final int RECORD_HEADER = 8;
    static final int HASH = 32;
    static final String SEGMENT_SUFFIX = ".plog";

    private Frames() {}

    static String segmentName(long firstBatch) {
        return String.format("%020d", firstBatch) + SEGMENT_SUFFIX;
    }

    static byte[] segmentHeader() {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER);
        b.put(SEGMENT_MAGIC).putInt(SEGMENT_VERSION);
        b.putInt(crc(b.array(), 0, 12));
        return b.array();
    }

    static void checkSegmentHeader(byte[] header, Path file) {
        if (!Arrays.equals(header, 0, 8, SEGMENT_MAGIC, 0, 8) || crc(header, 0, 12) != ByteBuffer.wrap(header, 12, 4).getInt()) {
            throw corrupt(file, 0, "its header is not a prediction log segment's");
        }
        int version = ByteBuffer.wrap(header, 8, 4).getInt();
        if (version != SEGMENT_VERSION) {
            throw corrupt(file, 0, "it has segment format version " + version + ", this code reads " + SEGMENT_VERSION);
        }
    }

    /** Writes a batch header for a body already at {@code out[BATCH_HEADER..]}. */
    static void batchHeader(byte[] out, long batch, int count, int bodyLength, byte[] previousHash) {
        ByteBuffer b = ByteBuffer.wrap(out, 0, BATCH_HEADER);
        b.putInt(BATCH_MAGIC).putLong(batch).putInt(count).putInt(bodyLength).put(previousHash);
        b.putInt(crc(out, 0, BATCH_HEADER - 4));
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static SeerException corrupt(Path file, long offset, String what) {
        return new SeerException(ServingErrorCode.LOG_CORRUPT, "Prediction log file [" + file + "] at offset " + offset
                + ": " + what, Map.of("file", file.toString(), "offset", offset));
    }
}
