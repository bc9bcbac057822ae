package dev.seer.server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * How many times in a row a poll starting at the same offsets has failed with an INTERNAL error, so
 * that a stream consumer retries such a poll a bounded number of times and then handles its
 * records one by one, a record that alone still fails becoming a dead letter. Counted per
 * partition by the poll's first offset there: a poll read again may come back with only some of
 * its partitions, and that must not reset the count. Used by one consumer thread only.
 */
final class InternalFailures {
    /** Whole-poll attempts that may fail with INTERNAL before the poll's records are handled one by one. */
    static final int ATTEMPTS = 3;

    /** A partition's first offset in the last poll that failed, and how many times in a row it did. */
    private record Failing(long offset, int times) {}

    private final Map<TopicPartition, Failing> failing = new HashMap<>();

    /** Per partition of the poll, its first offset. */
    static Map<TopicPartition, Long> firstOffsets(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        records.forEach(r -> first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min));
        return first;
    }

    /** The most times in a row a poll starting at {@code first} has failed, on any of its partitions. */
    int times(Map<TopicPartition, Long> first) {
        int most = 0;
        for (Map.Entry<TopicPartition, Long> e : first.entrySet()) {
            Failing f = failing.get(e.getKey());
            if (f != null && f.offset() == e.getValue()) {
                most = Math.max(most, f.times());
            }
        }
        return most;
    }

    /** Counts one more failure of the poll starting at {@code first} and returns {@link #times} after it. */
    int failed(Map<TopicPartition, Long> first) {
        first.forEach((partition, offset) -> {
            Failing before = failing.get(partition);
            failing.put(partition, new Failing(offset, before != null && before.offset() == offset ? before.times() + 1 : 1));
        });
        return times(first);
    }

    /** Why a record that alone still failed with an internal error is a dead letter. */
    static String reason(dev.seer.core.SeerException e, ConsumerRecord<?, ?> record) {
        return "internal error: " + e.errorCode().code() + ": " + e.getMessage() + " (at " + StreamedRecords.where(record) + ")";
    }

    /** The poll's records were handled: its partitions start counting afresh. */
    void handled(List<ConsumerRecord<byte[], byte[]>> records) {
        records.forEach(r -> failing.remove(new TopicPartition(r.topic(), r.partition())));
    }
}
