package dev.seer.metadata;

import dev.seer.metadata.AuditVerification.Kind;
import dev.seer.metadata.AuditVerification.Problem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the hash chain of the audit log, row by row in sequence order, and collects the leaf
 * hashes for the Merkle tree.
 *
 * <p>Each row must carry the next sequence number, link to the previous row's hash, and hash to
 * its stored hash. The first row failing any of these is where the log was touched. What was
 * done there is told apart by looking around it: a row the next one skips over was inserted, a
 * row linking to a hash found elsewhere in the log was moved, a gap in the numbers or a link to
 * a hash found nowhere means a removal. This diagnosis needs the whole chain, so it only runs
 * (as a second pass over rows kept in memory) once a problem is known to exist.
 */
final class ChainVerifier {
    private static final int CHUNK = 2048;
    private static final int CHUNKS_IN_FLIGHT = 16;

    private byte[] leaves;
    private int count;
    private byte[] previousHash = AuditHashing.GENESIS;
    private long previousSeq;
    private volatile boolean broken;
    private final java.util.concurrent.atomic.AtomicReference<Throwable> checkerFailure =
            new java.util.concurrent.atomic.AtomicReference<>();

    /** The most leaves one flat array holds; a log longer than this is refused with a clear error. */
    static final int MAX_ENTRIES = Integer.MAX_VALUE / AuditHashing.HASH_BYTES;

    /** {@code expectedSize} (the head row) only sizes the first allocation; it is not trusted beyond that. */
    ChainVerifier(long expectedSize) {
        this.leaves = new byte[(int) Math.max(1024, Math.min(expectedSize + 1024, 1 << 20)) * AuditHashing.HASH_BYTES];
    }

    /**
     * Reads every row of {@code rows} and checks it. Reading (JDBC, mostly native work) and
     * hashing run on two threads: this one reads chunks of rows, a second checks them in order.
     * Reading stops at the first broken row.
     *
     * @return whether the whole chain was intact
     */
    boolean consume(ResultSet rows) throws SQLException {
        ExecutorService checker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "seer-audit-verify");
            thread.setDaemon(true);
            return thread;
        });
        Semaphore inFlight = new Semaphore(CHUNKS_IN_FLIGHT);
        try {
            List<RawRow> chunk = new ArrayList<>(CHUNK);
            while (!broken && rows.next()) {
                chunk.add(RawRow.read(rows));
                if (chunk.size() == CHUNK) {
                    submit(checker, inFlight, chunk);
                    chunk = new ArrayList<>(CHUNK);
                }
            }
            submit(checker, inFlight, chunk);
            inFlight.acquire(CHUNKS_IN_FLIGHT); // every chunk checked
            Throwable failure = checkerFailure.get();
            if (failure != null) {
                throw new IllegalStateException("Checking the audit chain failed: " + failure, failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while verifying", e);
        } finally {
            checker.shutdownNow();
        }
        return !broken;
    }

    private void submit(ExecutorService checker, Semaphore inFlight, List<RawRow> chunk) throws InterruptedException {
        inFlight.acquire();
        checker.execute(() -> {
            try {
                for (RawRow row : chunk) {
                    if (!accept(row)) {
                        return;
                    }
                }
            } catch (RuntimeException | Error e) {
                checkerFailure.compareAndSet(null, e);
                broken = true; // stops the reader; the failure is rethrown there
            } finally {
                inFlight.release();
            }
        });
    }

    /** Checks one more row; returns false from the first row that breaks the chain on. */
    boolean accept(RawRow row) {
        if (broken) {
            return false;
        }
        if (row.seq() != previousSeq + 1 || !Arrays.equals(row.prevHash(), previousHash)
                || !Arrays.equals(row.recomputeHash(), row.hash())) {
            broken = true;
            return false;
        }
        addLeaf(AuditHashing.leafHash(row.hash()));
        previousHash = row.hash();
        previousSeq = row.seq();
        return true;
    }

    private void addLeaf(byte[] leaf) {
        if (count == MAX_ENTRIES) {
            throw new IllegalStateException("The audit log has more than " + MAX_ENTRIES + " entries, more than one "
                    + "verify pass can hold");
        }
        int offset = count * AuditHashing.HASH_BYTES;
        if (offset + AuditHashing.HASH_BYTES > leaves.length) {
            long grown = Math.min((long) leaves.length * 2, (long) MAX_ENTRIES * AuditHashing.HASH_BYTES);
            leaves = Arrays.copyOf(leaves, (int) grown);
        }
        System.arraycopy(leaf, 0, leaves, offset, AuditHashing.HASH_BYTES);
        count++;
    }

    int count() {
        return count;
    }

    byte[] lastHash() {
        return previousHash;
    }

    MerkleTree tree() {
        return new MerkleTree(leaves, count);
    }

    /** Names what happened at the first bad row, given every row of the log in sequence order. */
    static Problem diagnose(List<StoredRow> rows, long headSize) {
        Map<String, Integer> positionByHash = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            positionByHash.put(AuditHashing.hex(rows.get(i).hash()), i);
        }
        long prevSeq = 0;
        byte[] prevHash = AuditHashing.GENESIS;
        for (int i = 0; i < rows.size(); i++) {
            StoredRow row = rows.get(i);
            if (row.seq() != prevSeq + 1) {
                return removed(prevSeq + 1, row.seq());
            }
            if (!Arrays.equals(row.prevHash(), prevHash)) {
                return brokenLink(rows, i, positionByHash);
            }
            if (!Arrays.equals(row.recomputeHash(), row.hash())) {
                return badContent(rows, i, prevHash, headSize);
            }
            prevHash = row.hash();
            prevSeq = row.seq();
        }
        throw new IllegalStateException("diagnose called on an intact chain");
    }

    private static Problem removed(long firstMissing, long nextPresent) {
        String which = nextPresent - firstMissing == 1 ? "entry " + firstMissing
                : "entries " + firstMissing + " to " + (nextPresent - 1);
        return new Problem(Kind.REMOVED, firstMissing, which.substring(0, 1).toUpperCase() + which.substring(1)
                + (nextPresent - firstMissing == 1 ? " was" : " were") + " removed: the log goes from entry "
                + (firstMissing - 1) + " to entry " + nextPresent);
    }

    private static Problem brokenLink(List<StoredRow> rows, int i, Map<String, Integer> positions) {
        StoredRow row = rows.get(i);
        if (i > 0 && Arrays.equals(row.prevHash(), rows.get(i - 1).prevHash())) {
            long inserted = rows.get(i - 1).seq();
            return new Problem(Kind.INSERTED, inserted, "Entry " + inserted
                    + " was inserted: entry " + row.seq() + " links to the entry before it");
        }
        Integer linked = positions.get(AuditHashing.hex(row.prevHash()));
        if (linked != null) {
            return new Problem(Kind.REORDERED, row.seq(), "Entry " + row.seq() + " was reordered: it was written after "
                    + "the entry now at " + rows.get(linked).seq() + ", not after entry " + (row.seq() - 1));
        }
        return new Problem(Kind.REMOVED, row.seq() - 1, "Entry " + (row.seq() - 1) + " was removed or rewritten: entry "
                + row.seq() + " links to a hash no entry has");
    }

    private static Problem badContent(List<StoredRow> rows, int i, byte[] prevHash, long headSize) {
        StoredRow row = rows.get(i);
        boolean nextSkipsIt = i + 1 < rows.size() && Arrays.equals(rows.get(i + 1).prevHash(), prevHash);
        if (nextSkipsIt || row.seq() > headSize) {
            return new Problem(Kind.INSERTED, row.seq(), "Entry " + row.seq() + " was inserted: "
                    + (nextSkipsIt ? "the entry after it links to the entry before it" : "it lies beyond the recorded head"));
        }
        return new Problem(Kind.CHANGED, row.seq(), "Entry " + row.seq() + " was changed: its content does not match its hash");
    }

    static Optional<Problem> checkHead(int count, byte[] lastHash, long headSize, byte[] headHash) {
        if (count < headSize) {
            long first = count + 1;
            return Optional.of(new Problem(Kind.REMOVED, first, (headSize - count == 1 ? "Entry " + first + " was"
                    : "Entries " + first + " to " + headSize + " were") + " removed: the head records " + headSize
                    + " entries, the log has " + count));
        }
        if (count > headSize) {
            return Optional.of(new Problem(Kind.INSERTED, headSize + 1, "Entry " + (headSize + 1)
                    + " was inserted: it lies beyond the recorded head of " + headSize + " entries"));
        }
        if (!Arrays.equals(lastHash, headHash)) {
            return Optional.of(new Problem(Kind.CHANGED, count, "Entry " + count
                    + " was changed: its hash differs from the one the head records"));
        }
        return Optional.empty();
    }
}
