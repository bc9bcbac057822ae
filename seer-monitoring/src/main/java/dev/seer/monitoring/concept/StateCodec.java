package dev.seer.monitoring.concept;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.concept.DriftDetector.State;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * The byte form of a detector: a magic "SD" (Seer Detector), a format version, the kind (DDM or
 * ADWIN), then the settings and state big-endian. Doubles are written bit for bit, so a read-back
 * detector continues exactly as the written one. Anything that does not read back whole and
 * consistent is CORRUPT_STATE, never a half-restored detector.
 */
final class StateCodec {
    static final byte KIND_DDM = 1;
    static final byte KIND_ADWIN = 2;
    private static final byte MAGIC_0 = 'S';
    private static final byte MAGIC_1 = 'D';
    private static final byte VERSION = 1;

    private StateCodec() {}

    static Writer writer(byte kind) {
        Writer writer = new Writer();
        writer.writeByte(MAGIC_0);
        writer.writeByte(MAGIC_1);
        writer.writeByte(VERSION);
        writer.writeByte(kind);
        return writer;
    }

    static DriftDetector read(byte[] bytes) {
        if (bytes == null || bytes.length < 4 || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
            throw corrupt("not a drift detector's state");
        }
        if (bytes[2] != VERSION) {
            throw corrupt("drift detector state version [" + bytes[2] + "] is not [" + VERSION + "]");
        }
        Reader in = new Reader(ByteBuffer.wrap(bytes, 4, bytes.length - 4));
        DriftDetector detector;
        try {
            detector = switch (bytes[3]) {
                case KIND_DDM -> Ddm.read(in);
                case KIND_ADWIN -> Adwin.read(in);
                default -> throw corrupt("unknown drift detector kind [" + bytes[3] + "]");
            };
        } catch (BufferUnderflowException e) {
            throw corrupt("drift detector state is truncated");
        }
        if (in.buffer.hasRemaining()) {
            throw corrupt("drift detector state has [" + in.buffer.remaining() + "] trailing bytes");
        }
        return detector;
    }

    static void checkFinite(double... values) {
        for (double value : values) {
            if (!Double.isFinite(value)) {
                throw corrupt("drift detector state holds a non-finite number " + Arrays.toString(values));
            }
        }
    }

    static SeerException corrupt(String message) {
        return new SeerException(MonitoringErrorCode.CORRUPT_STATE, message, Map.of());
    }

    /** A growable big-endian buffer. */
    static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        private void ensure(int more) {
            if (buffer.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        void writeByte(int value) {
            ensure(1);
            buffer.put((byte) value);
        }

        void writeInt(int value) {
            ensure(4);
            buffer.putInt(value);
        }

        void writeLong(long value) {
            ensure(8);
            buffer.putLong(value);
        }

        void writeDouble(double value) {
            ensure(8);
            buffer.putDouble(value);
        }

        byte[] toBytes() {
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** Reads what a {@link Writer} wrote; running short throws BufferUnderflowException. */
    static final class Reader {
        private final ByteBuffer buffer;

        Reader(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        int readInt() {
            return buffer.getInt();
        }

        long readLong() {
            return buffer.getLong();
        }

        double readDouble() {
            return buffer.getDouble();
        }

        State readState() {
            int ordinal = buffer.get();
            if (ordinal < 0 || ordinal >= State.values().length) {
                throw corrupt("unknown detector state [" + ordinal + "]");
            }
            return State.values()[ordinal];
        }
    }
}
