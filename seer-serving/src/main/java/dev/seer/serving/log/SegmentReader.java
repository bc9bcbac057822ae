package dev.seer.serving.log;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads a segment's batches in order up to a given end, checking every frame. What a crash can
 * leave at the end of the last segment (a batch cut short, or zeros where a file was extended but
 * not written) is a {@link TornTail} when the caller tolerates it and corruption otherwise; a bad
 * CRC in a batch that is whole is always corruption: a process kill cannot produce it, so it is
 * never silently dropped (it may hold acknowledged predictions).
 */
final class SegmentReader implements AutoCloseable {
    /** Where the readable part of a segment ends: everything from {@code offset} on is a torn write. */
    static final class TornTail extends Exception {
        final long offset;

        TornTail(long offset, String why) {
            super(why, null, false, false);
            this.offset = offset;
        }
    }

    private final Path file;
    private final long end;
    private final FileChannel channel;
    private final DataInputStream in;
    private long position;

    /**
     * @param end bytes of the file to read (its committed length)
     * @param from where to start: {@link Frames#SEGMENT_HEADER} or a batch's offset
     */
    SegmentReader(Path file, long end, long from) throws IOException {
        this.file = file;
        this.end = end;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            if (end < Frames.SEGMENT_HEADER) {
                throw Frames.corrupt(file, 0, "the file is shorter than a segment header");
            }
            byte[] header = new byte[Frames.SEGMENT_HEADER];
            channel.read(ByteBuffer.wrap(header), 0);
            Frames.checkSegmentHeader(header, file);
            channel.position(from);
            InputStream stream = Channels.newInputStream(channel);
            this.in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
            this.position = from;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    long position() {
        return position;
    }

    /** The next batch, or empty at the end; a torn tail throws {@link TornTail}. */
    Optional<Batch> next() throws IOException, TornTail {
        long remaining = end - position;
        if (remaining == 0) {
            return Optional.empty();
        }
        if (remaining < Frames.BATCH_HEADER) {
            throw new TornTail(position, remaining + " bytes at the end are less than a batch header");
        }
        byte[] header = new byte[Frames.BATCH_HEADER];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        if (allZero(header)) {
            if (restIsZero(remaining - Frames.BATCH_HEADER)) {
                throw new TornTail(position, "the last " + remaining + " bytes are zeros (extended, never written)");
            }
            throw Frames.corrupt(file, position, "a batch header of zeros is followed by data");
        }
        if (h.getInt(0) != Frames.BATCH_MAGIC || Frames.crc(header, 0, Frames.BATCH_HEADER - 4) != h.getInt(Frames.BATCH_HEADER - 4)) {
            throw Frames.corrupt(file, position, "batch header is damaged (magic or CRC)");
        }
        long number = h.getLong(4);
        int count = h.getInt(12);
        int bodyLength = h.getInt(16);
        if (count < 1 || bodyLength < count * (Frames.RECORD_HEADER + 1)) {
            throw Frames.corrupt(file, position, "batch of " + count + " records in " + bodyLength + " bytes");
        }
        if (bodyLength > remaining - Frames.BATCH_HEADER) {
            throw new TornTail(position, "batch " + number + " of " + bodyLength + " bytes is cut short at "
                    + (remaining - Frames.BATCH_HEADER));
        }
        byte[] bytes = new byte[Frames.BATCH_HEADER + bodyLength];
        System.arraycopy(header, 0, bytes, 0, Frames.BATCH_HEADER);
        in.readFully(bytes, Frames.BATCH_HEADER, bodyLength);
        Batch.checkRecords(file, position, bytes, count);
        Batch batch = new Batch(file, position, number, count, bytes);
        position += bytes.length;
        return Optional.of(batch);
    }

    /** The next batch, a torn tail being corruption (a sealed segment, or a log already recovered). */
    Optional<Batch> nextWhole() throws IOException {
        try {
            return next();
        } catch (TornTail t) {
            throw Frames.corrupt(file, t.offset, "the file ends inside a batch: " + t.getMessage());
        }
    }

    private boolean restIsZero(long n) throws IOException {
        byte[] chunk = new byte[8192];
        long left = n;
        while (left > 0) {
            int take = (int) Math.min(chunk.length, left);
            try {
                in.readFully(chunk, 0, take);
            } catch (EOFException e) {
                return true;
            }
            for (int i = 0; i < take; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
            left -= take;
        }
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
