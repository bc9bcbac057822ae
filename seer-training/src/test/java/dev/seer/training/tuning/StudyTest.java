package dev.seer.training.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.training.TrainingErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StudyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC);
    private static final SearchSpace SPACE = TpeSamplerTest.mixedSpace();
    private static final int TRIALS = 30;

    /** A learning-curve objective that sleeps a random little while, so threads finish in any order. */
    private static final Objective JITTERY = t -> {
        double target = TpeSamplerTest.mixedObjective(t.params());
        double value = Double.NaN;
        for (long step = 1; step <= 16; step++) {
            value = target + 1.0 / step;
            Thread.sleep(ThreadLocalRandom.current().nextInt(2));
            if (t.report(step, value)) {
                throw new Pruned();
            }
        }
        return value;
    };

    private static Study study(long seed, int parallelism, StudyListener listener) {
        return new Study(SPACE, Direction.MINIMIZE, new TpeSampler(seed), new AshaPruner(1, 2, 0), parallelism, listener, CLOCK);
    }

    @Test
    void aSeededStudyRepeatsExactlyWhateverTheThreadTiming() {
        for (int parallelism : new int[] {1, 3}) {
            List<Trial> first = study(11, parallelism, StudyListener.NONE).optimize(JITTERY, TRIALS, null);
            List<Trial> second = study(11, parallelism, StudyListener.NONE).optimize(JITTERY, TRIALS, null);
            assertThat(second).as("parallelism " + parallelism).isEqualTo(first);
            assertThat(first).extracting(Trial::number).containsExactlyElementsOf(range(TRIALS));
            assertThat(first).extracting(Trial::state).contains(TrialState.COMPLETE, TrialState.PRUNED);
        }
        List<Trial> otherSeed = study(12, 3, StudyListener.NONE).optimize(JITTERY, TRIALS, null);
        assertThat(otherSeed.get(0).params()).isNotEqualTo(study(11, 3, StudyListener.NONE).optimize(JITTERY, 1, null).get(0).params());
    }

    /**
     * Kill mid-study (the objective throws an Error in trial 17 while others run), resume from what
     * the listener recorded, and the study ends with exactly the trials of an uninterrupted run.
     */
    @Test
    void aStudyKilledByTheObjectiveResumesToTheSameTrials() {
        int parallelism = 3;
        List<Trial> uninterrupted = study(5, parallelism, StudyListener.NONE).optimize(JITTERY, TRIALS, null);

        Recorder recorder = new Recorder();
        Objective dying = t -> {
            if (t.number() == 17) {
                throw new OutOfMemoryError("simulated kill");
            }
            return JITTERY.evaluate(t);
        };
        assertThatThrownBy(() -> study(5, parallelism, recorder).optimize(dying, TRIALS, null)).isInstanceOf(OutOfMemoryError.class);
        List<Trial> recorded = recorder.all();
        assertThat(recorded).anySatisfy(t -> assertThat(t.number()).isEqualTo(17));
        assertThat(recorded).noneSatisfy(t -> {
            assertThat(t.number()).isEqualTo(17);
            assertThat(t.finished()).isTrue();
        });
        assertThat(recorded.stream().filter(Trial::finished).count()).isLessThan(TRIALS);

        Recorder after = new Recorder();
        Study resumed = Study.resume(SPACE, Direction.MINIMIZE, new TpeSampler(5), new AshaPruner(1, 2, 0), parallelism, after, CLOCK, recorded);
        List<Trial> finished = resumed.optimize(JITTERY, TRIALS, null);

        assertThat(finished).isEqualTo(uninterrupted);
        assertThat(after.finishedNumbers()).contains(17).doesNotContainAnyElementsOf(finishedNumbers(recorded));
        assertThat(resumed.best()).isEqualTo(bestOf(uninterrupted));
    }

    /** The same with the kill coming from a listener that stops the study after ten trials finished. */
    @Test
    void aStudyStoppedByItsListenerResumesToTheSameTrials() {
        List<Trial> uninterrupted = study(8, 2, StudyListener.NONE).optimize(JITTERY, TRIALS, null);
        Recorder recorder = new Recorder();
        AtomicInteger finishedCount = new AtomicInteger();
        StudyListener stopping = new StudyListener() {
            @Override
            public void trialStarted(Trial trial) {
                recorder.trialStarted(trial);
            }

            @Override
            public void trialFinished(Trial trial) {
                recorder.trialFinished(trial);
                if (finishedCount.incrementAndGet() == 10) {
                    throw new IllegalStateException("process killed");
                }
            }
        };
        assertThatThrownBy(() -> study(8, 2, stopping).optimize(JITTERY, TRIALS, null)).hasMessage("process killed");

        List<Trial> resumed = Study.resume(SPACE, Direction.MINIMIZE, new TpeSampler(8), new AshaPruner(1, 2, 0), 2, StudyListener.NONE, CLOCK, recorder.all())
                .optimize(JITTERY, TRIALS, null);
        assertThat(resumed).isEqualTo(uninterrupted);
    }

    @Test
    void recordsFailedAndPrunedTrialsAndPicksTheBest() {
        Objective objective = t -> switch (t.number()) {
            case 0 -> 3.0;
            case 1 -> throw new IllegalArgumentException("bad configuration");
            case 2 -> Double.NaN;
            case 3 -> {
                t.report(0, 1.0);
                throw new Pruned();
            }
            case 4 -> -2.0;
            default -> 7.0;
        };
        for (Direction direction : Direction.values()) {
            Study study = new Study(SPACE, direction, new RandomSampler(1), null, 1, StudyListener.NONE, CLOCK);
            List<Trial> trials = study.optimize(objective, 6, null);
            assertThat(trials).extracting(Trial::state).containsExactly(
                    TrialState.COMPLETE, TrialState.FAILED, TrialState.FAILED, TrialState.PRUNED, TrialState.COMPLETE, TrialState.COMPLETE);
            assertThat(trials.get(3).intermediate()).containsExactly(Map.entry(0L, 1.0));
            assertThat(study.best().orElseThrow().number()).isEqualTo(direction == Direction.MINIMIZE ? 4 : 5);
        }
    }

    /** The budget counts all trials, so optimize with a larger budget continues numbering. */
    @Test
    void theBudgetIsTheStudysTotal() {
        Study study = new Study(SPACE, Direction.MINIMIZE, new RandomSampler(1), null, 2, StudyListener.NONE, CLOCK);
        assertThat(study.optimize(t -> 1.0, 5, null)).hasSize(5);
        assertThat(study.optimize(t -> 1.0, 5, null)).hasSize(5);
        assertThat(study.optimize(t -> 1.0, 8, null)).extracting(Trial::number).containsExactlyElementsOf(range(8));
    }

    /** With a clock that advances a minute per reading, a three-minute timeout stops new trials. */
    @Test
    void theTimeoutStopsStartingTrials() {
        Clock ticking = new Clock() {
            private final AtomicInteger readings = new AtomicInteger();

            @Override
            public Instant instant() {
                return Instant.EPOCH.plus(Duration.ofMinutes(readings.getAndIncrement()));
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        List<Trial> trials = new Study(SPACE, Direction.MINIMIZE, new RandomSampler(1), null, 1, StudyListener.NONE, ticking)
                .optimize(t -> 1.0, 100, Duration.ofMinutes(3));
        assertThat(trials).isNotEmpty().hasSizeLessThan(5);
        assertThat(trials).allSatisfy(t -> assertThat(t.duration()).isPositive());
    }

    /** With parallelism P, trial k's history is exactly the finished trials 0..k−P. */
    @Test
    void eachTrialSeesTheLaggedHistory() {
        Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
        Sampler spy = (space, history, number, direction) -> {
            seen.put(number, history.stream().map(Trial::number).toList());
            return new RandomSampler(0).sample(space, history, number, direction);
        };
        new Study(SPACE, Direction.MINIMIZE, spy, null, 3, StudyListener.NONE, CLOCK).optimize(JITTERY, 12, null);
        for (int k = 0; k < 12; k++) {
            assertThat(seen.get(k)).as("trial " + k).containsExactlyElementsOf(range(Math.max(0, k - 2)));
        }
    }

    @Test
    void usesSeveralThreads() {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        new Study(SPACE, Direction.MINIMIZE, new RandomSampler(0), null, 2, StudyListener.NONE, CLOCK).optimize(t -> {
            if (concurrent.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            Thread.sleep(20);
            concurrent.decrementAndGet();
            return 1.0;
        }, 6, null);
        assertThat(overlapped).isTrue();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> study(1, 0, StudyListener.NONE))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(TrainingErrorCode.INVALID_ARGUMENT));
        Trial a = TpeSamplerTest.complete(0, Map.of("x", 0.1), 1.0);
        Trial b = TpeSamplerTest.complete(0, Map.of("x", 0.2), 1.0);
        assertThatThrownBy(() -> Study.resume(SPACE, Direction.MINIMIZE, new RandomSampler(0), null, 1, StudyListener.NONE, CLOCK, List.of(a, b)))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(TrainingErrorCode.INVALID_STATE));
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static List<Integer> finishedNumbers(List<Trial> trials) {
        return trials.stream().filter(Trial::finished).map(Trial::number).toList();
    }

    private static Optional<Trial> bestOf(List<Trial> trials) {
        return trials.stream().filter(t -> t.state() == TrialState.COMPLETE).min((x, y) -> Double.compare(x.value().getAsDouble(), y.value().getAsDouble()));
    }

    /** What a training module would store: every trial as started, then as finished. */
    private static final class Recorder implements StudyListener {
        private final List<Trial> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void trialStarted(Trial trial) {
            events.add(trial);
        }

        @Override
        public void trialFinished(Trial trial) {
            events.add(trial);
        }

        List<Trial> all() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        List<Integer> finishedNumbers() {
            return StudyTest.finishedNumbers(all());
        }
    }
}
