package dev.seer.server;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * What start-up has opened so far, so that a step that throws does not leave the earlier ones
 * behind: a connection pool, the audit writer's thread, the RocksDB lock and files of the home.
 * {@link SeerServices} registers each component that holds something as it opens it, and on a
 * failure closes them in reverse order; the same list closes the services at the end.
 */
final class Startup {
    /** The steps of start-up, in order. */
    enum Step {
        DATABASE, AUDIT_LOG, TOKENS, CATALOG, FEATURES, INGESTOR, RETRIEVAL, ONLINE_STORE, ONLINE_GUARD, MATERIALIZER,
        FEATURE_SERVER, STREAMING, DATASETS, TRACKING, MODEL_REGISTRY, ARTIFACTS, SERVING, ONLINE_LEARNING, MONITORING,
        MONITOR_FEED, RETRAINING
    }

    /**
     * Hears each step once it has opened. Tests throw from it to fail start-up right after any
     * step; in production it does nothing.
     */
    interface Probe {
        Probe NONE = step -> { };

        void opened(Step step);
    }

    private final Probe probe;
    private final Deque<Runnable> closers = new ArrayDeque<>();

    Startup(Probe probe) {
        this.probe = requireNonNull(probe, "probe is null");
    }

    /** A component that holds nothing to release. */
    <T> T step(Step step, T component) {
        probe.opened(step);
        return component;
    }

    /** A component to close, last opened first, if a later step fails or when the services close. */
    <T> T open(Step step, T component, Consumer<T> close) {
        closers.push(() -> close.accept(component));
        probe.opened(step);
        return component;
    }

    /**
     * Closes everything opened, in reverse order, whatever fails: each close failure is added to
     * {@code failure} as suppressed, so the caller keeps the exception that says why it stopped.
     */
    void closeAll(Throwable failure) {
        while (!closers.isEmpty()) {
            try {
                closers.pop().run();
            } catch (RuntimeException | Error e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Closes everything opened, in reverse order; the first failure is thrown once all are closed. */
    void closeAll() {
        RuntimeException first = null;
        while (!closers.isEmpty()) {
            try {
                closers.pop().run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
