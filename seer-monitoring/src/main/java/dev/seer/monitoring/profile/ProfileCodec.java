package dev.seer.monitoring.profile;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The byte form of a {@link Profile}, big-endian:
 * <pre>
 * magic "SPRF" (4) | version (2) = 1 | body length (4) | body | CRC-32 of the body (4)
 * body:   kllK (4) | frequentItemsMapSize (4) | hllLgK (4) | column count (4) | columns
 * column: name (2-byte length + UTF-8) | type (1: 0 numeric, 1 categorical) | count (8) | missing (8)
 *         numeric:     min, max, sum, sum compensation, M2 (8 each) | KLL sketch (4-byte length + bytes)
 *         categorical: frequent items (4-byte length + bytes) | HLL_4 compact (4-byte length + bytes)
 * </pre>
 * Sketches are stored in DataSketches' own serialisation, so another DataSketches (C++, Python)
 * can read them. The length and checksum let a reader tell a truncated input from a changed one
 * before it parses anything; then every field is checked against the others (a sketch's n against
 * the column's count), since a CRC match does not prove the writer was right.
 */
final class ProfileCodec {
    static final int MAGIC = 0x53505246; // "SPRF"
    static final short VERSION = 1;
    private static final int HEADER = 4 + 2 + 4;
    private static final int TRAILER = 4;
    private static final ArrayOfStringsSerDe STRINGS = new ArrayOfStringsSerDe();

    private ProfileCodec() {
    }

    static byte[] write(Profile profile) {
        List<byte[]> names = new ArrayList<>();
        List<byte[][]> sketches = new ArrayList<>();
        int bodyLength = 16;
        for (int i = 0; i < profile.schema().size(); i++) {
            byte[] name = profile.schema().get(i).name().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            Object column = profile.columnAt(i);
            byte[][] parts = column instanceof NumericColumn numeric
                    ? new byte[][] {numeric.sketch().toByteArray()}
                    : new byte[][] {((CategoricalColumn) column).itemsSketch().toByteArray(STRINGS),
                            ((CategoricalColumn) column).distinctSketch().toCompactByteArray()};
            sketches.add(parts);
            bodyLength += 2 + name.length + 1 + 16 + (column instanceof NumericColumn ? 40 : 0);
            for (byte[] part : parts) {
                bodyLength += 4 + part.length;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER + bodyLength + TRAILER);
        out.putInt(MAGIC).putShort(VERSION).putInt(bodyLength);
        Profile.Settings settings = profile.settings();
        out.putInt(settings.kllK()).putInt(settings.frequentItemsMapSize()).putInt(settings.hllLgK());
        out.putInt(profile.schema().size());
        for (int i = 0; i < profile.schema().size(); i++) {
            if (names.get(i).length > 0xFFFF) {
                throw SketchDrift.invalid("Column name of [" + names.get(i).length + "] bytes is too long to store");
            }
            out.putShort((short) names.get(i).length).put(names.get(i));
            Object column = profile.columnAt(i);
            if (column instanceof NumericColumn numeric) {
                out.put((byte) 0).putLong(numeric.count()).putLong(numeric.missing());
                out.putDouble(numeric.min()).putDouble(numeric.max()).putDouble(numeric.rawSum())
                        .putDouble(numeric.rawSumCompensation()).putDouble(numeric.rawM2());
            } else {
                CategoricalColumn categorical = (CategoricalColumn) column;
                out.put((byte) 1).putLong(categorical.count()).putLong(categorical.missing());
            }
            for (byte[] part : sketches.get(i)) {
                out.putInt(part.length).put(part);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out.array(), HEADER, bodyLength);
        out.putInt((int) crc.getValue());
        return out.array();
    }

    static Profile read(byte[] bytes) {
        if (bytes == null) {
            throw corrupt("Profile bytes are null");
        }
        if (bytes.length < HEADER + TRAILER) {
            throw corrupt("Profile bytes are truncated: [" + bytes.length + "] bytes, shorter than the header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw corrupt(String.format("Not a profile: magic [0x%08x], expected [0x%08x]", magic, MAGIC));
        }
        short version = in.getShort();
        if (version != VERSION) {
            throw corrupt("Profile version [" + version + "] is not supported; this reader reads version [" + VERSION + "]");
        }
        int bodyLength = in.getInt();
        if (bodyLength < 0 || (long) HEADER + bodyLength + TRAILER != bytes.length) {
            throw corrupt("Profile bytes are truncated or padded: the header says [" + bodyLength
                    + "] bytes of body, the input holds [" + (bytes.length - HEADER - TRAILER) + "]");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, HEADER, bodyLength);
        int stored = ByteBuffer.wrap(bytes, HEADER + bodyLength, TRAILER).getInt();
        if (stored != (int) crc.getValue()) {
            throw corrupt(String.format("Profile bytes were changed: CRC-32 of the body is [0x%08x], stored [0x%08x]",
                    (int) crc.getValue(), stored));
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, HEADER, bodyLength).slice();
        try {
            return readBody(body);
        } catch (BufferUnderflowException e) {
            throw corrupt("Profile body ends early at byte [" + body.position() + "] of [" + bodyLength + "]");
        }
    }

    private static Profile readBody(ByteBuffer in) {
        Profile.Settings settings;
        try {
            settings = new Profile.Settings(in.getInt(), in.getInt(), in.getInt());
        } catch (SeerException e) {
            throw corrupt("Profile settings are invalid: " + e.getMessage());
        }
        int count = in.getInt();
        if (count < 1 || count > in.remaining()) {
            throw corrupt("Profile column count [" + count + "] is impossible");
        }
        List<Profile.Column> schema = new ArrayList<>();
        Object[] columns = new Object[count];
        for (int i = 0; i < count; i++) {
            String name = readName(in, i);
            byte type = in.get();
            long n = in.getLong();
            long missing = in.getLong();
            if (n < 0 || missing < 0) {
                throw corrupt(name, "count [" + n + "] or missing [" + missing + "] is negative");
            }
            if (type == 0) {
                schema.add(Profile.Column.numeric(name));
                columns[i] = readNumeric(in, name, n, missing);
            } else if (type == 1) {
                schema.add(Profile.Column.categorical(name));
                columns[i] = readCategorical(in, name, settings.frequentItemsMapSize(), n, missing);
            } else {
                throw corrupt(name, "type [" + type + "] is neither 0 (numeric) nor 1 (categorical)");
            }
            for (int j = 0; j < i; j++) {
                if (schema.get(j).name().equals(name)) {
                    throw corrupt(name, "it appears twice");
                }
            }
        }
        if (in.hasRemaining()) {
            throw corrupt("Profile body has [" + in.remaining() + "] bytes after its last column");
        }
        return Profile.restore(schema, settings, columns);
    }

    private static String readName(ByteBuffer in, int index) {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] raw = new byte[length];
        in.get(raw);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt("Name of column [" + index + "] is not UTF-8");
        }
    }

    private static NumericColumn readNumeric(ByteBuffer in, String name, long n, long missing) {
        double min = in.getDouble();
        double max = in.getDouble();
        double sum = in.getDouble();
        double compensation = in.getDouble();
        double m2 = in.getDouble();
        KllDoublesSketch sketch;
        try {
            sketch = KllDoublesSketch.heapify(Memory.wrap(readPart(in, name, "KLL sketch")));
        } catch (RuntimeException e) {
            throw corrupt(name, "its KLL sketch does not read back: " + e.getMessage());
        }
        if (sketch.getN() != n) {
            throw corrupt(name, "its KLL sketch holds [" + sketch.getN() + "] values, its count says [" + n + "]");
        }
        if (n > 0 && !(min <= max && Double.isFinite(min) && Double.isFinite(max))) {
            throw corrupt(name, "min [" + min + "] and max [" + max + "] are not an interval");
        }
        return NumericColumn.restore(name, sketch, n, missing, min, max, sum, compensation, m2);
    }

    private static CategoricalColumn readCategorical(ByteBuffer in, String name, int mapSize, long n, long missing) {
        ItemsSketch<String> items;
        HllSketch distinct;
        try {
            items = ItemsSketch.getInstance(Memory.wrap(readPart(in, name, "frequent-items sketch")), STRINGS);
        } catch (SeerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(name, "its frequent-items sketch does not read back: " + e.getMessage());
        }
        try {
            distinct = HllSketch.heapify(readPart(in, name, "HLL sketch"));
        } catch (SeerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt(name, "its HLL sketch does not read back: " + e.getMessage());
        }
        if (items.getStreamLength() != n) {
            throw corrupt(name, "its frequent-items sketch counted [" + items.getStreamLength()
                    + "] values, its count says [" + n + "]");
        }
        return CategoricalColumn.restore(name, mapSize, items, distinct, n, missing);
    }

    private static byte[] readPart(ByteBuffer in, String name, String what) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw corrupt(name, "its " + what + " claims [" + length + "] bytes, [" + in.remaining() + "] remain");
        }
        byte[] part = new byte[length];
        in.get(part);
        return part;
    }

    private static SeerException corrupt(String column, String what) {
        return new SeerException(MonitoringErrorCode.CORRUPT_STATE, "Profile column [" + column + "] is corrupt: " + what,
                Map.of("column", column));
    }

    private static SeerException corrupt(String message) {
        return new SeerException(MonitoringErrorCode.CORRUPT_STATE, message);
    }
}
