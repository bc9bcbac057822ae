package dev.seer.features.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import dev.seer.core.Json;
import dev.seer.core.Times;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.provenance.BatchRecord.KafkaSpan;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.ingest.StreamRecords;
import dev.seer.features.online.OnlineRecord;
import dev.seer.features.online.OnlineRows;
import dev.seer.features.online.OnlineStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw events of one streaming source into the offline store, effectively once.
 *
 * <p>Design: a consumer in group {@code seer-ingest-<source>} (so several Seer processes split
 * the partitions) reads committed records and collects them per partition. A partition's
 * micro-batch is flushed when it reaches {@link #MAX_BATCH} records or {@link #MAX_DELAY} has
 * passed, and before the partition is taken away by a rebalance. Each record is judged as it is
 * read ({@link StreamRecords}), and the latest rows of the good ones go online at once (see
 * {@link #read}). A flush sends the records that are not JSON or break a rule to the dead-letter
 * topic with their original bytes and headers naming the source topic, partition, offset and the
 * error, and waits for those writes to be acknowledged. The good records are staged as
 * JSONL and ingested as one batch named {@code topic/partition/first-offset}; the batch record,
 * which is the commit point of every ingestion, also holds the offsets. A batch is recorded only
 * if no batch from the same first offset was (one step in the catalog), which fences a consumer
 * that lost its partitions while paused: its batch and the new owner's start at the same
 * recorded position, and only the first recorded stands. On assignment the
 * consumer seeks each partition to just after the last offset that recorded batches hold, not
 * to Kafka's committed offset (which is committed after, for lag only): the offsets are stored
 * with the data, so a crash anywhere replays exactly what was not recorded, and a replayed range
 * is recognised by its name. Dead letters of a replayed range may be written twice.
 */
final class StreamIngestion implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamIngestion.class);
    static final int MAX_BATCH = 50_000;
    static final Duration MAX_DELAY = Duration.ofSeconds(1);
    private static final Duration RULES_REFRESH = Duration.ofSeconds(1);
    static final String ACTOR = "system:stream-ingestion";

    private final Catalog catalog;
    private final Ingestor ingestor;
    private final String sourceName;
    private final String topic;
    private final String deadLetterTopic;
    private final Path staging;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final Map<Integer, List<Read>> pending = new HashMap<>();
    private final Map<Integer, Long> pendingSince = new HashMap<>();
    /** Per partition, the latest event time taken so far: what lateness is measured from. */
    private final Map<Integer, Long> watermarks = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ingested = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final java.util.Set<Integer> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Throwable failure;

    private final String instance;
    private final dev.seer.features.online.Materializer materializer;
    private final OnlineStore online;
    private final java.util.function.DoubleConsumer freshness;
    /** Says what "now" is for rows due online and for freshness; elapsed times use System.nanoTime(). */
    private final Clock clock;
    private StreamRecords rules;
    private long rulesRead;

    /**
     * A record as read: parsed and judged at once, by the rules of that moment (also used to
     * stage it), so that its row can go online before its micro-batch is stored.
     * {@code servedViews} names the views whose row of it was written online at read.
     */
    private record Read(ConsumerRecord<String, byte[]> record, StreamRecords rules, JsonNode parsed, String problem,
            long micros, Set<String> servedViews) {
        boolean served() {
            return !servedViews.isEmpty();
        }

        Read servedFor(Set<String> views) {
            return new Read(record, rules, parsed, problem, micros, views);
        }
    }

    StreamIngestion(Catalog catalog, Ingestor ingestor, dev.seer.features.online.Materializer materializer, OnlineStore online,
            String sourceName, String topic, String deadLetterTopic, KafkaClients clients, Path staging, String instance,
            java.util.function.DoubleConsumer freshness, Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.instance = instance;
        this.materializer = materializer;
        this.online = online;
        this.freshness = freshness;
        this.catalog = catalog;
        this.ingestor = ingestor;
        this.sourceName = sourceName;
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.staging = staging;
        this.consumer = new KafkaConsumer<>(clients.ingestionConsumer("seer-ingest-" + sourceName));
        this.deadLetters = new KafkaProducer<>(clients.deadLetterProducer());
        removeLeftovers(staging);
    }

    /** Staged files of a process that died mid-flush: their records are replayed, so the files are stale. */
    private static void removeLeftovers(Path staging) {
        if (!Files.isDirectory(staging)) {
            return;
        }
        try (var files = Files.list(staging)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Cannot clear staged files in {}", staging, e);
        }
    }

    /** The partitions this consumer owns now. */
    java.util.Set<Integer> assigned() {
        return java.util.Set.copyOf(assigned);
    }

    /** Records written to the offline store by this consumer since it started. */
    long ingested() {
        return ingested.get();
    }

    long deadLettered() {
        return deadLettered.get();
    }

    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void run() {
        try {
            ingestor.sweep(); // leftovers of a crashed run; other processes' batches in flight are left alone
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running.get()) {
                org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> polled;
                try {
                    polled = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break; // close() asked: record what was read, then stop
                }
                read(polled);
                flushDue(false);
            }
            flushDue(true);
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("Stream ingestion of source [{}] stopped", sourceName, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close(Duration.ofSeconds(5));
        }
    }

    private void flushDue(boolean all) {
        long now = System.nanoTime();
        for (Integer partition : new ArrayList<>(pending.keySet())) {
            List<Read> records = pending.get(partition);
            boolean due = all || records.size() >= MAX_BATCH || now - pendingSince.get(partition) >= MAX_DELAY.toNanos();
            if (due) {
                flush(partition);
            }
        }
    }

    /**
     * Judges each record as it is read (the source's rules, the Kafka key rule, lateness against
     * the partition's watermark, which admitted records advance) and writes the latest row of
     * each entity online at once for the views {@link OnlineRows} can serve; the micro-batch that
     * stores the records offline follows, and its materialisation leaves those views out. After
     * a crash the replay writes the same rows again, which the online store keeps as they were.
     * Rows with event times after now are left to the materialiser, which writes them when they
     * are due. If the online write fails, the records count as not served, so their micro-batch's
     * materialisation writes them (or fails in turn, as it did before rows were written at read).
     */
    private void read(org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> polled) {
        if (polled.isEmpty()) {
            return;
        }
        StreamRecords current = rules();
        long now = nowMicros();
        Set<String> views = current.onlineRows().stream().map(OnlineRows::view).collect(java.util.stream.Collectors.toSet());
        Map<String, Map<String, OnlineRecord>> rows = new HashMap<>();
        List<Read> reads = new ArrayList<>(polled.count());
        for (ConsumerRecord<String, byte[]> record : polled) {
            Read read = judge(current, record);
            reads.add(read.problem() == null && read.micros() <= now && rowsOf(current, read, rows) ? read.servedFor(views) : read);
        }
        boolean written = writeRows(rows);
        long writtenAt = nowMicros();
        for (Read read : reads) {
            if (read.served() && written) {
                freshness.accept((writtenAt - read.micros()) / 1e6); // event time to online, seconds
            }
            pending.computeIfAbsent(read.record().partition(), p -> new ArrayList<>()).add(written ? read : read.servedFor(Set.of()));
            pendingSince.putIfAbsent(read.record().partition(), System.nanoTime());
        }
    }

    /** Writes the rows made at read; false, logged, if the online store refused them. */
    private boolean writeRows(Map<String, Map<String, OnlineRecord>> rows) {
        try {
            rows.forEach((view, latest) -> online.write(view, new ArrayList<>(latest.values())));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Writing the rows of source [{}] online at read failed; their micro-batches will write them: {}",
                    sourceName, e.toString());
            return false;
        }
    }

    /**
     * Adds the record's row of each servable view to {@code rows}, keeping per entity the one the
     * online store would keep; false if some view could not make its row (then the record's
     * micro-batch is materialised for every view).
     */
    private static boolean rowsOf(StreamRecords current, Read read, Map<String, Map<String, OnlineRecord>> rows) {
        boolean all = !current.onlineRows().isEmpty();
        for (OnlineRows view : current.onlineRows()) {
            Optional<OnlineRecord> row = view.row(read.parsed(), read.micros());
            row.ifPresent(r -> rows.computeIfAbsent(view.view(), v -> new HashMap<>())
                    .merge(r.key(), r, (old, next) -> next.supersedes(old) ? next : old));
            all &= row.isPresent();
        }
        return all;
    }

    /** The record parsed and judged; its problem, if any, is the dead-letter reason. */
    private Read judge(StreamRecords current, ConsumerRecord<String, byte[]> record) {
        Parsed parsed = parse(current, record);
        Optional<String> problem = parsed.problem();
        long micros = problem.isPresent() ? 0 : current.eventMicros(parsed.record());
        if (problem.isEmpty()) {
            problem = current.checkKey(record.key(), parsed.record()).map(StreamRecords.Problem::describe);
        }
        long watermark = watermarks.getOrDefault(record.partition(), Long.MIN_VALUE);
        if (problem.isEmpty()) {
            problem = current.late(micros, watermark).map(StreamRecords.Problem::describe);
        }
        if (problem.isPresent()) {
            return new Read(record, current, null, problem.get(), 0, Set.of());
        }
        watermarks.put(record.partition(), Math.max(watermark, micros));
        return new Read(record, current, parsed.record(), null, micros, Set.of());
    }

    /** The source's rules, read again from the catalog at most once a second. */
    private StreamRecords rules() {
        if (rules == null || System.nanoTime() - rulesRead > RULES_REFRESH.toNanos()) {
            rules = StreamRecords.of(catalog, sourceName);
            rulesRead = System.nanoTime();
        }
        return rules;
    }

    private long nowMicros() {
        return Times.toMicros(clock.instant());
    }

    /**
     * The views whose rows every good record of the batch wrote at read, by definitions still
     * current: the batch's materialisation leaves them out. Empty if a record was not served or a
     * view was redefined since its read (its rows then come from the batch, by the new definition).
     */
    private static Set<String> servedByAll(List<Read> records, StreamRecords current) {
        Set<String> views = null;
        StreamRecords checked = current;
        for (Read read : records) {
            if (read.problem() != null) {
                continue;
            }
            if (read.rules() != checked) { // compared once per rules snapshot, not per record
                if (!read.rules().onlineRows().equals(current.onlineRows())) {
                    return Set.of();
                }
                checked = read.rules();
            }
            if (views != null && !views.equals(read.servedViews())) {
                return Set.of();
            }
            views = read.servedViews();
        }
        return views == null ? Set.of() : views;
    }

    /** Dead letters first (acknowledged), then the good records as one batch, then Kafka's offset for lag. */
    private void flush(int partition) {
        List<Read> records = pending.remove(partition);
        pendingSince.remove(partition);
        if (records == null || records.isEmpty()) {
            return;
        }
        StreamRecords current = rules();
        long first = records.get(0).record().offset();
        long last = records.get(records.size() - 1).record().offset();
        Path file = staging.resolve(topic + "-" + partition + "-" + first + "-" + last + ".jsonl");
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<Long> unserved = new ArrayList<>();
        long good = 0;
        try {
            Files.createDirectories(staging);
            try (SequenceWriter out = Json.lines(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
                for (Read read : records) {
                    if (read.problem() != null) {
                        acks.add(deadLetters.send(deadLetter(read.record(), read.problem())));
                        continue;
                    }
                    // The record rewritten, not its own bytes: a repeated key that Jackson reads (the last
                    // wins) would make DuckDB refuse the whole micro-batch.
                    out.write(read.rules().staged(read.parsed()));
                    if (!read.served()) {
                        unserved.add(read.micros());
                    }
                    good++;
                }
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            KafkaSpan span = new KafkaSpan(topic, partition, first, last, records.size(), acks.size(), instance,
                    watermarks.getOrDefault(partition, Long.MIN_VALUE));
            String origin = topic + "/" + partition + "/" + first;
            var report = ingestor.ingestStaged(sourceName, file, origin, span, ACTOR);
            if (report.alreadyIngested()) {
                resync(partition, first);
                return;
            }
            if (good > 0) {
                java.time.Instant now = clock.instant();
                materializer.materializeStagedBatch(sourceName, origin, now, servedByAll(records, current));
                long nowMicros = Times.toMicros(now);
                unserved.forEach(micros -> freshness.accept((nowMicros - micros) / 1e6)); // rows not written at read
            }
            commitForLag(partition, last + 1);
            ingested.addAndGet(good);
            deadLettered.addAndGet(acks.size());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Staging " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing dead letters", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Writing dead letters to [" + deadLetterTopic + "] failed: " + e.getCause(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Cannot remove staged file {}", file, e);
            }
        }
    }

    /**
     * Another consumer recorded a batch from the same first offset (this one lost the partition
     * while paused, or races a replay): its batch stands, and this consumer continues after what
     * is recorded, as a new owner would. A partition no longer assigned is left to its owner.
     */
    private void resync(int partition, long first) {
        LOG.info("Offsets from {} of {}-{} were recorded by another consumer; continuing after what is recorded",
                first, topic, partition);
        Optional<KafkaSpan> recorded = lastRecorded(ingestor, sourceName, topic, partition);
        if (recorded.isPresent() && consumer.assignment().contains(new TopicPartition(topic, partition))) {
            consumer.seek(new TopicPartition(topic, partition), recorded.get().lastOffset() + 1);
            watermarks.put(partition, recorded.get().watermarkMicros());
        }
    }

    /**
     * Kafka's committed offset is only for lag (the recorded batches say where to resume), so a
     * commit cut short by {@link #close} is left for the next flush.
     */
    private void commitForLag(int partition, long next) {
        try {
            consumer.commitSync(Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(next)));
        } catch (WakeupException e) {
            LOG.debug("Offset commit of {}-{} interrupted by close", topic, partition);
        } catch (org.apache.kafka.clients.consumer.CommitFailedException
                | org.apache.kafka.common.errors.RebalanceInProgressException e) {
            // This consumer left the group (a long pause) or is being rebalanced: the batch is recorded,
            // and the owner's next commit reports the lag; no reason to stop the ingestion.
            LOG.info("Offset commit of {}-{} for lag skipped: {}", topic, partition, e.getMessage());
        }
    }

    /** The record parsed, or why it is refused (as the dead-letter reason). */
    private static Parsed parse(StreamRecords rules, ConsumerRecord<String, byte[]> record) {
        JsonNode parsed;
        try {
            parsed = record.value() == null ? null : Json.parse(record.value());
        } catch (RuntimeException e) {
            return new Parsed(null, Optional.of("not JSON: " + e.getMessage().split("\n")[0]));
        }
        return new Parsed(parsed, rules.check(parsed).map(StreamRecords.Problem::describe));
    }

    private record Parsed(JsonNode record, Optional<String> problem) {}

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String error) {
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(headers::add);
        headers.add(header("seer.source", sourceName));
        headers.add(header("seer.topic", record.topic()));
        headers.add(header("seer.partition", Integer.toString(record.partition())));
        headers.add(header("seer.offset", Long.toString(record.offset())));
        headers.add(header("seer.error", error));
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(deadLetterTopic, null, record.timestamp(), key, record.value(), headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static Optional<Long> recordedNext(Ingestor ingestor, String sourceName, String topic, int partition) {
        return lastRecorded(ingestor, sourceName, topic, partition).map(l -> l.lastOffset() + 1);
    }

    /** The span of the recorded batch of a partition that reaches furthest, if any (an indexed lookup). */
    static Optional<KafkaSpan> lastRecorded(Ingestor ingestor, String sourceName, String topic, int partition) {
        return ingestor.lastRecorded(sourceName, topic, partition);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> flush(p.partition())); // what was read is recorded before another takes over
            partitions.forEach(p -> assigned.remove(p.partition()));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> assigned.add(p.partition()));
            for (TopicPartition partition : partitions) {
                Optional<KafkaSpan> recorded = lastRecorded(ingestor, sourceName, topic, partition.partition());
                if (recorded.isPresent()) {
                    consumer.seek(partition, recorded.get().lastOffset() + 1);
                    watermarks.put(partition.partition(), recorded.get().watermarkMicros());
                } else {
                    consumer.seekToBeginning(List.of(partition));
                    watermarks.remove(partition.partition());
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> {
                pending.remove(p.partition()); // another owner replays them from the recorded offsets
                pendingSince.remove(p.partition());
                assigned.remove(p.partition()); // lost, not revoked: onPartitionsRevoked is not called
            });
        }
    }

    /** Stops after flushing what was read; waits for the loop to end in {@link Streaming}. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
