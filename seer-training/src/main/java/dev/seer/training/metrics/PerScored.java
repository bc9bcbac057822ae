package dev.seer.training.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * Something derived from a {@link Scored} once and reused by every replicate of a bootstrap: computed on first use,
 * shared by all threads, dropped with the {@code Scored} (weak keys; {@code Scored} equality is identity). Two threads
 * asking at once may both compute; one result wins and both get it. Computing outside the lock keeps threads that work
 * on different {@code Scored} from waiting on each other.
 */
final class PerScored<T> {
    private final Map<Scored, T> cache = Collections.synchronizedMap(new WeakHashMap<>());
    private final Function<Scored, T> derive;

    PerScored(Function<Scored, T> derive) {
        this.derive = derive;
    }

    T get(Scored scored) {
        T value = cache.get(scored);
        if (value == null) {
            value = derive.apply(scored);
            T raced = cache.putIfAbsent(scored, value);
            if (raced != null) {
                value = raced;
            }
        }
        return value;
    }
}
