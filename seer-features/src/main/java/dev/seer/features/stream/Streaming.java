package dev.seer.features.stream;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.definition.Definitions.Source;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.ingest.StreamRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming side of a Seer process: the broker (the embedded one, started on first need, or
 * the configured cluster), the topics of push sources and the dead-letter topic, the
 * {@link Pusher}, and one {@link StreamIngestion} per streaming source. Nothing starts until a
 * push or kafka source is defined, so a home without streaming pays nothing for it.
 * The server calls {@link #start} at start and after every apply: it refreshes in the
 * background and, while the broker cannot be reached, retries with exponential backoff (1 s
 * doubling to 60 s), reporting the state in {@link #status} for readiness checks.
 */
public final class Streaming implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Streaming.class);
    /** Records that failed a streaming source's rules, with headers saying where from and why. */
    public static final String DEAD_LETTER_TOPIC = "seer.dead-letters";

    private final Path home;
    private final KafkaConfig config;
    private final Catalog catalog;
    private final Ingestor ingestor;
    private final dev.seer.features.online.Materializer materializer;
    private final String instance;
    /** What "now" is for retries, rows due online and freshness; elapsed times use System.nanoTime(). */
    private final Clock clock;
    private final Freshness rowFreshness = new Freshness();
    private final Freshness windowFreshness = new Freshness();
    private KafkaBroker broker;
    private String bootstrap;
    private KafkaClients clients;
    private volatile Pusher pusher;
    private final Map<String, Running> ingestions = new LinkedHashMap<>();
    private final dev.seer.features.online.OnlineStore online;
    /**
     * The window aggregation topology of each source whose views declare aggregations. Concurrent:
     * a rebuild of the online store reads it ({@link #rewriteWindows}) without this object's lock,
     * which a start waiting for the broker may hold.
     */
    private final Map<String, StreamAggregation> aggregations = new java.util.concurrent.ConcurrentHashMap<>();
    /** How long a rewrite of the window states waits for a topology to be running and its tasks to answer. */
    static final java.time.Duration REWRITE_WAIT = java.time.Duration.ofSeconds(30);

    private record Running(StreamIngestion ingestion, Thread thread) {}

    /** OFF: no streaming source. RUNNING: everything they need runs. FAILING: the last attempt failed, another is due. */
    public enum State { OFF, RUNNING, FAILING }

    /** Where streaming stands: the state, the last error, failed attempts in a row, when the next one is due. */
    public record Status(State state, String error, int failedAttempts, Optional<java.time.Instant> nextAttempt) {}

    static final java.time.Duration FIRST_RETRY = java.time.Duration.ofSeconds(1);
    static final java.time.Duration LAST_RETRY = java.time.Duration.ofSeconds(60);

    private final java.util.concurrent.ScheduledExecutorService retries = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "seer-streaming-start");
                thread.setDaemon(true);
                return thread;
            });
    private volatile Status status = new Status(State.OFF, "", 0, Optional.empty());
    private int failures;
    private java.util.concurrent.ScheduledFuture<?> pending;

    /**
     * @param home folder for the embedded broker's data and staged micro-batches
     * @param instance unique per process (transactional ids of push producers)
     * @param clock what "now" is for the ingestions, the window aggregates and the status
     */
    public Streaming(Path home, KafkaConfig config, Catalog catalog, Ingestor ingestor,
            dev.seer.features.online.Materializer materializer, dev.seer.features.online.OnlineStore online, String instance,
            Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        this.online = requireNonNull(online, "online is null");
        this.materializer = requireNonNull(materializer, "materializer is null");
        this.home = requireNonNull(home, "home is null");
        this.config = requireNonNull(config, "config is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.ingestor = requireNonNull(ingestor, "ingestor is null");
        this.instance = requireNonNull(instance, "instance is null");
    }

    /**
     * Writes every window state of this process's aggregations into the online store again, for
     * a store that lost its contents ({@link dev.seer.features.online.OnlineGuard} calls it as its
     * {@link dev.seer.features.online.WindowStates}); the number of entity states written. Throws
     * {@link dev.seer.features.FeatureErrorCode#WINDOW_STATES_UNAVAILABLE} for a source with
     * windowed views whose aggregation does not run here (streaming not started, or its topology
     * being replaced) or does not answer within {@link #REWRITE_WAIT}: the rebuild then stays
     * unfinished and is retried, rather than completed with those values missing.
     */
    public long rewriteWindows() {
        long written = 0;
        for (Source source : streamingSources()) {
            if (!StreamAggregation.needed(catalog, source.name())) {
                continue;
            }
            StreamAggregation running = aggregations.get(source.name());
            if (running == null || !running.fits(catalog)) {
                throw new SeerException(dev.seer.features.FeatureErrorCode.WINDOW_STATES_UNAVAILABLE, "Window aggregates of"
                        + " source [" + source.name() + "] cannot be written again: no aggregation of its current definitions"
                        + " runs in this process" + (running == null ? " (streaming has not started them)" : ""),
                        Map.of("source", source.name()));
            }
            try {
                written += running.rewriteOnline(REWRITE_WAIT);
            } catch (SeerException e) {
                throw e; // the online store's own errors (unreachable) included, for the guard to tell apart
            } catch (RuntimeException e) { // Kafka Streams closing or failing under the rewrite: retried like the rest
                throw new SeerException(dev.seer.features.FeatureErrorCode.WINDOW_STATES_UNAVAILABLE, "Window aggregates of"
                        + " source [" + source.name() + "] could not be written again: " + e, Map.of("source", source.name()), e);
            }
        }
        return written;
    }

    /** Starts what the defined streaming sources need and is not running yet; throws if it cannot. */
    public synchronized void refresh() {
        List<Source> sources = streamingSources();
        if (sources.isEmpty()) {
            return;
        }
        ensureBroker();
        ensureTopics(sources);
        for (Source source : sources) {
            ingestions.computeIfAbsent(source.name(), name -> start(source));
            StreamAggregation running = aggregations.get(source.name());
            if (running != null && !running.fits(catalog)) {
                LOG.info("Window aggregates of source {} were redefined; a new application computes them from the topic's start",
                        source.name());
                running.close();
                aggregations.remove(source.name());
            }
            if (!aggregations.containsKey(source.name()) && StreamAggregation.needed(catalog, source.name())) {
                StreamAggregation aggregation = new StreamAggregation(catalog, source.name(), source.topic(), clients,
                        home.resolve("kafka-streams").resolve(instance), online, windowFreshness::record, clock);
                aggregation.start();
                aggregations.put(source.name(), aggregation);
                LOG.info("Aggregating windows of source {} with Kafka Streams", source.name());
            }
        }
        if (supervisor == null && !retries.isShutdown()) {
            supervisor = retries.scheduleWithFixedDelay(this::supervise, SUPERVISE_EVERY.toMillis(), SUPERVISE_EVERY.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    static final java.time.Duration SUPERVISE_EVERY = java.time.Duration.ofSeconds(5);
    private java.util.concurrent.ScheduledFuture<?> supervisor;

    /**
     * An ingestion that stopped on an error (the metadata store or the broker failing under it)
     * is started again from the recorded offsets; nothing it read is lost, since what was not
     * recorded is read again.
     */
    private synchronized void supervise() {
        for (Source source : streamingSources()) {
            Running running = ingestions.get(source.name());
            if (running != null && !running.thread().isAlive()) {
                LOG.error("Stream ingestion of source [{}] stopped ({}); starting it again from the recorded offsets",
                        source.name(), running.ingestion().failure().map(Throwable::toString).orElse("no error"));
                ingestions.put(source.name(), start(source));
            }
        }
    }

    /**
     * Receives, for each event that reaches the online store as a row, the seconds from its event
     * time to then (the server feeds a Prometheus histogram with it).
     */
    public void onFreshness(java.util.function.DoubleConsumer sink) {
        rowFreshness.sink(requireNonNull(sink, "sink is null"));
    }

    /** Receives, for each entity's window aggregates written online, the seconds from its latest event's time to then. */
    public void onWindowFreshness(java.util.function.DoubleConsumer sink) {
        windowFreshness.sink(requireNonNull(sink, "sink is null"));
    }

    /** Refreshes in the background now, and again with backoff while it fails. */
    public synchronized void start() {
        if (retries.isShutdown()) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        pending = retries.schedule(this::attempt, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public Status status() {
        return status;
    }

    private void attempt() {
        try {
            refresh();
            synchronized (this) {
                failures = 0;
                status = new Status(bootstrap == null ? State.OFF : State.RUNNING, "", 0, Optional.empty());
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                failures++;
                long delay = Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failures - 1, 16));
                status = new Status(State.FAILING, e.getMessage(), failures,
                        Optional.of(clock.instant().plusMillis(delay)));
                LOG.warn("Streaming not running (attempt {}): {}; next attempt in {} ms", failures, e.getMessage(), delay);
                if (!retries.isShutdown()) {
                    pending = retries.schedule(this::attempt, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** The running pusher; fails if no streaming source is defined yet. */
    public Pusher pusher() {
        Pusher running = pusher;
        if (running != null) {
            return running; // no lock: a status call holding it must not hold up pushes
        }
        return startPusher();
    }

    private synchronized Pusher startPusher() {
        if (pusher == null) {
            refresh();
        }
        if (pusher == null) {
            throw new SeerException(StreamErrorCode.SOURCE_NOT_STREAMING, "No push or kafka source is defined;"
                    + " apply one first", Map.of());
        }
        return pusher;
    }

    /** The Kafka Streams application (and consumer group) that computes a source's window aggregates now. */
    public static String windowApplication(Catalog catalog, String sourceName) {
        return StreamAggregation.applicationId(StreamRecords.of(catalog, sourceName));
    }

    /**
     * Whether a window application has consumed everything so far: its committed offsets are at
     * the end of every partition of the source topic, and of its repartition topic, if any, one
     * short of the end (there the last record of a committed transaction is its commit marker).
     */
    public static boolean windowsCaughtUp(Admin admin, String application, String topic)
            throws ExecutionException, InterruptedException {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                .listConsumerGroupOffsets(application).partitionsToOffsetAndMetadata().get();
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        if (committed.keySet().stream().filter(tp -> tp.topic().equals(topic)).count() < partitions) {
            return false;
        }
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        return committed.entrySet().stream().allMatch(e -> e.getValue().offset()
                >= ends.get(e.getKey()).offset() - (e.getKey().topic().equals(topic) ? 0 : 1));
    }

    /**
     * Where clients reach Kafka, starting the embedded broker if it is not running yet: for Kafka
     * clients outside the feature store (serving's stream scoring and feedback), which need the
     * cluster whether or not a streaming source is defined. Throws while it cannot be reached.
     */
    public synchronized String cluster() {
        ensureBroker();
        return bootstrap;
    }

    /** Where clients reach the broker, once started. */
    public synchronized Optional<String> bootstrap() {
        return Optional.ofNullable(bootstrap);
    }

    /**
     * One streaming source as this process sees it: per partition of its topic, the records not
     * yet recorded in the offline store (lag: the topic's end minus the recorded position);
     * the partitions this process owns; what it ingested and dead-lettered since start; and the
     * freshness (event time to online, seconds) of its recent events. With window aggregates:
     * the Kafka Streams state of their topology ({@code windows}; empty without), the events it
     * admitted and the entity states it wrote online since start.
     */
    public record SourceStatus(String source, String topic, Map<Integer, Long> lag, Set<Integer> assigned, long ingested,
            long deadLettered, double freshnessP50, double freshnessP99, String windows, long windowEvents,
            long windowWrites, double windowFreshnessP50, double windowFreshnessP99) {}

    /** Status of every streaming source; empty when none is defined. */
    public synchronized List<SourceStatus> sourceStatus() {
        if (bootstrap == null) {
            refresh();
        }
        List<SourceStatus> statuses = new ArrayList<>();
        if (bootstrap == null) {
            return statuses;
        }
        double[] rows = rowFreshness.percentiles(0.5, 0.99);
        double[] windowed = windowFreshness.percentiles(0.5, 0.99);
        try (var consumer = reader()) {
            for (Source source : streamingSources()) {
                List<org.apache.kafka.common.TopicPartition> partitions = partitions(consumer, source.topic());
                Map<org.apache.kafka.common.TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
                Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
                Map<Integer, Long> lag = new java.util.TreeMap<>();
                for (var partition : partitions) {
                    long next = StreamIngestion.recordedNext(ingestor, source.name(), source.topic(), partition.partition())
                            .orElse(begin.get(partition));
                    long gap = Math.max(0, end.get(partition) - next);
                    lag.put(partition.partition(), gap > 0 && gap <= EXACT_LAG ? records(consumer, partition, next,
                            end.get(partition)) : gap);
                }
                Running running = ingestions.get(source.name());
                StreamAggregation windows = aggregations.get(source.name());
                statuses.add(new SourceStatus(source.name(), source.topic(), lag,
                        running == null ? Set.of() : new java.util.TreeSet<>(running.ingestion().assigned()),
                        running == null ? 0 : running.ingestion().ingested(),
                        running == null ? 0 : running.ingestion().deadLettered(),
                        rows[0], rows[1], windows == null ? "" : windows.state().name(),
                        windows == null ? 0 : windows.counts()[0], windows == null ? 0 : windows.counts()[1], windowed[0], windowed[1]));
            }
        }
        return statuses;
    }

    /** A gap of offsets up to this is counted record by record (see {@link #records}). */
    static final long EXACT_LAG = 1000;

    /**
     * The committed records between two offsets. A transactional topic (a push source's) holds
     * a commit marker after each transaction, which takes an offset but is no record: a topic
     * whose every record is ingested ends one marker after the recorded position, and the gap
     * of offsets would read as a lag of 1. Small gaps are therefore read and counted.
     */
    private static long records(org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer,
            org.apache.kafka.common.TopicPartition partition, long from, long end) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        long count = 0;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
        while (consumer.position(partition) < end && System.nanoTime() < deadline) {
            for (var record : consumer.poll(java.time.Duration.ofMillis(100))) {
                count += record.offset() < end ? 1 : 0;
            }
        }
        return consumer.position(partition) < end ? end - from : count; // not read in time: the gap, an upper bound
    }

    /** A consumer without a group, for reading a topic's offsets or committed records on request. */
    private org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> reader() {
        return new org.apache.kafka.clients.consumer.KafkaConsumer<>(clients.reader());
    }

    private static List<org.apache.kafka.common.TopicPartition> partitions(
            org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
    }

    /** The partitions of each source's topic that this process ingests now. */
    synchronized Map<String, Set<Integer>> assignments() {
        Map<String, Set<Integer>> assignments = new LinkedHashMap<>();
        ingestions.forEach((name, running) -> assignments.put(name, new java.util.TreeSet<>(running.ingestion().assigned())));
        return assignments;
    }

    /** Records each source's ingestion has written and sent to the dead-letter topic since start. */
    synchronized Map<String, long[]> counts() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        ingestions.forEach((name, running) -> counts.put(name, new long[] {running.ingestion().ingested(),
                running.ingestion().deadLettered()}));
        return counts;
    }

    /**
     * The dead letters of one source (or all), oldest first, at most {@code limit}: the
     * dead-letter topic read from its start to its end at the time of the call.
     */
    public synchronized List<DeadLetter> deadLetters(Optional<String> source, int limit) {
        if (bootstrap == null) {
            refresh();
        }
        if (bootstrap == null) {
            return List.of(); // no streaming source, so no dead letters
        }
        List<DeadLetter> letters = new ArrayList<>();
        try (var consumer = reader()) {
            List<org.apache.kafka.common.TopicPartition> partitions = partitions(consumer, DEAD_LETTER_TOPIC);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (var record : consumer.poll(java.time.Duration.ofMillis(200))) {
                    DeadLetter letter = letter(record);
                    if (source.isEmpty() || source.get().equals(letter.source())) {
                        letters.add(letter);
                    }
                }
            }
        }
        letters.sort(java.util.Comparator.comparing(DeadLetter::topic).thenComparingInt(DeadLetter::partition)
                .thenComparingLong(DeadLetter::offset));
        return letters.size() > limit ? List.copyOf(letters.subList(0, limit)) : letters;
    }

    private static DeadLetter letter(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(header(record, "seer.source"), header(record, "seer.topic"),
                Integer.parseInt(header(record, "seer.partition", "-1")), Long.parseLong(header(record, "seer.offset", "-1")),
                header(record, "seer.error"), record.value() == null ? "" : new String(record.value(),
                        java.nio.charset.StandardCharsets.UTF_8), record.partition(), record.offset());
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name) {
        return header(record, name, "");
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record, String name,
            String absent) {
        var header = record.headers().lastHeader(name);
        return header == null ? absent : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private List<Source> streamingSources() {
        return StreamRecords.streamingSources(catalog);
    }

    private void ensureBroker() {
        if (bootstrap != null) {
            return;
        }
        if (config.embedded() && broker == null) {
            broker = KafkaBroker.start(home.resolve("kafka"));
        }
        KafkaClients made = KafkaClients.of(config, config.embedded() ? broker.bootstrap() : "");
        pusher = new Pusher(catalog, made, instance); // fails while the broker cannot be reached
        clients = made;
        bootstrap = made.bootstrap();
    }

    /** Creates the push sources' topics and the dead-letter topic if missing; a kafka source's topic must exist. */
    private void ensureTopics(List<Source> sources) {
        try (Admin admin = Admin.create(clients.admin())) {
            Set<String> existing = new HashSet<>(admin.listTopics().names().get());
            List<NewTopic> wanted = new ArrayList<>();
            if (!existing.contains(DEAD_LETTER_TOPIC)) {
                wanted.add(new NewTopic(DEAD_LETTER_TOPIC, config.partitions(), (short) -1));
            }
            for (Source source : sources) {
                if (existing.contains(source.topic())) {
                    continue;
                }
                if (source.type().equals(Source.KAFKA)) {
                    throw new SeerException(StreamErrorCode.TOPIC_NOT_FOUND, "Kafka source [" + source.name() + "] reads topic ["
                            + source.topic() + "], which does not exist on " + bootstrap, Map.of("topic", source.topic()));
                }
                wanted.add(new NewTopic(source.topic(), config.partitions(), (short) -1));
            }
            for (NewTopic topic : wanted) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    LOG.info("Created topic {} ({} partitions)", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e; // another process creating it at the same time is fine
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new SeerException(StreamErrorCode.BROKER_UNREACHABLE, "Kafka at " + bootstrap + " refused to list or create"
                    + " topics: " + e.getCause().getMessage(), Map.of("bootstrap", bootstrap), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeerException(StreamErrorCode.BROKER_UNREACHABLE, "Interrupted while creating topics", Map.of(), e);
        }
    }

    private Running start(Source source) {
        StreamIngestion ingestion = new StreamIngestion(catalog, ingestor, materializer, online, source.name(), source.topic(),
                DEAD_LETTER_TOPIC, clients, home.resolve("stream-staging").resolve(source.name()), instance,
                rowFreshness::record, clock);
        Thread thread = new Thread(ingestion, "seer-ingest-" + source.name());
        thread.setDaemon(true);
        thread.start();
        LOG.info("Ingesting source {} from topic {}", source.name(), source.topic());
        return new Running(ingestion, thread);
    }

    @Override
    public synchronized void close() {
        retries.shutdownNow();
        for (Running running : ingestions.values()) {
            running.ingestion().close();
        }
        for (Running running : ingestions.values()) {
            try {
                running.thread().join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ingestions.clear();
        aggregations.values().forEach(StreamAggregation::close);
        aggregations.clear();
        if (pusher != null) {
            pusher.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
