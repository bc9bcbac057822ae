package dev.seer.serving.log;

import dev.seer.core.Times;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A prediction's bytes in the log (the payload of one record frame, see {@link Frames}). Version 2,
 * all numbers big-endian, strings as an unsigned varint length then UTF-8:
 * <pre>
 *   u8 version(1) | id: 16 bytes (the ULID) | time: i64 epoch µs | deployment | arm | model | varint model version
 *   | varint entity count, (key, value)* | varint feature count, (name, f64 value, u8 status, u8 has time, [i64 µs])*
 *   | varint output count, f64* | varint latency µs | u8 flags (bit 0 shadow) | degraded
 *   | u8 has shadow-of, [16 bytes: the id of the prediction shadowed]
 * </pre>
 * Version 1 is version 2 without the last field (it predates shadows naming their prediction) and
 * is still read. A reader refuses a version it does not know rather than guess at its bytes.
 */
final class RecordCodec {
    static final int VERSION = 2;
    private static final FeatureStatus[] STATUSES = FeatureStatus.values();

    private RecordCodec() {}

    static void encode(Prediction p, Out out) {
        out.u8(VERSION);
        long[] id = PredictionIds.parse(p.id());
        out.i64(id[0]);
        out.i64(id[1]);
        out.i64(Times.toMicros(p.time()));
        out.string(p.deployment());
        out.string(p.arm());
        out.string(p.model());
        out.varint(p.modelVersion());
        out.varint(p.entity().size());
        p.entity().forEach((k, v) -> {
            out.string(k);
            out.string(v);
        });
        out.varint(p.features().size());
        for (Prediction.Feature f : p.features()) {
            out.string(f.name());
            out.f64(f.value());
            out.u8(f.status().ordinal());
            out.u8(f.eventTime().isPresent() ? 1 : 0);
            f.eventTime().ifPresent(t -> out.i64(Times.toMicros(t)));
        }
        double[] output = p.output();
        out.varint(output.length);
        for (double d : output) {
            out.f64(d);
        }
        out.varint(p.latencyMicros());
        out.u8(p.shadow() ? 1 : 0);
        out.string(p.degraded());
        out.u8(p.shadowOf().isPresent() ? 1 : 0);
        p.shadowOf().ifPresent(s -> {
            long[] of = PredictionIds.parse(s);
            out.i64(of[0]);
            out.i64(of[1]);
        });
    }

    /** @throws IllegalArgumentException on a version it does not read or bytes that do not parse */
    static Prediction decode(ByteBuffer in) {
        try {
            int version = in.get() & 0xFF;
            if (version != 1 && version != VERSION) {
                throw new IllegalArgumentException("record format version " + version + ", this code reads 1 and " + VERSION);
            }
            String id = PredictionIds.format(in.getLong(), in.getLong());
            Instant time = Times.ofMicros(in.getLong());
            String deployment = string(in);
            String arm = string(in);
            String model = string(in);
            int modelVersion = (int) varint(in);
            int entities = count(in);
            Map<String, String> entity = new LinkedHashMap<>();
            for (int i = 0; i < entities; i++) {
                entity.put(string(in), string(in));
            }
            int n = count(in);
            List<Prediction.Feature> features = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String name = string(in);
                double value = in.getDouble();
                int status = in.get() & 0xFF;
                if (status >= STATUSES.length) {
                    throw new IllegalArgumentException("feature status " + status + " is unknown");
                }
                Optional<Instant> eventTime = in.get() != 0 ? Optional.of(Times.ofMicros(in.getLong())) : Optional.empty();
                features.add(new Prediction.Feature(name, value, eventTime, STATUSES[status]));
            }
            double[] output = new double[count(in)];
            for (int i = 0; i < output.length; i++) {
                output[i] = in.getDouble();
            }
            long latency = varint(in);
            boolean shadow = (in.get() & 1) != 0;
            String degraded = string(in);
            Optional<String> shadowOf = version >= 2 && in.get() != 0
                    ? Optional.of(PredictionIds.format(in.getLong(), in.getLong())) : Optional.empty();
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the record");
            }
            return new Prediction(id, time, deployment, arm, model, modelVersion, entity, features, output, latency, shadow,
                    degraded, shadowOf);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("record ends early", e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String string(ByteBuffer in) {
        int length = count(in);
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static int count(ByteBuffer in) {
        long n = varint(in);
        if (n > in.remaining()) {
            throw new IllegalArgumentException("a count of " + n + " exceeds the record's " + in.remaining() + " bytes left");
        }
        return (int) n;
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes");
    }

    /** A growable big-endian byte buffer. */
    static final class Out {
        private byte[] bytes;
        private int size;

        Out(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        int size() {
            return size;
        }

        byte[] array() {
            return bytes;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        void reset() {
            size = 0;
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + n, bytes.length * 2));
            }
        }

        void u8(int v) {
            room(1);
            bytes[size++] = (byte) v;
        }

        void i32(int v) {
            room(4);
            ByteBuffer.wrap(bytes, size, 4).putInt(v);
            size += 4;
        }

        void putInt(int at, int v) {
            ByteBuffer.wrap(bytes, at, 4).putInt(v);
        }

        void i64(long v) {
            room(8);
            ByteBuffer.wrap(bytes, size, 8).putLong(v);
            size += 8;
        }

        void f64(double v) {
            i64(Double.doubleToRawLongBits(v));
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                u8((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            u8((int) v);
        }

        void raw(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            raw(utf8, 0, utf8.length);
        }
    }
}
