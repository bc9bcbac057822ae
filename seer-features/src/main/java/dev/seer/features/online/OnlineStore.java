package dev.seer.features.online;

import java.util.List;
import java.util.Optional;

/**
 * The online store: the latest feature row per entity and view, for low-latency reads. Writes
 * are conditional: a record replaces the stored one only if it {@link OnlineRecord#supersedes}
 * it, so materialising out of order or twice never moves a value backwards. Two
 * implementations, RocksDB in the home and Redis, pass one test suite.
 */
public interface OnlineStore extends AutoCloseable {
    void write(String view, List<OnlineRecord> records);

    /** The stored record for each key, in the order asked. */
    List<Optional<OnlineRecord>> read(String view, List<String> keys);

    @Override
    void close();
}
