package dev.seer.features.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.GroupCommit;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.ingest.StreamRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push: records sent over HTTP, checked, then written to their source's topic.
 *
 * <p>A push is all or nothing twice over: every record is checked before any is sent (a refusal
 * names the record's index and field), and the records are written inside a Kafka transaction,
 * so a consumer reading committed records sees all of a push or none of it, even if the broker
 * fails half-way. The answer comes after the commit, which Kafka acknowledges only once every
 * in-sync replica has the records (acks=all).
 *
 * <p>Design: group commit ({@link GroupCommit}), as the audit log does it. A transaction costs several round trips
 * to the transaction coordinator, so one per request would cap pushes at a few hundred a
 * second. Instead one writer thread takes every push waiting, writes them all in one
 * transaction and answers each after its commit; pushes arriving meanwhile form the next
 * group. A failed transaction fails every push in it (each caller is told; none of them was
 * written).
 */
public final class Pusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);
    /** Most records one push may carry. */
    public static final int MAX_RECORDS = 10_000;
    /** Most records one transaction takes from the queue (pushes are never split). */
    static final int MAX_GROUP_RECORDS = 20_000;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final int ROTATION = 3;
    private static final int QUEUE_CAPACITY = 100_000;

    /** What a push wrote: how many records, and the last offset per partition. */
    public record Result(String source, String topic, int accepted, Map<Integer, Long> lastOffsets) {}

    private record Pending(String source, String topic, List<String> keys, List<byte[]> values) {}

    private final Catalog catalog;
    private final KafkaClients clients;
    private final String instance;
    private final GroupCommit<Pending, Result> transactions;
    private volatile boolean closed;
    /**
     * Transactions rotate over a few producers: a producer's next transaction must wait until
     * the markers of its last commit are written, another producer need not.
     */
    private final KafkaProducer<String, byte[]>[] producers;
    private int turn;
    private int generation;

    Pusher(Catalog catalog, KafkaClients clients, String instance) {
        this.catalog = catalog;
        this.clients = clients;
        String bootstrap = clients.bootstrap();
        this.instance = instance;
        @SuppressWarnings("unchecked")
        KafkaProducer<String, byte[]>[] rotation = new KafkaProducer[ROTATION];
        try {
            for (int i = 0; i < ROTATION; i++) {
                rotation[i] = newProducer();
            }
        } catch (RuntimeException e) {
            for (KafkaProducer<String, byte[]> created : rotation) {
                if (created != null) {
                    created.close(Duration.ZERO);
                }
            }
            throw new SeerException(StreamErrorCode.BROKER_UNREACHABLE, "Kafka at " + bootstrap + " cannot be reached: "
                    + e.getMessage(), Map.of("bootstrap", bootstrap), e);
        }
        this.producers = rotation;
        this.transactions = new GroupCommit<>("seer-push-writer", QUEUE_CAPACITY, MAX_GROUP_RECORDS, p -> p.values().size(),
                this::write, () -> new SeerException(StreamErrorCode.PUSH_FAILED, "The push queue is closed", Map.of()));
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> created = new KafkaProducer<>(clients.pushProducer("seer-push-" + instance + "-" + generation++));
        created.initTransactions();
        return created;
    }

    /**
     * @param body one record (a JSON object), a list of them, or {@code {"records": [...]}}
     */
    public Result push(String sourceName, JsonNode body) {
        StreamRecords rules = StreamRecords.of(catalog, sourceName);
        List<JsonNode> records = records(body);
        List<String> keys = new ArrayList<>(records.size());
        List<byte[]> values = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Optional<StreamRecords.Problem> problem = rules.check(records.get(i));
            if (problem.isPresent()) {
                throw new SeerException(StreamErrorCode.RECORD_INVALID, "Record " + i + " of the push to [" + sourceName
                        + "]: " + problem.get().describe() + "; nothing was written",
                        Map.of("record", i, "field", problem.get().field()));
            }
            keys.add(rules.key(records.get(i)));
            values.add(Json.write(records.get(i)).getBytes(StandardCharsets.UTF_8));
        }
        String topic = rules.source().topic();
        Optional<CompletableFuture<Result>> done = closed ? Optional.empty()
                : transactions.offer(new Pending(sourceName, topic, keys, values));
        if (done.isEmpty()) {
            throw new SeerException(StreamErrorCode.PUSH_FAILED, "Push to [" + sourceName + "] refused: the push queue is "
                    + (closed ? "closed" : "full; the broker is not keeping up"), Map.of("source", sourceName));
        }
        try {
            return done.get().get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SeerException s ? s : new SeerException(StreamErrorCode.PUSH_FAILED,
                    "Push to [" + sourceName + "] (topic [" + topic + "]) failed and was rolled back: "
                            + e.getCause().getMessage(), Map.of("source", sourceName, "topic", topic), e.getCause());
        } catch (TimeoutException e) {
            throw new SeerException(StreamErrorCode.PUSH_FAILED, "Push to [" + sourceName + "] not acknowledged within "
                    + ANSWER_TIMEOUT.toSeconds() + " s; it may still be written", Map.of("source", sourceName), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeerException(StreamErrorCode.PUSH_FAILED, "Interrupted waiting for the push to [" + sourceName + "]",
                    Map.of("source", sourceName), e);
        }
    }

    /** One transaction for the whole group; each push is answered with its own offsets, or all fail. */
    private List<Result> write(List<Pending> group) throws ExecutionException, InterruptedException {
        turn = (turn + 1) % producers.length;
        KafkaProducer<String, byte[]> producer = producers[turn];
        try {
            producer.beginTransaction();
            List<List<Future<RecordMetadata>>> sent = new ArrayList<>(group.size());
            for (Pending pending : group) {
                List<Future<RecordMetadata>> acks = new ArrayList<>(pending.values().size());
                for (int i = 0; i < pending.values().size(); i++) {
                    acks.add(producer.send(new ProducerRecord<>(pending.topic(), pending.keys().get(i), pending.values().get(i))));
                }
                sent.add(acks);
            }
            producer.commitTransaction(); // flushes, then waits for the commit: every record acknowledged
            List<Result> results = new ArrayList<>(group.size());
            for (int g = 0; g < group.size(); g++) {
                Pending pending = group.get(g);
                Map<Integer, Long> last = new TreeMap<>();
                for (Future<RecordMetadata> ack : sent.get(g)) {
                    RecordMetadata metadata = ack.get();
                    last.merge(metadata.partition(), metadata.offset(), Math::max);
                }
                results.add(new Result(pending.source(), pending.topic(), pending.values().size(), last));
            }
            return results;
        } catch (RuntimeException | ExecutionException | InterruptedException e) {
            rollBack(turn); // each push of the group is told, in push(), that it failed and was rolled back
            throw e;
        }
    }

    /** Aborts the open transaction; a producer that cannot is replaced (a fatal error, e.g. fenced). */
    private void rollBack(int index) {
        KafkaProducer<String, byte[]> producer = producers[index];
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            LOG.warn("Push producer could not roll back ({}); starting a new one", e.toString());
            producer.close(Duration.ZERO);
            try {
                producers[index] = newProducer();
            } catch (KafkaException again) {
                LOG.error("Cannot start a new push producer; pushes fail until the broker is back", again);
            }
        }
    }

    /** Refuses a push of no record or more than {@link #MAX_RECORDS}, before anything needs the broker. */
    public static void checkSize(JsonNode body) {
        records(body);
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

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        transactions.close();
        for (KafkaProducer<String, byte[]> producer : producers) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
