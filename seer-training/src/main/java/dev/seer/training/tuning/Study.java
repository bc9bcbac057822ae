package dev.seer.training.tuning;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.training.TrainingErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A hyper-parameter study: trials numbered 0, 1, 2, … drawn by a {@link Sampler}, run on up to
 * {@code parallelism} threads, optionally stopped early by a {@link Pruner}.
 *
 * <p><b>Exact repeatability.</b> Trial k's parameters depend only on the sampler's seed, k and its
 * history, and the history is made deterministic by a lag: with parallelism P, trial k starts only
 * once trials 0..k−P have all finished, and it sees exactly those (in number order) as its
 * history, both in the sampler and in the pruner. Trials k−P+1..k−1 may still be running, and
 * whichever of them happens to have finished is ignored. So a study with the same seed and P gives
 * the same trials whatever the thread timing (for an objective that is a function of its
 * parameters), and P = 1 is Optuna's sequential study. The price is head-of-line blocking: a slow
 * trial k holds back trial k+P even when other threads are free. The alternative considered was
 * Optuna's constant liar (running trials put into "above"); it also reduces duplicate proposals,
 * but which trials are running at a given moment depends on timing, so it cannot repeat exactly.
 *
 * <p><b>Resume.</b> {@link #resume} keeps the finished trials (COMPLETE, PRUNED, FAILED) recorded
 * before an interruption and runs every other number again: a trial left RUNNING by the kill is
 * re-run under its own number with the same history, hence the same parameters. The resumed
 * study therefore ends with the same trials as an uninterrupted one.
 *
 * <p>{@code trials} in {@link #optimize} is the study's total budget, counting trials already
 * recorded, so resuming and calling {@code optimize} with the original budget completes the study.
 * The timeout stops new trials from starting (measured on the injected clock); running ones finish.
 */
public final class Study {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final SearchSpace space;
    private final Direction direction;
    private final Sampler sampler;
    private final Pruner pruner;
    private final int parallelism;
    private final StudyListener listener;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Every trial by number: the finished ones and those running. Guarded by lock. */
    private final TreeMap<Integer, Trial> trials = new TreeMap<>();
    private int running;
    private Throwable stop;
    private boolean optimizing;

    public Study(SearchSpace space, Direction direction, Sampler sampler, Pruner pruner, int parallelism, StudyListener listener, Clock clock) {
        this.space = requireNonNull(space, "space is null");
        this.direction = requireNonNull(direction, "direction is null");
        this.sampler = requireNonNull(sampler, "sampler is null");
        this.pruner = pruner;
        if (parallelism < 1) {
            throw new SeerException(TrainingErrorCode.INVALID_ARGUMENT, "Study parallelism must be >= 1, got [" + parallelism + "]", Map.of("parallelism", parallelism));
        }
        this.parallelism = parallelism;
        this.listener = requireNonNull(listener, "listener is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * A study that continues from the trials recorded before an interruption (typically everything
     * a {@link StudyListener} heard). Finished trials are kept as recorded; RUNNING ones are
     * dropped and run again under their numbers. A number recorded both RUNNING and finished
     * counts as finished.
     */
    public static Study resume(SearchSpace space, Direction direction, Sampler sampler, Pruner pruner, int parallelism, StudyListener listener, Clock clock, List<Trial> recorded) {
        Study study = new Study(space, direction, sampler, pruner, parallelism, listener, clock);
        for (Trial trial : requireNonNull(recorded, "recorded is null")) {
            if (!trial.finished()) {
                continue;
            }
            Trial previous = study.trials.put(trial.number(), trial);
            if (previous != null && !previous.equals(trial)) {
                throw new SeerException(TrainingErrorCode.INVALID_STATE, "Trial [" + trial.number() + "] is recorded finished twice, differently", Map.of("trial", trial.number()));
            }
        }
        return study;
    }

    /**
     * Runs trials until the study holds {@code trials} of them (numbers 0..trials−1 finished), the
     * timeout passes (null: none), or the objective throws an {@link Error}, which is rethrown
     * after the running trials end, leaving the failing trial RUNNING, as a kill would.
     *
     * @return all trials of the study in number order
     */
    public List<Trial> optimize(Objective objective, int trials, Duration timeout) {
        requireNonNull(objective, "objective is null");
        if (trials < 0) {
            throw new SeerException(TrainingErrorCode.INVALID_ARGUMENT, "Trial budget must be >= 0, got [" + trials + "]", Map.of("trials", trials));
        }
        Instant deadline = timeout == null ? null : clock.instant().plus(timeout);
        List<Integer> pending = new ArrayList<>();
        lock.lock();
        try {
            if (optimizing) {
                throw new SeerException(TrainingErrorCode.INVALID_STATE, "The study is already optimising", Map.of());
            }
            optimizing = true;
            stop = null;
            for (int k = 0; k < trials; k++) {
                Trial trial = this.trials.get(k);
                if (trial == null || !trial.finished()) {
                    this.trials.remove(k);
                    pending.add(k);
                }
            }
        } finally {
            lock.unlock();
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "seer-study-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            schedule(objective, pending, deadline, pool);
        } finally {
            pool.shutdown();
        }
        lock.lock();
        try {
            optimizing = false;
            if (stop instanceof Error error) {
                throw error;
            }
            if (stop instanceof RuntimeException exception) {
                throw exception;
            }
            return List.copyOf(this.trials.values());
        } finally {
            lock.unlock();
        }
    }

    private void schedule(Objective objective, List<Integer> pending, Instant deadline, ExecutorService pool) {
        lock.lock();
        try {
            for (Integer number : pending) {
                while (stop == null && !(historyReady(number) && running < parallelism) && !past(deadline)) {
                    changed.awaitUninterruptibly();
                }
                if (stop != null || past(deadline)) {
                    break;
                }
                List<Trial> history = history(number);
                running++;
                trials.put(number, new Trial(number, Map.of(), TrialState.RUNNING, OptionalDouble.empty(), new TreeMap<>(), Duration.ZERO));
                pool.execute(() -> run(objective, number, history));
            }
            while (running > 0) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean past(Instant deadline) {
        return deadline != null && !clock.instant().isBefore(deadline);
    }

    /** Trials 0..k−P have all finished. Caller holds the lock. */
    private boolean historyReady(int number) {
        for (int j = 0; j <= number - parallelism; j++) {
            Trial trial = trials.get(j);
            if (trial == null || !trial.finished()) {
                return false;
            }
        }
        return true;
    }

    /** Trials 0..k−P, in number order. Caller holds the lock. */
    private List<Trial> history(int number) {
        return List.copyOf(trials.headMap(number - parallelism, true).values());
    }

    private void run(Objective objective, int number, List<Trial> history) {
        Trial finished = null;
        try {
            Map<String, Object> params = sampler.sample(space, history, number, direction);
            checkParams(params);
            Instant start = clock.instant();
            Trial started = new Trial(number, params, TrialState.RUNNING, OptionalDouble.empty(), new TreeMap<>(), Duration.ZERO);
            put(started);
            listener.trialStarted(started);
            Context context = new Context(started, history);
            TrialState state;
            OptionalDouble value = OptionalDouble.empty();
            try {
                double result = objective.evaluate(context);
                if (context.pruned) {
                    state = TrialState.PRUNED;
                } else if (Double.isNaN(result)) {
                    state = TrialState.FAILED;
                } else {
                    state = TrialState.COMPLETE;
                    value = OptionalDouble.of(result);
                }
            } catch (Pruned pruned) {
                state = TrialState.PRUNED;
            } catch (Exception failure) {
                state = TrialState.FAILED;
            }
            finished = new Trial(number, params, state, value, context.reported(), Duration.between(start, clock.instant()));
            put(finished);
            listener.trialFinished(finished);
        } catch (Throwable fatal) {
            halt(fatal);
        } finally {
            lock.lock();
            try {
                running--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void checkParams(Map<String, Object> params) {
        for (Param param : space.params()) {
            if (params == null || !params.containsKey(param.name())) {
                throw new SeerException(TrainingErrorCode.INVALID_STATE, "The sampler gave no value for parameter [" + param.name() + "]", Map.of("param", param.name()));
            }
        }
    }

    private void put(Trial trial) {
        lock.lock();
        try {
            trials.put(trial.number(), trial);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void halt(Throwable fatal) {
        lock.lock();
        try {
            if (stop == null) {
                stop = fatal;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The best COMPLETE trial (the lowest number among equals), if any. */
    public Optional<Trial> best() {
        lock.lock();
        try {
            return trials.values().stream()
                    .filter(t -> t.state() == TrialState.COMPLETE)
                    .reduce((a, b) -> direction.better(b.value().getAsDouble(), a.value().getAsDouble()) ? b : a);
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of every trial, in number order, running ones included. */
    public List<Trial> trials() {
        lock.lock();
        try {
            return List.copyOf(trials.values());
        } finally {
            lock.unlock();
        }
    }

    /** What the objective of one trial sees; used by that trial's thread only. */
    private final class Context implements TrialContext {
        private final Trial trial;
        private final List<Trial> history;
        private final SortedMap<Long, Double> intermediate = new TreeMap<>();
        private boolean pruned;

        Context(Trial trial, List<Trial> history) {
            this.trial = trial;
            this.history = history;
        }

        @Override
        public Map<String, Object> params() {
            return trial.params();
        }

        @Override
        public int number() {
            return trial.number();
        }

        @Override
        public boolean report(long step, double value) {
            if (step < 0) {
                throw new SeerException(TrainingErrorCode.INVALID_ARGUMENT, "A reported step must be >= 0, got [" + step + "]", Map.of("step", step));
            }
            if (pruned || intermediate.containsKey(step)) {
                return pruned;
            }
            Trial sofar = new Trial(trial.number(), trial.params(), TrialState.RUNNING, OptionalDouble.empty(), intermediate, Duration.ZERO);
            boolean stop = pruner != null && pruner.prune(sofar, step, value, history, direction);
            intermediate.put(step, value);
            pruned = stop;
            return stop;
        }

        SortedMap<Long, Double> reported() {
            return intermediate;
        }
    }
}
