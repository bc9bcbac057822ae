package dev.seer.core.home;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.provenance.Fields;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Ownership of a home. An OS file lock on {@code seer.lock} is the truth (the kernel drops it
 * when the process dies, even on SIGKILL, so a stale lock cannot outlive its owner); the owner
 * record in {@code run/owner.json} only says who holds it, for error messages and for the CLI to
 * find a running server.
 */
public final class HomeLock implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Homes this JVM holds. Probing such a home with a second channel is unsafe: on POSIX,
     * closing any descriptor of a file drops every lock the process has on it.
     */
    private static final Map<java.nio.file.Path, HomeLock> HELD = new java.util.concurrent.ConcurrentHashMap<>();

    private final SeerHome home;
    private final FileChannel channel;
    private final FileLock lock;
    private HomeOwner owner;

    private HomeLock(SeerHome home, FileChannel channel, FileLock lock, HomeOwner owner) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
        this.owner = owner;
    }

    static synchronized HomeLock acquire(SeerHome home, String command, Clock clock) {
        if (HELD.containsKey(home.root())) {
            throw locked(home);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw locked(home);
            }
            HomeOwner owner = new HomeOwner(ProcessHandle.current().pid(), command, clock.instant(), "");
            HomeLock homeLock = new HomeLock(home, channel, lock, owner);
            try {
                homeLock.writeOwner();
            } catch (RuntimeException e) {
                lock.release();
                closeQuietly(channel);
                throw e;
            }
            HELD.put(home.root(), homeLock);
            return homeLock;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SeerException(CoreErrorCode.HOME_IO, "Cannot lock home [" + home.root() + "]: " + e.getMessage(),
                    Map.of("home", home.root().toString()), e);
        }
    }

    private static SeerException locked(SeerHome home) {
        String holder = readOwner(home).map(HomeOwner::describe).orElse("another process");
        return new SeerException(CoreErrorCode.HOME_LOCKED, "Home [" + home.root() + "] is in use by " + holder,
                Map.of("home", home.root().toString(), "owner", holder));
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this same JVM
        }
    }

    static synchronized Optional<HomeOwner> currentOwner(SeerHome home) {
        HomeLock held = HELD.get(home.root());
        if (held != null) {
            return Optional.of(held.owner);
        }
        try (FileChannel channel = FileChannel.open(home.lockFile(), StandardOpenOption.WRITE)) {
            FileLock probe = tryLock(channel);
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        return readOwner(home).or(() -> Optional.of(new HomeOwner(-1, "unknown", Instant.EPOCH, "")));
    }

    private static Optional<HomeOwner> readOwner(SeerHome home) {
        try {
            Fields owner = new Fields(JSON.readTree(home.ownerFile().toFile()), "home owner");
            return Optional.of(new HomeOwner(owner.number("pid"), owner.text("command"), owner.instant("since"),
                    owner.textOr("url", "")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Records where this owner's server listens, so the CLI can reach it. */
    public void publishUrl(String url) {
        owner = new HomeOwner(owner.pid(), owner.command(), owner.since(), url);
        writeOwner();
    }

    public HomeOwner owner() {
        return owner;
    }

    private void writeOwner() {
        ObjectNode node = JSON.createObjectNode();
        node.put("pid", owner.pid());
        node.put("command", owner.command());
        node.put("since", owner.since().toString());
        node.put("url", owner.url());
        try {
            home.ensureRunDirectory();
            var temporary = home.ownerFile().resolveSibling("owner.json.tmp");
            JSON.writeValue(temporary.toFile(), node);
            Files.move(temporary, home.ownerFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SeerException(CoreErrorCode.HOME_IO, "Cannot write owner record in [" + home.root() + "]: "
                    + e.getMessage(), Map.of("home", home.root().toString()), e);
        }
    }

    @Override
    public void close() {
        synchronized (HomeLock.class) {
            HELD.remove(home.root(), this);
        }
        try {
            Files.deleteIfExists(home.ownerFile());
            lock.release();
        } catch (IOException e) {
            // The lock goes with the channel below anyway.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
