package dev.seer.features.stream;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An in-memory key-value store on a hash map, for {@link TileStore}'s encoded states. Kafka
 * Streams's own in-memory store is a sorted map for range queries, which these states never
 * need; with 100,000 entities its puts cost 17 byte-array comparisons each. The store is
 * restored from its changelog by the layers Kafka Streams wraps it in. Ranges are refused.
 */
final class HashStore implements KeyValueStore<Bytes, byte[]> {
    private final String name;
    private final Map<Bytes, byte[]> map = new HashMap<>();
    private final Position position = Position.emptyPosition();
    private volatile boolean open;

    private HashStore(String name) {
        this.name = name;
    }

    static KeyValueBytesStoreSupplier supplier(String name) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new HashStore(name);
            }

            @Override
            public String metricsScope() {
                return "in-memory-hash";
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            if (value == null) {
                map.remove(Bytes.wrap(key));
            } else {
                map.put(Bytes.wrap(key), value);
            }
        });
        open = true;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] previous = map.get(key);
        if (previous == null) {
            put(key, value);
        }
        return previous;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        return map.remove(key);
    }

    @Override
    public byte[] get(Bytes key) {
        return map.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        throw new UnsupportedOperationException("Store [" + name + "] is not sorted: no ranges");
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        Iterator<Map.Entry<Bytes, byte[]>> entries = List.copyOf(map.entrySet()).iterator();
        return new KeyValueIterator<>() {
            @Override
            public void close() { }

            @Override
            public Bytes peekNextKey() {
                throw new UnsupportedOperationException("peekNextKey");
            }

            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                Map.Entry<Bytes, byte[]> entry = entries.next();
                return KeyValue.pair(entry.getKey(), entry.getValue());
            }
        };
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    @Override
    public void flush() { }

    @Override
    public void close() {
        map.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Position getPosition() {
        return position;
    }
}
