package dev.seer.serving.log;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A sealed segment's index file ({@code <segment>.pidx}), written once when the segment is sealed
 * and always rebuildable from it: its summary, then its ids sorted as 128-bit numbers with their
 * record offsets, so a lookup by id is a binary search, not a scan, then its {@link EntityFilter}.
 * <pre>
 *   "SEERPIDX" | i32 version (2) | i64 segment length covered | i64 first batch | summary fields | i32 filter words
 *   | i32 CRC-32C of the header | (i64 id high, i64 id low, i64 offset){count} | i32 CRC-32C of the entries
 *   | i64{filter words} | i32 CRC-32C of the filter
 * </pre>
 * An index whose CRC fails, whose version is unknown or that covers another length than the
 * segment's is ignored and rebuilt.
 */
final class SegmentIndex {
    private static final byte[] MAGIC = "SEERPIDX".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;
    static final String SUFFIX = ".pidx";

    private final Path file;
    private final Segment.Summary summary;
    private final long entriesAt;
    private final int filterWords;

    private SegmentIndex(Path file, Segment.Summary summary, long entriesAt, int filterWords) {
        this.file = file;
        this.summary = summary;
        this.entriesAt = entriesAt;
        this.filterWords = filterWords;
    }

    Segment.Summary summary() {
        return summary;
    }

    static Path of(Path segment) {
        return segment.resolveSibling(segment.getFileName().toString().replace(Frames.SEGMENT_SUFFIX, SUFFIX));
    }

    /** Writes the index of a segment atomically (temporary file, force, rename). */
    static SegmentIndex write(Path segment, long firstBatch, Segment.Summary s, Map<String, Long> ids, EntityFilter filter)
            throws IOException {
        long[] entries = new long[ids.size() * 3];
        int i = 0;
        for (Map.Entry<String, Long> e : ids.entrySet()) {
            long[] id = PredictionIds.parse(e.getKey());
            entries[i++] = id[0];
            entries[i++] = id[1];
            entries[i++] = e.getValue();
        }
        sort(entries);
        Path target = of(segment);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        long entriesAt;
        try (OutputStream raw = Files.newOutputStream(temporary)) {
            CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), new CRC32C());
            DataOutputStream out = new DataOutputStream(checked);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(s.length());
            out.writeLong(firstBatch);
            out.writeLong(s.lastBatch());
            out.writeLong(s.count());
            out.writeLong(s.minTime());
            out.writeLong(s.maxTime());
            out.writeUTF(s.minId() == null ? "" : s.minId());
            out.writeUTF(s.maxId() == null ? "" : s.maxId());
            writeSet(out, s.deployments());
            writeSet(out, s.models());
            out.write(s.lastHash());
            out.writeInt(filter.words().length);
            out.writeInt((int) checked.getChecksum().getValue());
            entriesAt = out.size();
            checked.getChecksum().reset();
            for (long v : entries) {
                out.writeLong(v);
            }
            out.writeInt((int) checked.getChecksum().getValue());
            checked.getChecksum().reset();
            for (long v : filter.words()) {
                out.writeLong(v);
            }
            out.writeInt((int) checked.getChecksum().getValue());
            out.flush();
        }
        try (FileChannel c = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        PredictionLog.forceDirectory(segment.getParent());
        return new SegmentIndex(target, s, entriesAt, filter.words().length);
    }

    /** The index of a segment if it is there, whole and covers {@code segmentLength} bytes. */
    static Optional<SegmentIndex> read(Path segment, long segmentLength) {
        Path file = of(segment);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream raw = Files.newInputStream(file)) {
            CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, 8192), new CRC32C());
            DataInputStream in = new DataInputStream(checked);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC) || in.readInt() != VERSION) {
                return Optional.empty();
            }
            long length = in.readLong();
            in.readLong(); // first batch: the file name says it
            long lastBatch = in.readLong();
            long count = in.readLong();
            long minTime = in.readLong();
            long maxTime = in.readLong();
            String minId = in.readUTF();
            String maxId = in.readUTF();
            Set<String> deployments = readSet(in);
            Set<String> models = readSet(in);
            byte[] lastHash = in.readNBytes(Frames.HASH);
            int filterWords = in.readInt();
            int expected = (int) checked.getChecksum().getValue();
            if (in.readInt() != expected || length != segmentLength) {
                return Optional.empty();
            }
            long entriesAt = MAGIC.length + 4 + 6 * 8 + utf(minId) + utf(maxId) + setBytes(deployments) + setBytes(models)
                    + Frames.HASH + 4 + 4;
            if (filterWords < 1 || Files.size(file) != entriesAt + count * 24 + 4 + filterWords * 8L + 4) {
                return Optional.empty();
            }
            return Optional.of(new SegmentIndex(file, new Segment.Summary(length, lastBatch, count, minTime, maxTime,
                    minId.isEmpty() ? null : minId, maxId.isEmpty() ? null : maxId, deployments, models, lastHash), entriesAt,
                    filterWords));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: rebuilt from the segment
        }
    }

    /** The sorted entries, CRC-checked; a damaged index is corruption of the log's files. */
    long[] readEntries() throws IOException {
        int n = Math.toIntExact(summary.count());
        ByteBuffer bytes = ByteBuffer.allocate(n * 24 + 4);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            while (bytes.hasRemaining()) {
                if (c.read(bytes, entriesAt + bytes.position()) < 0) {
                    throw Frames.corrupt(file, entriesAt + bytes.position(), "the index ends early; delete it to rebuild it");
                }
            }
        }
        if (Frames.crc(bytes.array(), 0, n * 24) != bytes.getInt(n * 24)) {
            throw Frames.corrupt(file, entriesAt, "the index's entries fail their CRC; delete it to rebuild it");
        }
        long[] entries = new long[n * 3];
        bytes.flip();
        bytes.asLongBuffer().get(entries);
        return entries;
    }

    /** The entity filter, CRC-checked. */
    EntityFilter readFilter() throws IOException {
        long at = entriesAt + summary.count() * 24 + 4;
        ByteBuffer bytes = ByteBuffer.allocate(filterWords * 8 + 4);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            while (bytes.hasRemaining()) {
                if (c.read(bytes, at + bytes.position()) < 0) {
                    throw Frames.corrupt(file, at + bytes.position(), "the index ends early; delete it to rebuild it");
                }
            }
        }
        if (Frames.crc(bytes.array(), 0, filterWords * 8) != bytes.getInt(filterWords * 8)) {
            throw Frames.corrupt(file, at, "the index's entity filter fails its CRC; delete it to rebuild it");
        }
        long[] words = new long[filterWords];
        bytes.flip();
        bytes.asLongBuffer().get(words);
        return new EntityFilter(words);
    }

    static OptionalLong search(long[] entries, long[] id) {
        int lo = 0;
        int hi = entries.length / 3 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(entries[mid * 3], entries[mid * 3 + 1], id[0], id[1]);
            if (c == 0) {
                return OptionalLong.of(entries[mid * 3 + 2]);
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return OptionalLong.empty();
    }

    private static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }

    private static void sort(long[] triples) {
        int n = triples.length / 3;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> compare(triples[a * 3], triples[a * 3 + 1], triples[b * 3], triples[b * 3 + 1]));
        long[] copy = triples.clone();
        for (int i = 0; i < n; i++) {
            System.arraycopy(copy, order[i] * 3, triples, i * 3, 3);
        }
    }

    private static void writeSet(DataOutputStream out, Set<String> set) throws IOException {
        List<String> sorted = new ArrayList<>(set);
        sorted.sort(null);
        out.writeInt(sorted.size());
        for (String s : sorted) {
            out.writeUTF(s);
        }
    }

    private static Set<String> readSet(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
        }
        return Set.copyOf(values);
    }

    private static long setBytes(Set<String> set) {
        return 4 + set.stream().mapToLong(SegmentIndex::utf).sum();
    }

    /** The bytes {@code writeUTF} takes (its modified UTF-8 and the two-byte length). */
    private static long utf(String s) {
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
        }
        return n;
    }
}
