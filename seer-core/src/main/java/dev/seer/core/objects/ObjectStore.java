package dev.seer.core.objects;

import dev.seer.core.ErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Content-addressed files: an object is named by the SHA-256 of its bytes
 * ({@code <root>/<first two hex digits>/<the other 62>}), so equal content is stored once and any
 * change to a stored byte is found by hashing it again.
 *
 * <p>An object is written to {@code <root>/.incoming} and moved into place only once complete
 * and synced; a crash leaves at most a file in {@code .incoming}, never a partial object under a
 * name. Copying in reads and hashes on the calling thread while a second thread writes, so the
 * copy costs about what hashing alone does; the bytes written are the bytes hashed. Reading out
 * ({@link #copyOut}) hashes as it copies and deletes its output if the hash differs, so a
 * corrupted object is never served. A name that is not 64 lower-case hex digits is refused before
 * it comes near the file system, so no caller can reach outside the root through a "hash".
 *
 * <p>Shared by the components that keep files by content (dataset versions, run artifacts and
 * model files); each gives its own error codes and a label for messages.
 */
public final class ObjectStore {
    private static final int BUFFER = 1 << 22;
    private static final int BUFFERS = 4;

    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final String label;
    private final Errors errors;

    /**
     * The error codes a component's callers see: an input file that cannot be read, an object
     * missing or changed, and a failure of the store itself.
     */
    public record Errors(ErrorCode unreadableInput, ErrorCode corrupted, ErrorCode storageFailure) {}

    /** @param label what the objects are, for messages: {@code Dataset objects} */
    public ObjectStore(Path root, String label, Errors errors) {
        this.root = root;
        this.label = label;
        this.errors = errors;
    }

    /** A stored object: its hash (hex), its size, and whether it was there already. */
    public record Stored(String sha256, long bytes, boolean existed) {}

    /** The file of an object; a name that is not a SHA-256 in hex is refused. */
    public Path path(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new SeerException(errors.corrupted(), label + ": [" + sha256 + "] is not a SHA-256 (64 lower-case hex"
                    + " digits)", Map.of("object", String.valueOf(sha256)));
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    public boolean contains(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    /** Copies {@code source} in; {@code progress} hears the bytes copied so far, every buffer. */
    public Stored copyIn(Path source, LongConsumer progress) {
        Path incoming = incoming();
        try {
            String hash;
            long bytes;
            try (InputStream in = Files.newInputStream(source);
                    FileChannel out = FileChannel.open(incoming, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                Copy copy = new Copy(out);
                MessageDigest digest = Sha256.digest();
                bytes = copy.run(in, digest, progress);
                out.force(true);
                hash = HexFormat.of().formatHex(digest.digest());
            }
            return place(incoming, hash, bytes);
        } catch (NoSuchFileException e) {
            throw new SeerException(errors.unreadableInput(), "File [" + source + "] does not exist",
                    Map.of("path", source.toString()), e);
        } catch (IOException e) {
            throw failure("store [" + source + "]", e);
        } finally {
            deleteQuietly(incoming);
        }
    }

    /** Moves a file this store's caller made (on the same file system) in, without copying it. */
    public Stored moveIn(Path made) {
        try {
            String hash = hash(made);
            long bytes = Files.size(made);
            try (FileChannel channel = FileChannel.open(made, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            return place(made, hash, bytes);
        } catch (IOException e) {
            throw failure("store [" + made + "]", e);
        } finally {
            deleteQuietly(made);
        }
    }

    /**
     * Copies an object to {@code out}, checking its hash on the way; if it differs, {@code out}
     * is not created and the object is reported corrupted.
     */
    public void copyOut(String sha256, Path out) {
        Path partial = out.resolveSibling("." + out.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            MessageDigest digest = Sha256.digest();
            try (InputStream in = open(sha256); OutputStream sink = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW)) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    sink.write(buffer, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                throw corrupted(sha256, actual);
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw failure("copy object [" + sha256 + "] to [" + out + "]", e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /** Hashes a stored object again; throws if it is missing or its content no longer has its name. */
    public void check(String sha256) {
        try {
            String actual = hash(path(sha256));
            if (!actual.equals(sha256)) {
                throw corrupted(sha256, actual);
            }
        } catch (NoSuchFileException e) {
            throw new SeerException(errors.corrupted(), "Object [" + sha256 + "] is missing from [" + root + "]",
                    Map.of("object", sha256), e);
        } catch (IOException e) {
            throw failure("read object [" + sha256 + "]", e);
        }
    }

    /** Every object's hash, in name order. */
    public List<String> all() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root, 2)) {
            List<String> hashes = new ArrayList<>();
            files.filter(Files::isRegularFile).filter(f -> !f.getParent().getFileName().toString().startsWith("."))
                    .forEach(f -> hashes.add(f.getParent().getFileName().toString() + f.getFileName()));
            hashes.sort(null);
            return hashes;
        } catch (IOException e) {
            throw failure("list objects", e);
        }
    }

    public long size(String sha256) {
        try {
            return Files.size(path(sha256));
        } catch (IOException e) {
            throw failure("read object [" + sha256 + "]", e);
        }
    }

    public void delete(String sha256) {
        try {
            Files.deleteIfExists(path(sha256));
        } catch (IOException e) {
            throw failure("delete object [" + sha256 + "]", e);
        }
    }

    /** Files left in {@code .incoming} by a copy that never finished (a crash). */
    public List<Path> leftovers() {
        Path dir = root.resolve(".incoming");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw failure("list [" + dir + "]", e);
        }
    }

    private InputStream open(String sha256) throws IOException {
        try {
            return Files.newInputStream(path(sha256));
        } catch (NoSuchFileException e) {
            throw new SeerException(errors.corrupted(), "Object [" + sha256 + "] is missing from [" + root + "]",
                    Map.of("object", sha256), e);
        }
    }

    public static String hash(Path file) throws IOException {
        MessageDigest digest = Sha256.digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private Path incoming() {
        Path dir = root.resolve(".incoming");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure("create [" + dir + "]", e);
        }
        return dir.resolve(UUID.randomUUID() + ".part");
    }

    /** Gives a complete file its name; if the name exists, the content is there already. */
    private Stored place(Path complete, String hash, long bytes) throws IOException {
        Path target = path(hash);
        if (Files.exists(target) && Files.size(target) == bytes) {
            return new Stored(hash, bytes, true);
        }
        if (Files.exists(target)) { // a damaged copy under the name: the complete file replaces it
            Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent());
            return new Stored(hash, bytes, false);
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(complete, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent()); // the name, too, survives a power loss before the version is recorded
        } catch (FileAlreadyExistsException e) {
            return new Stored(hash, bytes, true); // another writer placed the same content meanwhile
        } catch (AtomicMoveNotSupportedException e) {
            throw failure("move [" + complete + "] into the store (not on its file system)", e);
        }
        return new Stored(hash, bytes, false);
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private SeerException corrupted(String expected, String actual) {
        return new SeerException(errors.corrupted(), "Object [" + expected + "] is corrupted: its content now hashes"
                + " to [" + actual + "]; it is not served. Restore it from a copy or run `seer dataset verify`",
                Map.of("object", expected, "actual", actual));
    }

    private SeerException failure(String what, IOException e) {
        return new SeerException(errors.storageFailure(), label + " [" + root + "]: cannot " + what + ": "
                + e.getMessage(), Map.of("root", root.toString()), e);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in .incoming or a partial export: gc and the next export remove it
        }
    }

    /**
     * Read and hash on the caller's thread, write on a second: buffers go round through two
     * queues, so at most {@link #BUFFERS} are in flight and none is written while being filled.
     */
    private final class Copy {
        private final FileChannel out;
        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
        private volatile IOException writeFailure;

        private record Chunk(byte[] bytes, int length) {}

        Copy(FileChannel out) {
            this.out = out;
            for (int i = 0; i < BUFFERS; i++) {
                free.add(new byte[BUFFER]);
            }
        }

        long run(InputStream in, MessageDigest digest, LongConsumer progress) throws IOException {
            Thread writer = new Thread(this::write, "seer-object-writer");
            writer.start();
            long total = 0;
            try {
                while (true) {
                    byte[] buffer = take(free);
                    int n = in.readNBytes(buffer, 0, buffer.length);
                    if (n <= 0 || writeFailure != null) {
                        break;
                    }
                    digest.update(buffer, 0, n);
                    full.add(new Chunk(buffer, n));
                    total += n;
                    progress.accept(total);
                }
            } finally {
                full.add(new Chunk(null, 0)); // end
                join(writer);
            }
            if (writeFailure != null) {
                throw writeFailure;
            }
            return total;
        }

        private void write() {
            try {
                while (true) {
                    Chunk chunk = take(full);
                    if (chunk.bytes() == null) {
                        return;
                    }
                    var buffer = java.nio.ByteBuffer.wrap(chunk.bytes(), 0, chunk.length());
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    free.add(chunk.bytes());
                }
            } catch (IOException e) {
                writeFailure = e;
                free.add(new byte[0]); // wakes the reader, which then sees the failure
            }
        }

        private <T> T take(BlockingQueue<T> queue) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SeerException(errors.storageFailure(), "Interrupted while storing an object", Map.of(), e);
            }
        }

        private static void join(Thread thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
