package dev.seer.monitoring.watch;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A uniform sample of at most {@code capacity} rows of a stream of unknown length: Vitter's
 * Algorithm R (1985, "Random sampling with a reservoir"). The first {@code capacity} rows are
 * kept; row n (counting from 1) then replaces a random kept row with probability capacity/n.
 * The generator is SplitMix64 seeded by the caller (the deployment and the window's start), so
 * the same rows in the same order give the same sample, which keeps a window rebuilt from the log
 * after a restart equal to the one that was lost.
 *
 * <p>Not thread-safe: one writer. The byte form is versioned and checksummed (CRC32C).
 */
public final class Reservoir {
    private static final int FORMAT = 1;
    private final int width;
    private final int capacity;
    private double[] rows;
    private long seen;
    private long state;

    private Reservoir(int width, int capacity, long seed, long seen, double[] rows) {
        this.width = width;
        this.capacity = capacity;
        this.state = seed;
        this.seen = seen;
        this.rows = rows;
    }

    /** An empty reservoir of rows of {@code width} values, keeping at most {@code capacity} rows. */
    public static Reservoir create(int width, int capacity, long seed) {
        if (width < 1 || capacity < 1 || (long) width * capacity > Integer.MAX_VALUE - 8) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "A reservoir needs a width and capacity of at"
                    + " least 1 and at most 2^31 values, not " + width + " x " + capacity, Map.of("field", "reservoir"));
        }
        return new Reservoir(width, capacity, seed, 0, new double[width * Math.min(capacity, 1024)]);
    }

    /** Offers a row (copied); it is kept with probability capacity / rows seen. */
    public void offer(double[] row) {
        if (row.length != width) {
            throw new SeerException(MonitoringErrorCode.INCOMPATIBLE, "A row of " + row.length
                    + " values offered to a reservoir of width " + width, Map.of("field", "row"));
        }
        seen++;
        long slot;
        if (seen <= capacity) {
            slot = seen - 1;
        } else {
            slot = Long.remainderUnsigned(next(), seen);
            if (slot >= capacity) {
                return;
            }
        }
        int at = (int) slot * width;
        ensure(at + width);
        System.arraycopy(row, 0, rows, at, width);
    }

    /** Grows the row array by doubling up to the capacity, so a small window holds only what it saw. */
    private void ensure(int length) {
        if (rows.length < length) {
            rows = Arrays.copyOf(rows, Math.min(Math.max(length, rows.length * 2), width * capacity));
        }
    }

    public int width() {
        return width;
    }

    public int capacity() {
        return capacity;
    }

    /** Rows offered so far. */
    public long seen() {
        return seen;
    }

    /** Rows kept: min(seen, capacity). */
    public int size() {
        return (int) Math.min(seen, capacity);
    }

    /** Kept row {@code i} (a copy). */
    public double[] row(int i) {
        checkRow(i);
        return Arrays.copyOfRange(data(), i * width, i * width + width);
    }

    /** Column {@code c} of the kept rows (a copy, NaN kept). */
    public double[] column(int c) {
        if (c < 0 || c >= width) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "Column " + c + " of a reservoir of width "
                    + width, Map.of("field", "column"));
        }
        int n = size();
        double[] out = new double[n];
        double[] data = data();
        for (int i = 0; i < n; i++) {
            out[i] = data[i * width + c];
        }
        return out;
    }

    private void checkRow(int i) {
        if (i < 0 || i >= size()) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "Row " + i + " of a reservoir of " + size()
                    + " rows", Map.of("field", "row"));
        }
    }

    private double[] data() {
        return rows;
    }

    /** SplitMix64 (Steele, Lea and Flood 2014). */
    private long next() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The byte form: format, width, capacity, generator state, rows seen, kept rows, then a CRC32C of all before it. */
    public byte[] toBytes() {
        int n = size();
        ByteBuffer out = ByteBuffer.allocate(4 + 4 + 4 + 8 + 8 + 8 * n * width + 4);
        out.putInt(FORMAT).putInt(width).putInt(capacity).putLong(state).putLong(seen);
        double[] data = data();
        for (int i = 0; i < n * width; i++) {
            out.putDouble(data[i]);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** Reads {@link #toBytes()}'s form; CORRUPT_STATE naming what is wrong otherwise. */
    public static Reservoir fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < 32) {
            throw corrupt("too short (" + (bytes == null ? 0 : bytes.length) + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
            throw corrupt("checksum mismatch");
        }
        int format = in.getInt();
        if (format != FORMAT) {
            throw corrupt("format " + format + ", this code reads " + FORMAT);
        }
        int width = in.getInt();
        int capacity = in.getInt();
        long state = in.getLong();
        long seen = in.getLong();
        if (width < 1 || capacity < 1 || seen < 0 || (long) width * capacity > Integer.MAX_VALUE - 8) {
            throw corrupt("width " + width + ", capacity " + capacity + ", seen " + seen);
        }
        int n = (int) Math.min(seen, capacity);
        if (bytes.length != 32 + 8L * n * width) {
            throw corrupt(bytes.length + " bytes for " + n + " rows of " + width);
        }
        double[] rows = new double[Math.max(n * width, width)];
        for (int i = 0; i < n * width; i++) {
            rows[i] = in.getDouble();
        }
        return new Reservoir(width, capacity, state, seen, rows);
    }

    private static SeerException corrupt(String what) {
        return new SeerException(MonitoringErrorCode.CORRUPT_STATE, "Stored reservoir unreadable: " + what,
                Map.of("field", "reservoir"));
    }
}
