package dev.seer.features.online;

import dev.seer.core.SeerException;
import dev.seer.features.FeatureErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The online store in RocksDB, in the home. Key: view, a zero byte, entity key. Value: event
 * time and created time (8 bytes each, big-endian) then the JSON values. Conditional writes
 * read (one multi-get), compare the stored times and write in one batch under a lock per view:
 * the home's owner is the only process with the database open, so the locks cover every writer,
 * and writers of different views (stream ingestion's rows, the window topology's states) do not
 * wait for each other.
 */
public final class RocksDbOnlineStore implements OnlineStore {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final Options options;
    private final Map<String, Object> viewLocks = new java.util.concurrent.ConcurrentHashMap<>();
    /** Writers share it; close takes it alone, so no write runs on a closed database. */
    private final java.util.concurrent.locks.ReadWriteLock open = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private boolean closed;

    public RocksDbOnlineStore(Path directory) {
        Options opening = null;
        try {
            Files.createDirectories(directory);
            opening = new Options().setCreateIfMissing(true);
            this.db = RocksDB.open(opening, directory.toString());
            this.options = opening;
        } catch (RocksDBException | java.io.IOException e) {
            if (opening != null) {
                opening.close(); // native memory, not freed by the collector
            }
            throw new SeerException(FeatureErrorCode.ENGINE_FAILURE, "Cannot open the RocksDB online store at [" + directory
                    + "]: " + e.getMessage(), Map.of("path", directory.toString()), e);
        }
    }

    @Override
    public void write(String view, List<OnlineRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        open.readLock().lock();
        try {
            if (closed) {
                throw new SeerException(FeatureErrorCode.ENGINE_FAILURE, "The RocksDB online store is closed", Map.of());
            }
            synchronized (viewLocks.computeIfAbsent(view, v -> new Object())) {
                writeIfNewer(view, records);
            }
        } finally {
            open.readLock().unlock();
        }
    }

    private void writeIfNewer(String view, List<OnlineRecord> records) {
        List<byte[]> keys = new ArrayList<>(records.size());
        records.forEach(r -> keys.add(key(view, r.key())));
        try (WriteBatch batch = new WriteBatch(); WriteOptions options = new WriteOptions()) {
            List<byte[]> existing = db.multiGetAsList(keys);
            for (int i = 0; i < records.size(); i++) {
                OnlineRecord record = records.get(i);
                byte[] stored = existing.get(i);
                if (stored == null || supersedesStored(record, stored)) {
                    batch.put(keys.get(i), encode(record));
                }
            }
            db.write(options, batch);
        } catch (RocksDBException e) {
            throw failure("write", e);
        }
    }

    /** {@link OnlineRecord#supersedes} against a stored value, reading only its two times. */
    private static boolean supersedesStored(OnlineRecord record, byte[] stored) {
        ByteBuffer times = ByteBuffer.wrap(stored);
        return record.supersedes(new OnlineRecord(record.key(), times.getLong(0), times.getLong(8), ""));
    }

    @Override
    public List<Optional<OnlineRecord>> read(String view, List<String> keys) {
        if (keys.size() == 1) { // the common lookup: a plain get skips multi-get's arrays and lists
            return List.of(readOne(view, keys.get(0)));
        }
        List<byte[]> rawKeys = new ArrayList<>(keys.size());
        keys.forEach(k -> rawKeys.add(key(view, k)));
        try {
            List<byte[]> values = db.multiGetAsList(rawKeys);
            List<Optional<OnlineRecord>> records = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                byte[] value = values.get(i);
                records.add(value == null ? Optional.empty() : Optional.of(decode(keys.get(i), value)));
            }
            return records;
        } catch (RocksDBException e) {
            throw failure("read", e);
        }
    }

    private Optional<OnlineRecord> readOne(String view, String key) {
        try {
            byte[] value = db.get(key(view, key));
            return value == null ? Optional.empty() : Optional.of(decode(key, value));
        } catch (RocksDBException e) {
            throw failure("read", e);
        }
    }

    private static byte[] key(String view, String entity) {
        return (view + "\u0000" + entity).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(OnlineRecord record) {
        byte[] values = record.values().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + values.length).putLong(record.eventMicros()).putLong(record.createdMicros())
                .put(values).array();
    }

    static OnlineRecord decode(String key, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long event = buffer.getLong();
        long created = buffer.getLong();
        return new OnlineRecord(key, event, created, new String(bytes, 16, bytes.length - 16, StandardCharsets.UTF_8));
    }

    private static SeerException failure(String what, RocksDBException e) {
        return new SeerException(FeatureErrorCode.ENGINE_FAILURE, "RocksDB online store " + what + " failed: "
                + e.getMessage(), Map.of(), e);
    }

    @Override
    public void close() {
        open.writeLock().lock();
        try {
            closed = true;
            db.close();
            options.close();
        } finally {
            open.writeLock().unlock();
        }
    }
}
