package dev.seer.serving.log;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.GroupCommit;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Sha256;
import dev.seer.core.Times;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.serving.ServingErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * The durable log of every prediction: an append is answered only once its records are on disk,
 * and each batch written is chained by its hash into the audit log.
 *
 * <p><b>Writing.</b> Callers encode their predictions on their own thread and queue them on a
 * {@link GroupCommit}; its one writer thread takes whatever has queued (up to
 * {@link LogOptions#maxBatchBytes}), writes it as one batch at the end of the active segment and
 * forces it to disk ({@code FileChannel.force}, one {@code fdatasync}), so concurrent requests
 * share one sync. The queue is bounded in appends and in bytes: when either is full an append
 * fails at once with {@code OVERLOADED} instead of waiting, so the server sheds load and its
 * memory stays bounded (the loggers of KServe and Seldon were reported to grow until they ran out
 * of memory, or to drop records silently). A segment is sealed when the next batch would pass
 * {@link LogOptions#segmentBytes}; a background thread then writes its index file.
 *
 * <p><b>Audit, and when the answer is sent.</b> Each batch's SHA-256 (over its bytes, whose
 * header holds the previous batch's hash) is recorded in the audit log as a
 * {@link BatchReceipt#ACTION} entry. By default an append completes once its batch is synced, and
 * the audit entry follows: the writer does not wait for it, and the audit log group-commits these
 * entries with all others. The hash is the one computed from the bytes in memory before they were
 * written, so a later change to the file is caught by {@code seer audit verify}. What this gives
 * up: if the process dies after the sync and before the entry, {@link #reconcile} records the
 * batch at the next start from its bytes on disk ({@code recovered}), so someone who could both
 * kill the server and rewrite the file in that window (milliseconds) would go unseen; the chain of
 * batch hashes still ties the batch to its neighbours. {@code prediction-log.answer-after: audit}
 * closes the window by answering only once the entry is durable, at a cost measured here of about
 * 8 ms per request on SQLite (the audit commit's sync), against about 1 ms for the log's own sync.
 * {@code answer-after: write} goes the other way: a batch is answered once written to the operating
 * system and a syncer thread forces the file every {@link LogOptions#syncIntervalMs}. A killed
 * server loses nothing (the kernel holds the pages; {@code PredictionKillTest} runs both modes),
 * but a crash of the machine can lose the batches of the last interval, whose audit entries may
 * already be durable: {@code seer audit verify} then reports them missing rather than nothing
 * noticing. It exists because the sync is the floor of the answer's latency: on the shared disk
 * of the benchmark machine {@code fdatasync} takes about 1 to 4 ms, at p99 about 10 ms.
 *
 * <p><b>Failure.</b> A write or sync that fails fails its batch (LOG_FAILURE) and stops the log:
 * after a failed {@code fsync} the kernel may have dropped the dirty pages, so what is on disk is
 * unknown until the file is read again (the lesson of PostgreSQL's "fsyncgate", 2018). Reopening
 * does that.
 *
 * <p><b>Recovery.</b> Opening scans the last segment, the only one a crash can have been writing:
 * a batch cut short at its end (or zeros where the file was extended) was never acknowledged and
 * is truncated, and reported by {@link #recovery()} and an audit entry; a record whose CRC fails
 * inside a whole batch is LOG_CORRUPT naming the file and offset, since a process kill cannot
 * cause it and it may hold answered predictions. Sealed segments are trusted through their index
 * files (rebuilt by a checking scan when missing or stale) and checked whole by {@link #verify}.
 *
 * <p><b>Replica.</b> Opened with a {@link BatchReplica} (the server's Kafka topic), the writer
 * hands every batch to it right after writing it locally and goes on to the next without waiting;
 * an append then completes only once its batch meets {@code answer-after} locally and the replica
 * has acknowledged it. A failed or timed-out copy fails the batch's appends (LOG_FAILURE; the
 * predict path answers 5xx) and stops the log as a failed sync does: the batch stays in the local
 * log, unanswered, and later batches are not written, so the replica never holds a batch whose
 * predecessor it lacks. Opening copies again, in order, the batches the local log holds after the
 * replica's {@link BatchReplica#lastReplicated}: those a crash or a failure caught between the local
 * write and the acknowledgement.
 *
 * <p><b>Reading.</b> By id through the index (the active segment's ids in memory, a sealed one's in
 * its sorted index file, segments outside the id's range skipped); other queries scan only the
 * segments whose summary (times, deployments, models) may match.
 */
public final class PredictionLog implements AutoCloseable {
    private static final byte[] NO_HASH = new byte[Frames.HASH];

    /** A synced batch's receipt, the future of its audit entry and that of its replica's acknowledgement. */
    private record Committed(BatchReceipt receipt, CompletableFuture<BatchReceipt> audited, CompletableFuture<Void> replicated) {}

    private static final CompletableFuture<Void> NOT_REPLICATED = CompletableFuture.completedFuture(null);
    /** Bytes of recovered batches handed to the replica before waiting for their acknowledgements. */
    private static final long CATCH_UP_WINDOW = 16L << 20;

    /** What a caller queues: its predictions and their record frames, encoded on its own thread. */
    private record Pending(List<Prediction> predictions, byte[] records) {}

    private final Path dir;
    private final LogOptions options;
    private final AuditSink audit;
    /** Where every batch is copied too; null without one. */
    private final BatchReplica replica;
    private final PredictionIds ids;
    private final Optional<Recovery> recovery;
    private final long openedThrough;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ExecutorService sealer;
    /** With answer-after: write, the thread that syncs written batches every interval; null otherwise. */
    private final ScheduledExecutorService syncer;
    private final GroupCommit<Pending, Committed> writer;
    private volatile List<Segment> segments;
    private volatile SeerException failure;
    private volatile boolean closed;
    /** Batches written since open, and where each sync's duration goes (the server's histogram): read by metrics. */
    private final AtomicLong batchesWritten = new AtomicLong();
    private volatile LongConsumer syncNanos = nanos -> { };

    // The writer thread's own state.
    private volatile FileChannel channel; // read by the syncer too
    private Segment active;
    private long position;
    private long nextBatch;
    private byte[] lastHash;

    private PredictionLog(Path dir, LogOptions options, AuditSink audit, BatchReplica replica, Clock clock, FileChannel lockChannel,
            FileLock lock, List<Segment> segments, Optional<Recovery> recovery) throws IOException {
        this.dir = dir;
        this.options = options;
        this.audit = audit;
        this.replica = replica;
        this.ids = new PredictionIds(clock);
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.segments = List.copyOf(segments);
        this.recovery = recovery;
        this.active = segments.get(segments.size() - 1);
        Segment.Summary s = active.summary();
        this.position = s.length();
        this.nextBatch = s.lastBatch() + 1;
        this.lastHash = s.lastHash();
        this.openedThrough = s.lastBatch();
        this.channel = FileChannel.open(active.file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        this.sealer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "seer-prediction-log-sealer");
            t.setDaemon(true);
            return t;
        });
        this.syncer = options.answerAfter() == LogOptions.AnswerAfter.WRITE ? startSyncer(options.syncIntervalMs()) : null;
        this.writer = new GroupCommit<>("seer-prediction-log", options.queueCapacity(), options.maxBatchBytes(),
                p -> p.records.length, this::commit,
                () -> new SeerException(ServingErrorCode.LOG_FAILURE, "The prediction log [" + dir + "] is closed", Map.of()));
    }

    /**
     * Opens (or creates) the log in {@code dir}, recovering the end of its last segment; the
     * directory is locked for this process until {@link #close}.
     *
     * @throws SeerException LOG_CORRUPT naming the file and offset of a damaged record; LOG_FAILURE
     *                       when the directory cannot be used or another process has it open
     */
    public static PredictionLog open(Path dir, LogOptions options, AuditSink audit, Clock clock) {
        return openLog(dir, options, audit, clock, null);
    }

    /**
     * Opens the log as {@link #open(Path, LogOptions, AuditSink, Clock)} does, copying every batch to
     * {@code replica} too (see the class comment); first the batches the log holds after the
     * replica's last, in order, waiting for them. The log closes the replica when it closes, or
     * when opening fails.
     *
     * @throws SeerException LOG_FAILURE also when the catch-up copy fails, or the replica holds a batch
     *                       beyond the log's last (the replica of another log, or a log that lost its end)
     */
    public static PredictionLog open(Path dir, LogOptions options, AuditSink audit, Clock clock, BatchReplica replica) {
        requireNonNull(replica, "replica is null");
        PredictionLog log;
        try {
            log = openLog(dir, options, audit, clock, replica);
        } catch (RuntimeException e) {
            closeQuietly(replica);
            throw e;
        }
        try {
            log.catchUp();
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    private static PredictionLog openLog(Path dir, LogOptions options, AuditSink audit, Clock clock, BatchReplica replica) {
        requireNonNull(options, "options is null");
        requireNonNull(audit, "audit is null");
        requireNonNull(clock, "clock is null");
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(lockChannel, dir);
            List<Path> files = segmentFiles(dir);
            List<Segment> segments = new ArrayList<>();
            byte[] previous = NO_HASH;
            for (int i = 0; i < files.size() - 1; i++) {
                Segment sealed = sealed(files.get(i));
                segments.add(sealed);
                previous = sealed.summary().lastHash();
            }
            Optional<Recovery> recovery = Optional.empty();
            if (files.isEmpty()) {
                segments.add(create(dir, 1, previous, options.segmentBytes()));
            } else {
                Path last = files.get(files.size() - 1);
                Scan scan = scanLast(last, previous, options.segmentBytes());
                recovery = scan.recovery;
                segments.add(Segment.active(last, firstBatch(last), scan.summary, scan.ids, scan.filter));
            }
            PredictionLog log = new PredictionLog(dir, options, audit, replica, clock, lockChannel, lock, segments, recovery);
            recovery.ifPresent(log::recordRecovery);
            return log;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new SeerException(ServingErrorCode.LOG_FAILURE, "Opening the prediction log [" + dir + "] failed: " + e.getMessage(),
                    Map.of("dir", dir.toString()), e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    /** A fresh id for a prediction about to be logged. */
    public String nextId() {
        return ids.next();
    }

    /** Batches written since this log was opened (each one write and, unless answer-after: write, one sync). */
    public long batchesWritten() {
        return batchesWritten.get();
    }

    /**
     * Tells {@code sink} the duration in nanoseconds of every sync of a written batch: the writer's own
     * ({@code answer-after: sync} and {@code audit}) or the syncer's ({@code write}). Called on the syncing thread: it
     * must be quick.
     */
    public void onSync(LongConsumer sink) {
        this.syncNanos = requireNonNull(sink, "sink is null");
    }

    /** What opening repaired, if anything. */
    public Optional<Recovery> recovery() {
        return recovery;
    }

    /**
     * Logs predictions. The future completes with the receipt of the batch that holds them once
     * they are on disk (and, with {@link LogOptions#answerAfterAudit}, once the batch's audit entry
     * is durable too); it fails with LOG_FAILURE if that did not happen, and at once with
     * OVERLOADED when the queue is full. A failed audit entry stops the log: later appends fail. The predictions of one
     * call are never split across batches. With a {@link BatchReplica}, it completes only once the replica acknowledged
     * the batch too, and fails with LOG_FAILURE if it did not. The future completes on the log's or the audit log's
     * writer thread, or the replica's: wait for it ({@code join}) or chain with the {@code ...Async} methods, never
     * run slow work in a plain {@code thenApply}, which would hold up every later batch.
     */
    public CompletableFuture<BatchReceipt> append(List<Prediction> predictions) {
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("an append needs at least one prediction");
        }
        SeerException stopped = failure;
        if (stopped != null) {
            return CompletableFuture.failedFuture(stopped);
        }
        Pending pending = new Pending(List.copyOf(predictions), encode(predictions));
        int size = pending.records.length;
        if (size + Frames.BATCH_HEADER > options.maxBatchBytes()) {
            return CompletableFuture.failedFuture(new SeerException(ServingErrorCode.INVALID_INPUT, "An append of "
                    + predictions.size() + " predictions takes " + size + " bytes, more than a batch's " + options.maxBatchBytes(),
                    Map.of("bytes", size)));
        }
        if (queuedBytes.addAndGet(size) > options.maxQueuedBytes()) {
            queuedBytes.addAndGet(-size);
            return overloaded("its queue holds " + options.maxQueuedBytes() + " bytes");
        }
        Optional<CompletableFuture<Committed>> queued = writer.offer(pending);
        if (queued.isEmpty()) {
            queuedBytes.addAndGet(-size);
            if (closed) {
                return CompletableFuture.failedFuture(new SeerException(ServingErrorCode.LOG_FAILURE,
                        "The prediction log [" + dir + "] is closed", Map.of()));
            }
            return overloaded("its queue holds " + options.queueCapacity() + " appends");
        }
        CompletableFuture<Committed> committed = queued.get();
        // synced (or written): answered now, unless answer-after: audit; the audit entry follows (a failed one stops the log,
        // a crash before it is reconciled)
        CompletableFuture<BatchReceipt> local = options.answerAfter() == LogOptions.AnswerAfter.AUDIT
                ? committed.thenCompose(Committed::audited) : committed.thenApply(Committed::receipt);
        if (replica == null) {
            return local;
        }
        return local.thenCombine(committed.thenCompose(Committed::replicated), (receipt, replicated) -> receipt);
    }

    private static CompletableFuture<BatchReceipt> overloaded(String why) {
        return CompletableFuture.failedFuture(new SeerException(ServingErrorCode.OVERLOADED,
                "The prediction log is full (" + why + "); try again later", Map.of()));
    }

    private static byte[] encode(List<Prediction> predictions) {
        RecordCodec.Out out = new RecordCodec.Out(256 * predictions.size());
        for (Prediction p : predictions) {
            int start = out.size();
            out.i32(0);
            out.i32(0);
            RecordCodec.encode(p, out);
            int length = out.size() - start - Frames.RECORD_HEADER;
            out.putInt(start, length);
            out.putInt(start + 4, Frames.crc(out.array(), start + Frames.RECORD_HEADER, length));
        }
        return out.toByteArray();
    }

    /** The writer thread: one batch, one write, one sync. */
    private List<Committed> commit(List<Pending> batch) {
        int body = 0;
        for (Pending p : batch) {
            body += p.records.length;
        }
        queuedBytes.addAndGet(-body);
        if (failure != null) {
            throw failure;
        }
        List<Prediction> all = new ArrayList<>();
        byte[] bytes = new byte[Frames.BATCH_HEADER + body];
        int at = Frames.BATCH_HEADER;
        for (Pending p : batch) {
            System.arraycopy(p.records, 0, bytes, at, p.records.length);
            at += p.records.length;
            all.addAll(p.predictions);
        }
        long number = nextBatch;
        Frames.batchHeader(bytes, number, all.size(), body, lastHash);
        long offset = position;
        try {
            if (position > Frames.SEGMENT_HEADER && position + bytes.length > options.segmentBytes()) {
                roll();
                offset = position;
            }
            writeFully(channel, ByteBuffer.wrap(bytes), offset);
            if (syncer == null) {
                long start = System.nanoTime();
                channel.force(false);
                syncNanos.accept(System.nanoTime() - start);
            }
        } catch (IOException | RuntimeException e) {
            throw stop("Writing batch " + number + " to [" + active.file + "] at offset " + offset, offset, e);
        }
        byte[] hash = Sha256.of(bytes);
        Map<String, Long> located = new HashMap<>();
        ByteBuffer view = ByteBuffer.wrap(bytes);
        int record = Frames.BATCH_HEADER;
        for (Prediction p : all) {
            located.put(p.id(), offset + record);
            record += Frames.RECORD_HEADER + view.getInt(record);
        }
        active.committed(active.summary().plus(offset + bytes.length, number, all, hash), located, all);
        BatchReceipt receipt = new BatchReceipt(number, active.file.getFileName().toString(), offset, all.size(),
                all.get(0).id(), all.get(all.size() - 1).id(), hex(hash), hex(lastHash));
        position = offset + bytes.length;
        lastHash = hash;
        nextBatch = number + 1;
        batchesWritten.incrementAndGet();
        // handed over before the audit entry is asked for: the copy's round trip overlaps the audit's
        CompletableFuture<Void> replicated = replica == null ? NOT_REPLICATED : replicate(number, bytes, hash);
        CompletableFuture<BatchReceipt> audited = recordBatch(receipt, false);
        audited.whenComplete((r, error) -> {
            if (error != null && failure == null) {
                // later appends fail fast rather than pile up predictions the audit log cannot cover
                failure = error instanceof SeerException seer ? seer : new SeerException(ServingErrorCode.LOG_FAILURE,
                        "The audit entry of batch " + receipt.batch() + " failed: " + error.getMessage(), Map.of(), error);
            }
        });
        return Collections.nCopies(batch.size(), new Committed(receipt, audited, replicated));
    }

    /** Hands a batch to the replica; a failed copy stops the log, so the replica never skips a batch. */
    private CompletableFuture<Void> replicate(long number, byte[] bytes, byte[] hash) {
        CompletableFuture<Void> sent;
        try {
            sent = requireNonNull(replica.replicate(number, bytes, hex(hash)), "the replica's future is null");
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((done, error) -> {
            if (error == null) {
                return null;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            SeerException failed = new SeerException(ServingErrorCode.LOG_FAILURE, "Batch " + number + " is in the prediction log"
                    + " [" + dir + "] but its replication failed: " + cause.getMessage() + "; the prediction log takes no more"
                    + " appends until it is reopened", Map.of("batch", number), cause);
            if (failure == null) {
                failure = failed;
            }
            throw failed;
        });
    }

    /**
     * At open: copies the batches after the replica's last, in order, waiting for them in windows of
     * {@link #CATCH_UP_WINDOW} bytes so a long backlog does not sit in memory whole.
     */
    private void catchUp() {
        OptionalLong last = replica.lastReplicated();
        long from = last.orElse(0) + 1;
        if (from > nextBatch) {
            throw new SeerException(ServingErrorCode.LOG_FAILURE, "The replica of the prediction log [" + dir + "] holds batch "
                    + last.getAsLong() + ", but the log ends at batch " + (nextBatch - 1) + ": it is another log's replica, or"
                    + " this log lost its end", Map.of("dir", dir.toString(), "batch", last.getAsLong()));
        }
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        long window = 0;
        for (Segment segment : segments) {
            Segment.Summary s = segment.summary();
            if (s.lastBatch() < from) {
                continue;
            }
            try (SegmentReader reader = new SegmentReader(segment.file, s.length(), Frames.SEGMENT_HEADER)) {
                Optional<Batch> read;
                while ((read = reader.nextWhole()).isPresent()) {
                    Batch b = read.get();
                    if (b.number() < from) {
                        continue;
                    }
                    pending.add(replicate(b.number(), b.bytes(), b.hash()));
                    window += b.bytes().length;
                    if (window >= CATCH_UP_WINDOW) {
                        awaitAll(pending);
                        window = 0;
                    }
                }
            } catch (IOException e) {
                throw readFailure(segment.file, e);
            }
        }
        awaitAll(pending);
    }

    private static void awaitAll(List<CompletableFuture<Void>> pending) {
        try {
            pending.forEach(CompletableFuture::join);
        } catch (CompletionException e) {
            throw e.getCause() instanceof SeerException seer ? seer : e;
        } finally {
            pending.clear();
        }
    }

    private SeerException stop(String what, long offset, Exception e) {
        try {
            channel.truncate(offset);
        } catch (IOException | RuntimeException ignored) {
            // the log stops either way; reopening reads what is there
        }
        SeerException stopped = new SeerException(ServingErrorCode.LOG_FAILURE, what + " failed: " + e.getMessage()
                + "; the prediction log takes no more appends until it is reopened", Map.of("file", active.file.toString(),
                "offset", offset), e);
        failure = stopped;
        return stopped;
    }

    private void roll() throws IOException {
        Segment sealed = active;
        channel.force(false); // with answer-after: write, its last batches; the index about to be written vouches for them
        channel.close();
        active = create(dir, nextBatch, lastHash, options.segmentBytes());
        channel = FileChannel.open(active.file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        position = Frames.SEGMENT_HEADER;
        List<Segment> more = new ArrayList<>(segments);
        more.add(active);
        segments = List.copyOf(more);
        sealer.execute(() -> {
            try {
                sealed.indexed(SegmentIndex.write(sealed.file, sealed.firstBatch, sealed.summary(), sealed.liveIds(),
                        sealed.filter()));
            } catch (IOException | RuntimeException e) {
                // the ids stay in memory; the index is rebuilt from the segment at the next open
            }
        });
    }

    private ScheduledExecutorService startSyncer(int intervalMs) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "seer-prediction-log-syncer");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(this::syncWritten, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return s;
    }

    /** The syncer: what was written since the last sync goes to disk. A failed sync stops the log, as in the writer. */
    private void syncWritten() {
        FileChannel c = channel;
        try {
            long start = System.nanoTime();
            c.force(false);
            syncNanos.accept(System.nanoTime() - start);
        } catch (ClosedChannelException e) {
            // rolled (the roll synced it) or closed (close syncs)
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                failure = new SeerException(ServingErrorCode.LOG_FAILURE, "Syncing the prediction log [" + dir + "] failed: " + e.getMessage() + "; the prediction log takes no more appends until it is reopened",
                        Map.of("dir", dir.toString()), e);
            }
        }
    }

    private CompletableFuture<BatchReceipt> recordBatch(BatchReceipt receipt, boolean recovered) {
        ObjectNode payload = receipt.toJson();
        if (recovered) {
            payload.put("recovered", true);
        }
        CompletableFuture<Long> entry;
        try {
            entry = audit.record(new AuditRecord("seer", BatchReceipt.ACTION, BatchReceipt.SUBJECT_TYPE,
                    Long.toString(receipt.batch()), payload));
        } catch (RuntimeException e) {
            entry = CompletableFuture.failedFuture(e);
        }
        return entry.handle((seq, error) -> {
            if (error != null) {
                throw new SeerException(ServingErrorCode.LOG_FAILURE, "Batch " + receipt.batch() + " of the prediction log is on disk"
                        + " but its audit entry failed: " + error.getMessage(), Map.of("batch", receipt.batch()), error);
            }
            return receipt;
        });
    }

    private void recordRecovery(Recovery r) {
        ObjectNode payload = Json.object().put("segment", r.segment()).put("offset", r.offset())
                .put("bytes_dropped", r.bytesDropped()).put("reason", r.reason());
        audit.record(new AuditRecord("seer", "prediction.log-recovered", BatchReceipt.SUBJECT_TYPE, r.segment(), payload)).join();
    }

    /** The prediction with this id, if logged. */
    public Optional<Prediction> find(String id) {
        PredictionIds.parse(id);
        List<Segment> snapshot = segments;
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            Segment s = snapshot.get(i);
            try {
                OptionalLong at = s.offsetOf(id);
                if (at.isPresent()) {
                    return Optional.of(readRecord(s.file, at.getAsLong()));
                }
            } catch (IOException e) {
                throw readFailure(s.file, e);
            }
        }
        return Optional.empty();
    }

    /** The prediction with this id; UNKNOWN_PREDICTION if there is none. */
    public Prediction get(String id) {
        return find(id).orElseThrow(() -> new SeerException(ServingErrorCode.UNKNOWN_PREDICTION,
                "Prediction [" + id + "] is not in the log", Map.of("id", id)));
    }

    /** The predictions that match, in log order, at most the query's limit. */
    public List<Prediction> query(PredictionQuery query) {
        List<Prediction> found = new ArrayList<>();
        scan(query, p -> {
            found.add(p);
            return found.size() < query.limit();
        });
        return found;
    }

    /**
     * Visits every prediction that matches, in the query's order, up to its limit, without holding them: how a caller
     * reads a range too large for a list.
     *
     * @return how many were visited
     */
    public long forEach(PredictionQuery query, java.util.function.Consumer<Prediction> each) {
        long[] seen = {0};
        scan(query, p -> {
            each.accept(p);
            return ++seen[0] < query.limit();
        });
        return seen[0];
    }

    /**
     * A place in the log just past a batch: the batch's number, and the segment and offset where the
     * next batch starts, so a reader that comes back every second resumes there instead of reading
     * its segment again from the start.
     *
     * @param batch   the last batch read (0: none, the log's batches are numbered from 1)
     * @param segment the file name of the segment holding it (empty before the first)
     * @param offset  where in that segment the next batch starts
     */
    public record Tail(long batch, String segment, long offset) {
        /** Before the first batch. */
        public static final Tail START = new Tail(0, "", Frames.SEGMENT_HEADER);

        public Tail {
            requireNonNull(segment, "segment is null");
        }
    }

    /** What {@link #readAfter} hands over: each batch's predictions, shadows included, in log order. */
    @FunctionalInterface
    public interface BatchVisitor {
        /**
         * @param after where the log is just past this batch: a reader that keeps it goes on from there even if a later
         *     batch of the same call fails to read, so it never visits this one twice
         */
        void visit(Tail after, List<Prediction> predictions);

        /**
         * A whole batch (its CRCs checked) whose records do not decode: by default the read fails; a reader that would
         * rather go past it (counting and logging it) returns, and the read goes on after it.
         */
        default void unreadable(Tail after, SeerException error) {
            throw error;
        }
    }

    /**
     * Visits every whole batch after {@code after}, in log order, each once: the batches are numbered
     * and chained, so a reader that passes back the tail this returns neither misses nor repeats a
     * prediction, whatever their times (a prediction is stamped before it is queued, so times are not
     * in log order). A batch is visited once it is durable (with {@code answer-after: write}, once
     * written). Segments whose predictions are all older than {@code notBefore} are skipped unread;
     * within the others every batch is visited, so the visitor filters by time itself.
     *
     * @return where the next call goes on from: past the last batch visited or skipped ({@code after} when none)
     */
    public Tail readAfter(Tail after, Instant notBefore, BatchVisitor visitor) {
        requireNonNull(after, "after is null");
        long oldest = Times.toMicros(requireNonNull(notBefore, "notBefore is null"));
        Tail at = after;
        for (Segment segment : segments) {
            Segment.Summary s = segment.summary();
            if (s.lastBatch() <= at.batch()) {
                continue;
            }
            String name = segment.file.getFileName().toString();
            if (s.maxTime() < oldest) {
                at = new Tail(s.lastBatch(), name, s.length());
                continue;
            }
            long from = name.equals(at.segment()) ? at.offset() : Frames.SEGMENT_HEADER;
            try (SegmentReader reader = new SegmentReader(segment.file, s.length(), from)) {
                Optional<Batch> batch;
                while ((batch = reader.nextWhole()).isPresent()) {
                    Batch b = batch.get();
                    if (b.number() > at.batch()) {
                        Tail past = new Tail(b.number(), name, reader.position());
                        List<Prediction> predictions;
                        try {
                            predictions = decodeAll(b);
                        } catch (SeerException e) {
                            visitor.unreadable(past, e);
                            at = past;
                            continue;
                        }
                        visitor.visit(past, predictions);
                        at = past;
                    }
                }
            } catch (IOException e) {
                throw readFailure(segment.file, e);
            }
        }
        return at;
    }

    /**
     * One page of a query's matches: at most its limit, in its order, and the id to continue
     * after when more follow.
     *
     * @param predictions the matches of this page
     * @param next        the last prediction of this page, to pass as {@code after} for the next; empty on the last page
     */
    public record Page(List<Prediction> predictions, Optional<String> next) {
        public Page {
            predictions = List.copyOf(predictions);
            requireNonNull(next, "next is null");
        }
    }

    /**
     * The matches of {@code query} that come after the prediction {@code after} in the query's
     * order (the {@link Page#next} of the previous page), or from the start. The cursor is a
     * place in the log, not a time, so predictions logged between two pages never shift or repeat
     * what a newest-first listing already showed; an {@code after} the log does not hold is
     * refused (INVALID_INPUT naming {@code after}).
     */
    public Page page(PredictionQuery query, Optional<String> after) {
        Optional<Position> start = after.map(this::positionOf);
        List<Prediction> found = new ArrayList<>();
        scan(query, start, p -> {
            found.add(p);
            return found.size() <= query.limit(); // one more than the page: whether another follows
        });
        if (found.size() <= query.limit()) {
            return new Page(found, Optional.empty());
        }
        List<Prediction> page = found.subList(0, query.limit());
        return new Page(page, Optional.of(page.get(page.size() - 1).id()));
    }

    /** Where a prediction is: its segment and the offset of its record. */
    private record Position(Segment segment, long offset) {}

    private Position positionOf(String id) {
        if (!PredictionIds.isValid(id)) {
            throw new SeerException(ServingErrorCode.INVALID_INPUT, "[after] must be a prediction id (prd_ and 26"
                    + " characters of Crockford base32), not [" + id + "]", Map.of("field", "after"));
        }
        List<Segment> snapshot = segments;
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            Segment s = snapshot.get(i);
            try {
                OptionalLong at = s.offsetOf(id);
                if (at.isPresent()) {
                    return new Position(s, at.getAsLong());
                }
            } catch (IOException e) {
                throw readFailure(s.file, e);
            }
        }
        throw new SeerException(ServingErrorCode.INVALID_INPUT, "[after] names prediction [" + id + "], which is not in"
                + " the log", Map.of("field", "after"));
    }

    /**
     * Writes the predictions that match to a file: Parquet ({@code .parquet}, through DuckDB) or
     * JSON lines ({@code .jsonl}); see {@link PredictionExport}. The file appears whole or not at all.
     *
     * @return how many predictions were written
     */
    public long export(Path file, PredictionQuery filter) {
        return PredictionExport.write(this, file, ExportFormat.ofFile(file), filter);
    }

    /** Writes the predictions that match to {@code file} in {@code format}, whatever the file's name. */
    public long export(Path file, ExportFormat format, PredictionQuery filter) {
        return PredictionExport.write(this, file, format, filter);
    }

    /**
     * The shadow predictions scored beside the answered prediction {@code id}: those naming it in
     * {@link Prediction#shadowOf()} in the same batch (the predict path logs a request's answered
     * and shadow predictions in one append, which is never split). Empty when there were none or
     * {@code id} is not logged.
     */
    public List<Prediction> shadowsOf(String id) {
        PredictionIds.parse(id);
        List<Segment> snapshot = segments;
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            Segment s = snapshot.get(i);
            try {
                OptionalLong at = s.offsetOf(id);
                if (at.isPresent()) {
                    Batch batch = batchAt(s, at.getAsLong());
                    return decodeAll(batch).stream().filter(p -> p.shadowOf().filter(id::equals).isPresent()).toList();
                }
            } catch (IOException e) {
                throw readFailure(s.file, e);
            }
        }
        return List.of();
    }

    /** The batch holding the record at {@code offset}: batch headers are followed (bodies skipped) from the segment's start. */
    private static Batch batchAt(Segment segment, long offset) throws IOException {
        try (FileChannel c = FileChannel.open(segment.file, StandardOpenOption.READ)) {
            long at = Frames.SEGMENT_HEADER;
            ByteBuffer header = ByteBuffer.allocate(Frames.BATCH_HEADER);
            while (true) {
                header.clear();
                readFully(c, header, at, segment.file);
                long end = at + Frames.BATCH_HEADER + header.getInt(16);
                if (offset < end) {
                    try (SegmentReader reader = new SegmentReader(segment.file, end, at)) {
                        return reader.nextWhole().orElseThrow();
                    }
                }
                at = end;
            }
        }
    }

    /** Visits the matches in log order (or newest first) until the visitor returns false. */
    void scan(PredictionQuery query, Predicate<Prediction> visitor) {
        scan(query, Optional.empty(), visitor);
    }

    /** {@link #scan(PredictionQuery, Predicate)} from just past {@code start} in the query's order, when given. */
    private void scan(PredictionQuery query, Optional<Position> start, Predicate<Prediction> visitor) {
        List<Segment> order = new ArrayList<>(segments);
        if (query.descending()) {
            Collections.reverse(order);
        }
        if (start.isPresent()) {
            order = order.subList(order.indexOf(start.get().segment()), order.size());
        }
        for (Segment segment : order) {
            Segment.Summary s = segment.summary();
            List<Prediction> matches = new ArrayList<>();
            try {
                if (!query.mayMatch(s) || !query.entity().isEmpty() && !segment.mayHoldEntity(query.entity())) {
                    continue;
                }
            } catch (IOException e) {
                throw readFailure(segment.file, e);
            }
            // in the cursor's segment, only the records on the far side of it
            long after = start.filter(p -> p.segment() == segment).map(Position::offset).orElse(query.descending()
                    ? Long.MAX_VALUE : Long.MIN_VALUE);
            try (SegmentReader reader = new SegmentReader(segment.file, s.length(), Frames.SEGMENT_HEADER)) {
                Optional<Batch> batch;
                while ((batch = reader.nextWhole()).isPresent()) {
                    List<Long> offsets = new ArrayList<>(batch.get().count());
                    List<Prediction> decoded = decodeAll(batch.get(), offsets);
                    for (int i = 0; i < decoded.size(); i++) {
                        Prediction p = decoded.get(i);
                        long offset = offsets.get(i);
                        if (query.descending() ? offset >= after : offset <= after) {
                            continue;
                        }
                        if (!query.matches(p)) {
                            continue;
                        }
                        if (query.descending()) {
                            matches.add(p); // a segment is read forwards; its matches are visited backwards
                        } else if (!visitor.test(p)) {
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                throw readFailure(segment.file, e);
            }
            for (int i = matches.size() - 1; i >= 0; i--) {
                if (!visitor.test(matches.get(i))) {
                    return;
                }
            }
        }
    }

    /**
     * The predictions of one batch's bytes as a {@link BatchReplica} receives them: how a reader of
     * the replica (a consumer of its Kafka topic) decodes a batch. Frames and CRCs are checked.
     *
     * @throws SeerException LOG_CORRUPT when the bytes are not one whole batch
     */
    public static List<Prediction> predictionsOf(byte[] batch) {
        Path where = Path.of("replicated-batch");
        ByteBuffer b = ByteBuffer.wrap(batch);
        if (batch.length < Frames.BATCH_HEADER || b.getInt(0) != Frames.BATCH_MAGIC
                || Frames.crc(batch, 0, Frames.BATCH_HEADER - 4) != b.getInt(Frames.BATCH_HEADER - 4)) {
            throw Frames.corrupt(where, 0, "the bytes do not start with a prediction log batch header");
        }
        if (b.getInt(16) != batch.length - Frames.BATCH_HEADER) {
            throw Frames.corrupt(where, 0, "the batch header says " + b.getInt(16) + " bytes of records, "
                    + (batch.length - Frames.BATCH_HEADER) + " follow");
        }
        Batch.checkRecords(where, 0, batch, b.getInt(12));
        return decodeAll(new Batch(where, 0, b.getLong(4), b.getInt(12), batch));
    }

    private static List<Prediction> decodeAll(Batch batch) {
        return decodeAll(batch, new ArrayList<>());
    }

    /** The batch's predictions, their record offsets added to {@code offsets} in the same order. */
    private static List<Prediction> decodeAll(Batch batch, List<Long> offsets) {
        List<Prediction> out = new ArrayList<>(batch.count());
        batch.forEachRecord((offset, payload) -> {
            out.add(decode(batch.file(), offset, payload));
            offsets.add(offset);
        });
        return out;
    }

    private static Prediction decode(Path file, long offset, ByteBuffer payload) {
        try {
            return RecordCodec.decode(payload);
        } catch (IllegalArgumentException e) {
            throw Frames.corrupt(file, offset, "the record does not parse: " + e.getMessage());
        }
    }

    private static Prediction readRecord(Path file, long offset) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(Frames.RECORD_HEADER);
            readFully(c, header, offset, file);
            int length = header.getInt(0);
            if (length < 1 || length > c.size() - offset - Frames.RECORD_HEADER) {
                throw Frames.corrupt(file, offset, "record length " + length + " runs past the file's end");
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(c, payload, offset + Frames.RECORD_HEADER, file);
            if (Frames.crc(payload.array(), 0, length) != header.getInt(4)) {
                throw Frames.corrupt(file, offset, "record CRC does not match its bytes");
            }
            payload.flip();
            return decode(file, offset, payload);
        }
    }

    /**
     * Re-reads every batch, recomputes its hash and the chain, and compares them with the hashes
     * the audit log recorded ({@code recorded}: batch number to hex hash, read from the
     * {@link BatchReceipt#ACTION} entries before calling). Reports the first batch that is damaged,
     * changed, missing or extra. Batches appended while it runs are not checked.
     */
    public LogVerification verify(Map<Long, String> recorded) {
        TreeMap<Long, String> expected = new TreeMap<>(recorded);
        long want = 1;
        long predictions = 0;
        byte[] previous = NO_HASH;
        for (Segment segment : segments) {
            String name = segment.file.getFileName().toString();
            try (SegmentReader reader = new SegmentReader(segment.file, segment.summary().length(), Frames.SEGMENT_HEADER)) {
                while (true) {
                    Optional<Batch> read;
                    long at = reader.position();
                    try {
                        read = reader.nextWhole();
                    } catch (SeerException e) {
                        Object offset = e.details().getOrDefault("offset", at);
                        return problem(want - 1, predictions, LogVerification.Kind.CORRUPT, want, name, ((Number) offset).longValue(),
                                e.getMessage());
                    }
                    if (read.isEmpty()) {
                        break;
                    }
                    Batch b = read.get();
                    String hash = b.hashHex();
                    String audited = expected.get(b.number());
                    if (b.number() > want) {
                        return problem(want - 1, predictions, LogVerification.Kind.MISSING, want, name, b.offset(), "Batch " + want
                                + " is not in the log: batch " + b.number() + " comes after batch " + (want - 1));
                    } else if (b.number() < want) {
                        return problem(want - 1, predictions, LogVerification.Kind.EXTRA, b.number(), name, b.offset(), "Batch "
                                + b.number() + " appears again after batch " + (want - 1));
                    } else if (!Arrays.equals(b.previousHash(), previous)) {
                        return problem(want - 1, predictions, LogVerification.Kind.BROKEN_CHAIN, want, name, b.offset(), "Batch "
                                + want + " names previous hash " + hex(b.previousHash()) + ", but batch " + (want - 1) + " hashes to "
                                + hex(previous));
                    } else if (audited == null) {
                        return problem(want - 1, predictions, LogVerification.Kind.EXTRA, want, name, b.offset(), "Batch " + want
                                + " (hash " + hash + ") was never recorded in the audit log");
                    } else if (!audited.equals(hash)) {
                        return problem(want - 1, predictions, LogVerification.Kind.CHANGED, want, name, b.offset(), "Batch " + want
                                + " hashes to " + hash + ", the audit log recorded " + audited);
                    }
                    previous = b.hash();
                    predictions += b.count();
                    want++;
                }
            } catch (IOException e) {
                throw readFailure(segment.file, e);
            }
        }
        Map.Entry<Long, String> beyond = expected.ceilingEntry(want);
        if (beyond != null) {
            return problem(want - 1, predictions, LogVerification.Kind.MISSING, beyond.getKey(), "", -1, "The audit log recorded batch "
                    + beyond.getKey() + " (hash " + beyond.getValue() + "), the log ends at batch " + (want - 1));
        }
        return new LogVerification(want - 1, predictions, Optional.empty());
    }

    private static LogVerification problem(long batches, long predictions, LogVerification.Kind kind, long batch, String segment,
            long offset, String message) {
        return new LogVerification(batches, predictions, Optional.of(new LogVerification.Problem(kind, batch, segment, offset, message)));
    }

    /**
     * Records in the audit log the batches that were on disk when the log was opened but that the
     * audit log lacks ({@code recorded} as for {@link #verify}): those a crash caught between their
     * sync and their audit entry, which hold only unanswered predictions. Their entries carry
     * {@code "recovered": true}. Waits for the entries; safe while appends run.
     *
     * @return the batches recorded now
     */
    public List<BatchReceipt> reconcile(Map<Long, String> recorded) {
        TreeMap<Long, String> expected = new TreeMap<>(recorded);
        List<BatchReceipt> added = new ArrayList<>();
        List<CompletableFuture<BatchReceipt>> pending = new ArrayList<>();
        for (Segment segment : segments) {
            Segment.Summary s = segment.summary();
            long last = Math.min(s.lastBatch(), openedThrough);
            if (last < segment.firstBatch || expected.subMap(segment.firstBatch, true, last, true).size() == last - segment.firstBatch + 1) {
                continue;
            }
            try (SegmentReader reader = new SegmentReader(segment.file, s.length(), Frames.SEGMENT_HEADER)) {
                Optional<Batch> read;
                while ((read = reader.nextWhole()).isPresent() && read.get().number() <= last) {
                    Batch b = read.get();
                    if (!expected.containsKey(b.number())) {
                        List<Prediction> ps = decodeAll(b);
                        BatchReceipt receipt = new BatchReceipt(b.number(), segment.file.getFileName().toString(), b.offset(), b.count(),
                                ps.get(0).id(), ps.get(ps.size() - 1).id(), b.hashHex(), hex(b.previousHash()));
                        added.add(receipt);
                        pending.add(recordBatch(receipt, true));
                    }
                }
            } catch (IOException e) {
                throw readFailure(segment.file, e);
            }
        }
        pending.forEach(CompletableFuture::join);
        return added;
    }

    /** Commits what is queued, then releases the files and the directory's lock. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        if (replica != null) {
            closeQuietly(replica); // waits for the copies of the batches just committed
        }
        if (syncer != null) {
            // not shutdownNow: an interrupt inside force() would close the channel, and the last sync below would fail
            syncer.shutdown();
            try {
                syncer.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                channel.force(false);
            } catch (IOException | RuntimeException e) {
                // what the kernel holds still reaches the disk; a machine crash now could lose it, as documented
            }
        }
        sealer.shutdown();
        try {
            sealer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(channel);
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    // ---- opening

    private record Scan(Segment.Summary summary, Map<String, Long> ids, EntityFilter filter, Optional<Recovery> recovery) {}

    private static Segment sealed(Path file) throws IOException {
        long length = Files.size(file);
        Optional<SegmentIndex> index = SegmentIndex.read(file, length);
        if (index.isPresent()) {
            return Segment.sealed(file, firstBatch(file), index.get());
        }
        Scan scan = scan(file, length, NO_HASH, false, EntityFilter.forBytes(length));
        return Segment.sealed(file, firstBatch(file), SegmentIndex.write(file, firstBatch(file), scan.summary, scan.ids,
                scan.filter));
    }

    private static Scan scanLast(Path file, byte[] previous, long segmentBytes) throws IOException {
        EntityFilter filter = EntityFilter.forBytes(Math.max(segmentBytes, Files.size(file)));
        long length = Files.size(file);
        if (length < Frames.SEGMENT_HEADER) { // created, then the process died before its header was synced
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                c.truncate(0);
                writeFully(c, ByteBuffer.wrap(Frames.segmentHeader()), 0);
                c.force(true);
            }
            Optional<Recovery> r = length == 0 ? Optional.empty() : Optional.of(new Recovery(file.getFileName().toString(), 0, length,
                    "the segment header was cut short"));
            return new Scan(Segment.Summary.empty(firstBatch(file), previous), Map.of(), filter, r);
        }
        return scan(file, length, previous, true, filter);
    }

    /** Reads a segment whole, checking every frame; a torn tail is truncated when {@code tolerateTail}. */
    private static Scan scan(Path file, long length, byte[] previous, boolean tolerateTail, EntityFilter filter)
            throws IOException {
        Segment.Summary summary = Segment.Summary.empty(firstBatch(file), previous);
        Map<String, Long> ids = new HashMap<>();
        try (SegmentReader reader = new SegmentReader(file, length, Frames.SEGMENT_HEADER)) {
            while (true) {
                Optional<Batch> read;
                try {
                    read = tolerateTail ? reader.next() : reader.nextWhole();
                } catch (SegmentReader.TornTail torn) {
                    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        c.truncate(torn.offset);
                        c.force(true);
                    }
                    return new Scan(summary, ids, filter, Optional.of(new Recovery(file.getFileName().toString(), torn.offset,
                            length - torn.offset, torn.getMessage())));
                }
                if (read.isEmpty()) {
                    return new Scan(summary, ids, filter, Optional.empty());
                }
                Batch b = read.get();
                List<Prediction> ps = new ArrayList<>(b.count());
                b.forEachRecord((offset, payload) -> {
                    Prediction p = decode(file, offset, payload);
                    ps.add(p);
                    ids.put(p.id(), offset);
                    filter.add(p.entity());
                });
                summary = summary.plus(b.end(), b.number(), ps, b.hash());
            }
        }
    }

    private static Segment create(Path dir, long firstBatch, byte[] previousHash, long segmentBytes) throws IOException {
        Path file = dir.resolve(Frames.segmentName(firstBatch));
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(c, ByteBuffer.wrap(Frames.segmentHeader()), 0);
            c.force(true);
        }
        forceDirectory(dir);
        return Segment.active(file, firstBatch, Segment.Summary.empty(firstBatch, previousHash), Map.of(),
                EntityFilter.forBytes(segmentBytes));
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(p); // an index being written when the process died
                } else if (name.matches("\\d{20}\\" + Frames.SEGMENT_SUFFIX)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    private static long firstBatch(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - Frames.SEGMENT_SUFFIX.length()));
    }

    private static FileLock tryLock(FileChannel channel, Path dir) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new SeerException(ServingErrorCode.LOG_FAILURE, "The prediction log [" + dir + "] is open in another process",
                    Map.of("dir", dir.toString()));
        }
        return lock;
    }

    // ---- files

    /** Makes a new or renamed file's directory entry durable (Linux needs the directory synced). */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void writeFully(FileChannel c, ByteBuffer b, long at) throws IOException {
        long position = at;
        while (b.hasRemaining()) {
            position += c.write(b, position);
        }
    }

    private static void readFully(FileChannel c, ByteBuffer b, long at, Path file) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b, at + b.position()) < 0) {
                throw Frames.corrupt(file, at, "the file ends inside a record");
            }
        }
    }

    private static SeerException readFailure(Path file, IOException e) {
        return new SeerException(ServingErrorCode.LOG_FAILURE, "Reading the prediction log file [" + file + "] failed: " + e.getMessage(),
                Map.of("file", file.toString()), e);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on the way out
            }
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
