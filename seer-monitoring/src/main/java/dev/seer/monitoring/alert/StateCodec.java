package dev.seer.monitoring.alert;

import dev.seer.monitoring.alert.AlertEvaluator.Acknowledgement;
import dev.seer.monitoring.alert.AlertEvaluator.Phase;
import dev.seer.monitoring.alert.AlertEvaluator.State;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The byte form of alert states: magic "SA" (Seer Alerts), a format version, a count, then each
 * state (strings as modified UTF-8, instants as seconds and nanos, absent ones flagged). Doubles
 * are written bit for bit. Anything that does not read back whole is CORRUPT_STATE.
 */
final class StateCodec {
    private static final byte MAGIC_0 = 'S';
    private static final byte MAGIC_1 = 'A';
    private static final byte VERSION = 1;
    private static final Phase[] PHASES = Phase.values();

    private StateCodec() {}

    static byte[] encode(Collection<State> states) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MAGIC_0);
            out.writeByte(MAGIC_1);
            out.writeByte(VERSION);
            out.writeInt(states.size());
            for (State state : states) {
                out.writeUTF(state.ruleId());
                out.writeUTF(state.figure());
                out.writeByte(state.phase().ordinal());
                out.writeInt(state.run());
                out.writeBoolean(state.noData());
                out.writeDouble(state.lastValue());
                writeInstant(out, state.since());
                writeInstant(out, state.lastWindowEnd());
                Acknowledgement ack = state.acknowledgement();
                out.writeBoolean(ack != null);
                if (ack != null) {
                    out.writeUTF(ack.by());
                    out.writeUTF(ack.note());
                    writeInstant(out, ack.at());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    static List<State> decode(byte[] bytes) {
        if (bytes == null || bytes.length < 3 || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
            throw Errors.corrupt("is not alert states");
        }
        if (bytes[2] != VERSION) {
            throw Errors.corrupt("version [" + bytes[2] + "] is not [" + VERSION + "]");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 3, bytes.length - 3));
        try {
            int count = in.readInt();
            if (count < 0 || count > bytes.length) {
                throw Errors.corrupt("count [" + count + "] does not fit its [" + bytes.length + "] bytes");
            }
            List<State> states = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                states.add(readState(in));
            }
            if (in.available() > 0) {
                throw Errors.corrupt("has [" + in.available() + "] trailing bytes");
            }
            return states;
        } catch (EOFException e) {
            throw Errors.corrupt("is truncated");
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw Errors.corrupt("does not read back: " + e.getMessage());
        }
    }

    private static State readState(DataInputStream in) throws IOException {
        String ruleId = in.readUTF();
        String figure = in.readUTF();
        int phase = in.readUnsignedByte();
        if (phase >= PHASES.length) {
            throw Errors.corrupt("phase [" + phase + "] is unknown");
        }
        int run = in.readInt();
        boolean noData = in.readBoolean();
        double lastValue = in.readDouble();
        Instant since = readInstant(in);
        Instant lastWindowEnd = readInstant(in);
        Acknowledgement ack = in.readBoolean() ? new Acknowledgement(in.readUTF(), in.readUTF(), readInstant(in)) : null;
        return new State(ruleId, figure, PHASES[phase], run, noData, lastValue, since, lastWindowEnd, ack);
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeBoolean(instant != null);
        if (instant != null) {
            out.writeLong(instant.getEpochSecond());
            out.writeInt(instant.getNano());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        long seconds = in.readLong();
        int nanos = in.readInt();
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException e) {
            throw Errors.corrupt("instant [" + seconds + "s " + nanos + "ns] is out of range");
        }
    }
}
