package dev.seer.features.online;

import dev.seer.core.SeerException;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.offline.PointInTimeJoin;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The online store in Redis: one hash per entity and view ({@code seer:<view>:<key>}) with
 * fields {@code e} (event micros), {@code c} (created micros, empty when none) and {@code v}
 * (the JSON values). A Lua script does the conditional write atomically on the server, so
 * several writers cannot move a value backwards.
 *
 * <p>A Redis that does not answer (stopped, unreachable, still loading its data or busy with a
 * script) fails an operation with {@link FeatureErrorCode#ONLINE_STORE_UNREACHABLE}, a 503, so
 * callers can tell an outage from a fault; {@link OnlineGuard} watches for both.
 */
public final class RedisOnlineStore implements OnlineStore {
    // Lua numbers are doubles: exact for epoch microseconds until the year 2255.
    private static final String WRITE_IF_LATER = """
            local cur = redis.call('HMGET', KEYS[1], 'e', 'c')
            local e = tonumber(ARGV[1])
            local c = ARGV[2] == '' and -math.huge or tonumber(ARGV[2])
            if cur[1] then
              local ce = tonumber(cur[1])
              local cc = (cur[2] == false or cur[2] == '') and -math.huge or tonumber(cur[2])
              if e < ce or (e == ce and c < cc) then return 0 end
            end
            redis.call('HSET', KEYS[1], 'e', ARGV[1], 'c', ARGV[2], 'v', ARGV[3])
            return 1
            """;

    private static final int PIPELINE = 1000;

    private final JedisPooled redis;
    private final String prefix;
    /** Where Redis listens, without credentials: what messages name. */
    private final String where;
    private String scriptSha;

    public RedisOnlineStore(String url, String prefix) {
        this.where = withoutCredentials(url);
        JedisPooled pool = null;
        try {
            pool = new JedisPooled(URI.create(url));
            pool.ping();
            this.scriptSha = pool.scriptLoad(WRITE_IF_LATER);
            this.redis = pool;
        } catch (JedisException | IllegalArgumentException e) {
            if (pool != null) {
                pool.close(); // its pool's evictor and registration would outlive a store that never opened
            }
            throw new SeerException(e instanceof JedisException j && unreachable(j) ? FeatureErrorCode.ONLINE_STORE_UNREACHABLE
                    : FeatureErrorCode.ENGINE_FAILURE, "Cannot reach the Redis online store at [" + where + "]: " + e.getMessage(),
                    Map.of("url", where, "store", "redis", "operation", "open"), e);
        }
        this.prefix = prefix;
    }

    /** Writes in pipelined chunks, one round trip per chunk; the script is loaded again if Redis lost it. */
    @Override
    public void write(String view, List<OnlineRecord> records) {
        try {
            for (int from = 0; from < records.size(); from += PIPELINE) {
                List<OnlineRecord> chunk = records.subList(from, Math.min(records.size(), from + PIPELINE));
                try {
                    writeChunk(view, chunk);
                } catch (JedisException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                        throw e;
                    }
                    scriptSha = redis.scriptLoad(WRITE_IF_LATER);
                    writeChunk(view, chunk);
                }
            }
        } catch (JedisException e) {
            throw failure("write", e);
        }
    }

    private void writeChunk(String view, List<OnlineRecord> chunk) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            List<Response<Object>> replies = new ArrayList<>(chunk.size());
            for (OnlineRecord record : chunk) {
                replies.add(pipeline.evalsha(scriptSha, List.of(key(view, record.key())), List.of(
                        Long.toString(record.eventMicros()),
                        record.createdMicros() == PointInTimeJoin.NO_TIME ? "" : Long.toString(record.createdMicros()),
                        record.values())));
            }
            pipeline.sync();
            replies.forEach(Response::get); // surfaces a script error, if any
        }
    }

    @Override
    public List<Optional<OnlineRecord>> read(String view, List<String> keys) {
        List<Optional<OnlineRecord>> records = new ArrayList<>(keys.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            List<Response<List<String>>> replies = new ArrayList<>(keys.size());
            for (String key : keys) {
                replies.add(pipeline.hmget(key(view, key), "e", "c", "v"));
            }
            pipeline.sync();
            for (int i = 0; i < keys.size(); i++) {
                List<String> fields = replies.get(i).get();
                if (fields.get(0) == null) {
                    records.add(Optional.empty());
                } else {
                    long created = fields.get(1) == null || fields.get(1).isEmpty() ? PointInTimeJoin.NO_TIME
                            : Long.parseLong(fields.get(1));
                    records.add(Optional.of(new OnlineRecord(keys.get(i), Long.parseLong(fields.get(0)), created, fields.get(2))));
                }
            }
        } catch (JedisException e) {
            throw failure("read", e);
        }
        return records;
    }

    private String key(String view, String entity) {
        return prefix + view + ":" + entity;
    }

    private SeerException failure(String operation, JedisException e) {
        return new SeerException(unreachable(e) ? FeatureErrorCode.ONLINE_STORE_UNREACHABLE : FeatureErrorCode.ENGINE_FAILURE,
                "Redis online store [" + where + "] " + operation + " failed: " + e.getMessage(),
                Map.of("store", "redis", "url", where, "operation", operation), e);
    }

    /**
     * Whether Redis is not answering rather than refusing the command: no connection, or one of
     * the replies a server gives while it cannot serve (loading its data after a restart, busy
     * with a script, a replica without its primary).
     */
    static boolean unreachable(JedisException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) { // the pool wraps a failed connect
            if (cause instanceof JedisConnectionException || cause instanceof JedisBusyException) {
                return true;
            }
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.startsWith("LOADING") || message.startsWith("MASTERDOWN") || message.startsWith("TRYAGAIN")
                || message.startsWith("CLUSTERDOWN");
    }

    private static String withoutCredentials(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getUserInfo() == null ? url : uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":"
                    + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException e) {
            return url; // the constructor reports it
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
