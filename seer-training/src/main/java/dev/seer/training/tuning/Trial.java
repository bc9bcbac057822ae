package dev.seer.training.tuning;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One evaluation of the objective: its number in the study, the parameters drawn (Long for
 * {@link IntParam}, Double for {@link FloatParam}, the choice itself for {@link CategoricalParam}),
 * its state, its final value (COMPLETE only), the intermediate values it reported by step, and how
 * long it ran.
 */
public record Trial(
        int number,
        Map<String, Object> params,
        TrialState state,
        OptionalDouble value,
        SortedMap<Long, Double> intermediate,
        Duration duration) {
    public Trial {
        if (number < 0) {
            throw Specs.invalid("", "A trial number must be >= 0, got [" + number + "]");
        }
        requireNonNull(state, "state is null");
        requireNonNull(value, "value is null");
        requireNonNull(duration, "duration is null");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(params, "params is null")));
        intermediate = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(intermediate, "intermediate is null")));
    }

    /** True for COMPLETE, PRUNED and FAILED: the trial will not change any more. */
    public boolean finished() {
        return state != TrialState.RUNNING;
    }
}
