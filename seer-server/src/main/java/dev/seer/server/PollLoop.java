package dev.seer.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop both consumers of serving run on their own thread ({@link ScoreConsumer}, {@link FeedbackConsumer}):
 * poll one topic, hand each poll to {@link #process}, and when that says the poll must be read again, seek back to
 * its first offsets on every partition still owned and pause {@link #RETRY_PAUSE}; nothing of a poll is committed
 * unless {@link #process} committed it. The loop owns the consumer and the producer of dead letters (and outputs),
 * closes both when it ends, and keeps what a status shows: partitions owned, lag, the last error, whether it failed.
 * A runtime exception out of {@link #process} ends the loop; {@link ServingStreams} starts a new consumer.
 */
abstract class PollLoop implements Runnable, AutoCloseable {
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    /** The subclass's: its log lines read as before the loop was shared. */
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String topic;
    /** Who this is, for logs: {@code Scoring of deployment [x]}, {@code Feedback}. */
    private final String name;
    final KafkaConsumer<byte[], byte[]> consumer;
    final KafkaProducer<byte[], byte[]> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    /** Why the poll in hand is being read again; empty while all goes well. */
    volatile String error = "";
    private volatile boolean started;
    private volatile Throwable failure;

    PollLoop(String topic, String name, Properties consumer, Properties producer) {
        this.topic = requireNonNull(topic, "topic is null");
        this.name = requireNonNull(name, "name is null");
        this.consumer = new KafkaConsumer<>(consumer);
        try {
            this.producer = new KafkaProducer<>(producer);
        } catch (RuntimeException e) {
            this.consumer.close(Duration.ZERO); // its background thread would outlive a failed start
            throw e;
        }
    }

    /** Before the first poll, on the loop's thread. */
    void starting() {}

    /** Handles one poll; false if it must be read again (nothing of it was committed). */
    abstract boolean process(ConsumerRecords<byte[], byte[]> polled);

    @Override
    public final void run() {
        try {
            starting();
            consumer.subscribe(List.of(topic), new Rebalance());
            started = true;
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> polled;
                try {
                    polled = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                measureLag();
                if (!polled.isEmpty() && !process(polled)) {
                    rewind(polled);
                    pause();
                }
            }
        } catch (WakeupException e) {
            log.debug("{} from topic [{}] woken to stop", name, topic);
        } catch (RuntimeException e) {
            failure = e;
            error = e.toString();
            log.error("{} from topic [{}] stopped", name, topic, e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    /** The loop must end (its thread was interrupted): after the poll in hand. */
    void interrupted() {
        Thread.currentThread().interrupt();
        running.set(false);
    }

    /** Back to the first offset of the poll on every partition this consumer still owns: nothing of it was committed. */
    private void rewind(ConsumerRecords<byte[], byte[]> polled) {
        for (TopicPartition partition : polled.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, polled.records(partition).get(0).offset());
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            interrupted();
        }
    }

    private void measureLag() {
        for (TopicPartition partition : consumer.assignment()) {
            consumer.currentLag(partition).ifPresent(l -> lag.put(partition.partition(), l));
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing is pending between polls: every poll is committed or rewound before the next.
            partitions.forEach(p -> {
                assigned.remove(p.partition());
                lag.remove(p.partition());
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> assigned.add(p.partition()));
        }
    }

    boolean started() {
        return started;
    }

    Set<Integer> assigned() {
        return new TreeSet<>(assigned);
    }

    Map<Integer, Long> lag() {
        return new TreeMap<>(lag);
    }

    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Asks the loop to stop after the poll in hand is committed or rewound; {@link ServingStreams} waits for the thread. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
