package dev.seer.features;

import dev.seer.core.SeerException;
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
 * read, compare and write in one batch under this object's lock: the home's owner is the only
 * process with the database open, so the lock covers every writer.
 */
public final class RocksDbOnlineStore implements OnlineStore {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final Options options;

    public RocksDbOnlineStore(Path directory) {
        try {
            Files.createDirectories(directory);
            this.options = new Options().setCreateIfMissing(true);
            this.db = RocksDB.open(options, directory.toString());
        } catch (RocksDBException | java.io.IOException e) {
            throw new SeerException(FeatureErrorCode.ENGINE_FAILURE, "Cannot open the RocksDB online store at [" + directory
                    + "]: " + e.getMessage(), Map.of("path", directory.toString()), e);
        }
    }

    @Override
    public synchronized void write(String view, List<OnlineRecord> records) {
        try (WriteBatch batch = new WriteBatch(); WriteOptions options = new WriteOptions()) {
            for (OnlineRecord record : records) {
                byte[] key = key(view, record.key());
                byte[] existing = db.get(key);
                if (existing == null || record.supersedes(decode(record.key(), existing))) {
                    batch.put(key, encode(record));
                }
            }
            db.write(options, batch);
        } catch (RocksDBException e) {
            throw failure("write", e);
        }
    }

    @Override
    public List<Optional<OnlineRecord>> read(String view, List<String> keys) {
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
    public synchronized void close() {
        db.close();
        options.close();
    }
}
