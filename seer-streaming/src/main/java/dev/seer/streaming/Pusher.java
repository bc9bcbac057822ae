package dev.seer.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.StreamRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Push: records sent over HTTP, checked, then written to their source's topic. A push is all or
 * nothing twice over: every record is checked before any is sent (a refusal names the record's
 * index and field), and the records are sent in one Kafka transaction, so a consumer reading
 * committed records sees all of a push or none of it, even if the broker fails half-way. The
 * answer comes after the commit, which Kafka acknowledges only once every in-sync replica
 * has the records (acks=all). Transactional producers are not shared between concurrent
 * transactions, so a small pool of them serves concurrent pushes.
 */
public final class Pusher implements AutoCloseable {
    /** Most records one push may carry. */
    public static final int MAX_RECORDS = 10_000;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** What a push wrote: how many records, and the last offset per partition. */
    public record Result(String source, String topic, int accepted, Map<Integer, Long> lastOffsets) {}

    private final Catalog catalog;
    private final String bootstrap;
    private final String instance;
    private final BlockingQueue<KafkaProducer<String, byte[]>> producers;
    private final List<KafkaProducer<String, byte[]>> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger created = new java.util.concurrent.atomic.AtomicInteger();

    Pusher(Catalog catalog, String bootstrap, String instance, int poolSize) {
        this.catalog = catalog;
        this.bootstrap = bootstrap;
        this.instance = instance;
        this.producers = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            producers.add(newProducer());
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties(bootstrap,
                "seer-push-" + instance + "-" + created.getAndIncrement()));
        producer.initTransactions();
        all.add(producer);
        return producer;
    }

    private static Properties properties(String bootstrap, String transactionalId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("transactional.id", transactionalId);
        // A process that dies mid-push must not hold back readers of the topic for long.
        p.put("transaction.timeout.ms", "10000");
        p.put("linger.ms", "0");
        p.put("max.block.ms", "10000");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * @param body one record (a JSON object), a list of them, or {@code {"records": [...]}}
     */
    public Result push(String sourceName, JsonNode body) {
        StreamRecords rules = StreamRecords.of(catalog, sourceName);
        List<JsonNode> records = records(body);
        for (int i = 0; i < records.size(); i++) {
            Optional<StreamRecords.Problem> problem = rules.check(records.get(i));
            if (problem.isPresent()) {
                throw new SeerException(StreamErrorCode.RECORD_INVALID, "Record " + i + " of the push to [" + sourceName
                        + "]: " + problem.get().describe() + "; nothing was written",
                        Map.of("record", i, "field", problem.get().field()));
            }
        }
        String topic = rules.source().topic();
        KafkaProducer<String, byte[]> producer = take();
        boolean healthy = true;
        try {
            producer.beginTransaction();
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (JsonNode record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, rules.key(record),
                        Json.write(record).getBytes(StandardCharsets.UTF_8))));
            }
            producer.commitTransaction(); // flushes and waits for every acknowledgement
            Map<Integer, Long> last = new TreeMap<>();
            for (Future<RecordMetadata> ack : sent) {
                RecordMetadata metadata = ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                last.merge(metadata.partition(), metadata.offset(), Math::max);
            }
            return new Result(sourceName, topic, records.size(), last);
        } catch (KafkaException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            healthy = abort(producer);
            throw new SeerException(StreamErrorCode.PUSH_FAILED, "Push to [" + sourceName + "] (topic [" + topic
                    + "]) failed and was rolled back: " + e.getMessage(), Map.of("source", sourceName, "topic", topic), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            healthy = abort(producer);
            throw new SeerException(StreamErrorCode.PUSH_FAILED, "Push to [" + sourceName + "] interrupted; rolled back",
                    Map.of("source", sourceName), e);
        } finally {
            producers.add(healthy ? producer : replacement(producer));
        }
    }

    private KafkaProducer<String, byte[]> take() {
        try {
            KafkaProducer<String, byte[]> producer = producers.poll(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (producer == null) {
                throw new SeerException(StreamErrorCode.PUSH_FAILED, "No producer free for " + ACK_TIMEOUT.toSeconds()
                        + " s: the broker is not keeping up", Map.of());
            }
            return producer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeerException(StreamErrorCode.PUSH_FAILED, "Interrupted while waiting for a producer", Map.of(), e);
        }
    }

    /** A fresh producer for one that could not roll back; the pool keeps its size. */
    private KafkaProducer<String, byte[]> replacement(KafkaProducer<String, byte[]> broken) {
        all.remove(broken);
        return newProducer();
    }

    /** Rolls back; a producer that cannot roll back is closed and not reused (returns false). */
    private boolean abort(KafkaProducer<String, byte[]> producer) {
        try {
            producer.abortTransaction();
            return true;
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            return false;
        }
    }

    private static List<JsonNode> records(JsonNode body) {
        JsonNode list = body != null && body.isObject() && body.has("records") ? body.get("records") : body;
        List<JsonNode> records = new ArrayList<>();
        if (list != null && list.isArray()) {
            list.forEach(records::add);
        } else if (list != null) {
            records.add(list);
        }
        if (records.isEmpty() || records.size() > MAX_RECORDS) {
            throw new SeerException(StreamErrorCode.RECORD_INVALID, "A push carries 1 to " + MAX_RECORDS + " records, got "
                    + records.size(), Map.of("records", records.size()));
        }
        return records;
    }

    @Override
    public void close() {
        all.forEach(p -> p.close(Duration.ofSeconds(5)));
    }
}
