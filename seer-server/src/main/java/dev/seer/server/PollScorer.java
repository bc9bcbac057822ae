package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.serving.deploy.Predictor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@link ScoreConsumer} makes of one poll: per record its output or why it is a dead letter,
 * decided without Kafka so it can be tested with a fake {@link Scorer}.
 *
 * <p>Design: the poll's rows are scored in one call. A call that refuses input (USER_ERROR) is
 * followed by one call per row, so only the bad rows are refused. An UNAVAILABLE error (the store
 * or the log is down) is thrown: it is transient, and the consumer reads the poll again after a
 * pause, as long as it takes. An INTERNAL error is thrown as well, but counted per partition by the
 * poll's first offset there: once the poll starting at the same offset has failed with INTERNAL
 * {@link #INTERNAL_ATTEMPTS} times in a row, that attempt scores it row by row, and a row that alone
 * still fails with INTERNAL becomes a dead letter ({@code internal error: CODE: message (at
 * topic/partition@offset)}) while the others are scored. Without that bound, one record that
 * always triggers an internal error would stop the deployment's stream for good.
 *
 * <p>Outcomes of records scored in an attempt that did not commit (its transaction aborted, or an
 * error stopped it half way through the rows) are kept by {@code topic/partition@offset} and reused
 * when the poll is read again, so a failure that repeats does not log the same predictions over and
 * over. They are cleared once a poll commits, and bounded by {@link #MAX_KEPT}.
 */
final class PollScorer {
    /** Whole-poll attempts that may fail with INTERNAL before the poll is scored row by row. */
    static final int INTERNAL_ATTEMPTS = InternalFailures.ATTEMPTS;
    private static final int MAX_KEPT = 100_000;

    /** Scores rows in one call, answering an output per row in order; throws {@link SeerException}. */
    @FunctionalInterface
    interface Scorer {
        List<byte[]> score(List<Predictor.Row> rows);
    }

    /** Per record, its output or why it was refused, and whether that was an internal error. */
    record Scored(byte[][] outputs, String[] problems, boolean[] internal, int good) {
        /** The reason of the last record refused for an internal error, or null. */
        String internalError() {
            String last = null;
            for (int i = 0; i < internal.length; i++) {
                last = internal[i] ? problems[i] : last;
            }
            return last;
        }
    }

    /** A record's outcome scored in an attempt that did not commit. */
    private record Kept(byte[] output, String problem, boolean internal) {}

    private final Scorer scorer;
    private final Map<String, Kept> kept = new HashMap<>();
    private final InternalFailures failures = new InternalFailures();

    PollScorer(Scorer scorer) {
        this.scorer = requireNonNull(scorer, "scorer is null");
    }

    /**
     * Scores {@code records}, one poll in offset order per partition; throws a {@link SeerException}
     * if the poll must be read again (UNAVAILABLE, or INTERNAL within its attempts) or cannot be
     * scored at all (any other category).
     */
    Scored score(List<ConsumerRecord<byte[], byte[]>> records) {
        Attempt attempt = new Attempt(records);
        List<Integer> parsed = new ArrayList<>(records.size());
        List<Predictor.Row> rows = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Kept before = kept.get(StreamedRecords.where(records.get(i)));
            if (before != null) { // scored and logged in an earlier attempt at this poll
                attempt.outputs[i] = before.output();
                attempt.problems[i] = before.problem();
                attempt.internal[i] = before.internal();
                continue;
            }
            try {
                rows.add(StreamedRecords.row(records.get(i).value()));
                parsed.add(i);
            } catch (SeerException e) {
                attempt.problems[i] = StreamedRecords.reason(e, records.get(i));
            }
        }
        if (!rows.isEmpty()) {
            if (attempt.isolating) {
                attempt.alone(rows, parsed);
            } else {
                attempt.together(rows, parsed);
            }
        }
        failures.handled(records);
        return attempt.scored();
    }

    /** The poll in {@code scored} did not commit: its outcomes are reused when it is read again. */
    void uncommitted(List<ConsumerRecord<byte[], byte[]>> records, Scored scored) {
        for (int i = 0; i < records.size(); i++) {
            keep(records.get(i), scored.outputs()[i], scored.problems()[i], scored.internal()[i]);
        }
    }

    /** A poll committed: nothing kept is needed any more. */
    void committed() {
        kept.clear();
    }

    private void keep(ConsumerRecord<byte[], byte[]> record, byte[] output, String problem, boolean internal) {
        if (kept.size() >= MAX_KEPT) {
            kept.clear(); // partitions that moved away left theirs; those records would be scored again, as before
        }
        kept.put(StreamedRecords.where(record), new Kept(output, problem, internal));
    }

    /** One attempt at one poll. */
    private final class Attempt {
        private final List<ConsumerRecord<byte[], byte[]>> records;
        private final byte[][] outputs;
        private final String[] problems;
        private final boolean[] internal;
        /** Per partition of the poll, its first offset. */
        private final Map<TopicPartition, Long> first;
        /** Scoring each row alone, an internal error a dead letter: the poll has had its attempts. */
        private boolean isolating;

        Attempt(List<ConsumerRecord<byte[], byte[]>> records) {
            this.records = records;
            this.outputs = new byte[records.size()][];
            this.problems = new String[records.size()];
            this.internal = new boolean[records.size()];
            this.first = InternalFailures.firstOffsets(records);
            this.isolating = failures.times(first) >= INTERNAL_ATTEMPTS; // an earlier attempt isolated, then stopped (UNAVAILABLE)
        }

        void together(List<Predictor.Row> rows, List<Integer> parsed) {
            try {
                answer(scorer.score(rows), parsed);
            } catch (SeerException e) {
                ErrorCategory category = e.errorCode().category();
                if (category == ErrorCategory.INTERNAL) {
                    failed(e);
                } else if (category != ErrorCategory.USER_ERROR) {
                    throw e;
                }
                alone(rows, parsed); // some row is refused, or the poll keeps failing: each alone
            }
        }

        void alone(List<Predictor.Row> rows, List<Integer> parsed) {
            for (int j = 0; j < rows.size(); j++) {
                int i = parsed.get(j);
                try {
                    answer(scorer.score(List.of(rows.get(j))), List.of(i));
                } catch (SeerException e) {
                    ErrorCategory category = e.errorCode().category();
                    if (category == ErrorCategory.USER_ERROR) {
                        problems[i] = StreamedRecords.reason(e, records.get(i));
                        continue;
                    }
                    if (category == ErrorCategory.INTERNAL) {
                        if (!isolating) {
                            keepDecided(parsed.subList(0, j)); // the rows scored alone so far are logged
                        }
                        failed(e);
                        internal[i] = true;
                        problems[i] = InternalFailures.reason(e, records.get(i));
                        continue;
                    }
                    keepDecided(parsed.subList(0, j));
                    throw e;
                }
            }
        }

        /** Counts the attempt's INTERNAL failure (it fails once, unless isolating); throws {@code e} within the attempts. */
        private void failed(SeerException e) {
            if (isolating) {
                return;
            }
            if (failures.failed(first) < INTERNAL_ATTEMPTS) {
                throw e;
            }
            isolating = true;
        }

        private void keepDecided(List<Integer> at) {
            at.forEach(i -> keep(records.get(i), outputs[i], problems[i], internal[i]));
        }

        private void answer(List<byte[]> answered, List<Integer> at) {
            for (int j = 0; j < at.size(); j++) {
                outputs[at.get(j)] = answered.get(j);
            }
        }

        Scored scored() {
            int good = 0;
            for (byte[] output : outputs) {
                good += output == null ? 0 : 1;
            }
            return new Scored(outputs, problems, internal, good);
        }
    }
}
