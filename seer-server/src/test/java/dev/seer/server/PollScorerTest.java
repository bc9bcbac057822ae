package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Predictor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What stream scoring makes of a poll when scoring fails: an internal error is retried a bounded number of times and
 * then only the record that alone still fails is a dead letter; an unavailable store is waited for without bound.
 */
class PollScorerTest {
    /** Scores a row as its feature {@code a} times ten; a row with feature {@code poison} fails as configured. */
    private static final class FakeScorer implements PollScorer.Scorer {
        private ServingErrorCode poison = ServingErrorCode.STORE_FAILURE;
        private ServingErrorCode everything;
        private int failuresLeft;
        private final List<Integer> calls = new ArrayList<>();
        private final List<Double> scoredRows = new ArrayList<>();

        @Override
        public List<byte[]> score(List<Predictor.Row> rows) {
            calls.add(rows.size());
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new SeerException(everything, "store down");
            }
            if (rows.stream().anyMatch(r -> r.given().containsKey("poison"))) {
                throw new SeerException(poison, "cannot read column [x]");
            }
            if (rows.stream().anyMatch(r -> r.given().containsKey("bad"))) {
                throw new SeerException(ServingErrorCode.INVALID_INPUT, "Feature [bad] is unknown", Map.of("field", "bad"));
            }
            List<byte[]> outputs = new ArrayList<>();
            for (Predictor.Row row : rows) {
                scoredRows.add(row.given().get("a"));
                outputs.add(bytes(Double.toString(row.given().get("a") * 10)));
            }
            return outputs;
        }

        void failNext(int times, ServingErrorCode code) {
            failuresLeft = times;
            everything = code;
        }
    }

    private final FakeScorer fake = new FakeScorer();
    private final PollScorer scorer = new PollScorer(fake);

    @Test
    void aRecordThatAlwaysFailsInternallyBecomesADeadLetterAfterTheAttemptsAndTheOthersAreScored() {
        List<ConsumerRecord<byte[], byte[]>> poll = List.of(good("in", 0, 10, 1), poison("in", 0, 11), good("in", 0, 12, 2),
                good("in", 1, 40, 3));
        for (int attempt = 1; attempt < PollScorer.INTERNAL_ATTEMPTS; attempt++) {
            assertThatThrownBy(() -> scorer.score(poll)).as("attempt " + attempt).isInstanceOf(SeerException.class)
                    .hasMessageContaining("cannot read column");
        }
        assertThat(fake.scoredRows).isEmpty();

        PollScorer.Scored scored = scorer.score(poll);

        assertThat(scored.good()).isEqualTo(3);
        assertThat(text(scored.outputs()[0])).isEqualTo("10.0");
        assertThat(scored.outputs()[1]).isNull();
        assertThat(text(scored.outputs()[2])).isEqualTo("20.0");
        assertThat(text(scored.outputs()[3])).isEqualTo("30.0");
        assertThat(scored.problems()[1]).isEqualTo("internal error: STORE_FAILURE: cannot read column [x] (at in/0@11)");
        assertThat(scored.problems()).containsOnlyOnce(scored.problems()[1]);
        assertThat(scored.internal()).containsExactly(false, true, false, false);
        assertThat(scored.internalError()).isEqualTo(scored.problems()[1]);
        // the whole poll thrice, then each record alone
        assertThat(fake.calls).containsExactly(4, 4, 4, 1, 1, 1, 1);
    }

    @Test
    void theAttemptsCountOnlyPollsStartingAtTheSameOffsets() {
        // a failing poll at other offsets (another partition's records came first) starts the count again
        assertThatThrownBy(() -> scorer.score(List.of(poison("in", 0, 5)))).isInstanceOf(SeerException.class);
        assertThatThrownBy(() -> scorer.score(List.of(poison("in", 0, 5)))).isInstanceOf(SeerException.class);
        assertThatThrownBy(() -> scorer.score(List.of(good("in", 0, 4, 1), poison("in", 0, 5))))
                .isInstanceOf(SeerException.class);
        assertThatThrownBy(() -> scorer.score(List.of(good("in", 0, 4, 1), poison("in", 0, 5))))
                .isInstanceOf(SeerException.class);
        assertThat(scorer.score(List.of(good("in", 0, 4, 1), poison("in", 0, 5))).problems()[1]).startsWith("internal error:");

        // once a poll has been scored, a new failure at the next offsets has its own attempts
        assertThatThrownBy(() -> scorer.score(List.of(poison("in", 0, 6)))).isInstanceOf(SeerException.class);
    }

    @Test
    void anInternalErrorThatPassesIsRetriedWithoutDeadLetters() {
        fake.failNext(PollScorer.INTERNAL_ATTEMPTS - 1, ServingErrorCode.LOG_FAILURE);
        List<ConsumerRecord<byte[], byte[]>> poll = List.of(good("in", 0, 0, 1), good("in", 0, 1, 2));
        for (int attempt = 1; attempt < PollScorer.INTERNAL_ATTEMPTS; attempt++) {
            assertThatThrownBy(() -> scorer.score(poll)).hasMessageContaining("store down");
        }
        PollScorer.Scored scored = scorer.score(poll);
        assertThat(scored.good()).isEqualTo(2);
        assertThat(scored.problems()).containsOnlyNulls();
        assertThat(scored.internalError()).isNull();
    }

    @Test
    void anUnavailableStoreIsWaitedForWithoutBoundAndDeadLettersNothing() {
        List<ConsumerRecord<byte[], byte[]>> poll = List.of(good("in", 0, 0, 1), good("in", 0, 1, 2));
        fake.failNext(10, ServingErrorCode.STORE_UNAVAILABLE);
        for (int attempt = 1; attempt <= 10; attempt++) {
            assertThatThrownBy(() -> scorer.score(poll)).as("attempt " + attempt).hasMessageContaining("store down");
        }
        PollScorer.Scored scored = scorer.score(poll);
        assertThat(scored.good()).isEqualTo(2);
        assertThat(scored.problems()).containsOnlyNulls();
    }

    @Test
    void aRefusedRecordIsADeadLetterAtOnceAndOnlyItNamingTheField() {
        PollScorer.Scored scored = scorer.score(List.of(good("in", 0, 0, 1), bad("in", 0, 1), good("in", 0, 2, 2)));
        assertThat(scored.good()).isEqualTo(2);
        assertThat(scored.problems()[1]).isEqualTo("Feature [bad] is unknown (at in/0@1)");
        assertThat(scored.internal()).containsOnly(false);
        assertThat(fake.calls).containsExactly(3, 1, 1, 1);
    }

    @Test
    void recordsScoredAloneBeforeTheStoreWentDownAreNotScoredAgain() {
        List<ConsumerRecord<byte[], byte[]>> poll = List.of(good("in", 0, 0, 1), bad("in", 0, 1), good("in", 0, 2, 2));
        // the whole poll is refused; the first record alone scores; then the store goes down
        PollScorer.Scorer once = new PollScorer.Scorer() {
            private int calls;

            @Override
            public List<byte[]> score(List<Predictor.Row> rows) {
                if (++calls == 3) {
                    fake.failNext(1, ServingErrorCode.STORE_UNAVAILABLE);
                }
                return fake.score(rows);
            }
        };
        PollScorer downHalfWay = new PollScorer(once);
        assertThatThrownBy(() -> downHalfWay.score(poll)).hasMessageContaining("store down");
        assertThat(fake.scoredRows).containsExactly(1.0);

        PollScorer.Scored scored = downHalfWay.score(poll);
        assertThat(scored.good()).isEqualTo(2);
        assertThat(fake.scoredRows).containsExactly(1.0, 2.0);
    }

    @Test
    void anUncommittedPollIsNotScoredAgainUntilOneCommits() {
        List<ConsumerRecord<byte[], byte[]>> poll = List.of(good("in", 0, 0, 1), poison("in", 0, 1));
        for (int attempt = 1; attempt < PollScorer.INTERNAL_ATTEMPTS; attempt++) {
            assertThatThrownBy(() -> scorer.score(poll)).isInstanceOf(SeerException.class);
        }
        PollScorer.Scored first = scorer.score(poll);
        scorer.uncommitted(poll, first); // the transaction aborted
        int calls = fake.calls.size();

        PollScorer.Scored again = scorer.score(poll);

        assertThat(fake.calls).hasSize(calls);
        assertThat(again.good()).isEqualTo(1);
        assertThat(again.internalError()).isEqualTo(first.internalError()).startsWith("internal error:");
        scorer.committed();
        assertThat(scorer.score(List.of(good("in", 0, 0, 1))).good()).isEqualTo(1);
        assertThat(fake.calls).hasSize(calls + 1);
    }

    private static ConsumerRecord<byte[], byte[]> good(String topic, int partition, long offset, double a) {
        return record(topic, partition, offset, "{\"features\": {\"a\": " + a + "}}");
    }

    private static ConsumerRecord<byte[], byte[]> poison(String topic, int partition, long offset) {
        return record(topic, partition, offset, "{\"features\": {\"a\": 0, \"poison\": 1}}");
    }

    private static ConsumerRecord<byte[], byte[]> bad(String topic, int partition, long offset) {
        return record(topic, partition, offset, "{\"features\": {\"a\": 0, \"bad\": 1}}");
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, String value) {
        return new ConsumerRecord<>(topic, partition, offset, bytes("k" + offset), bytes(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
