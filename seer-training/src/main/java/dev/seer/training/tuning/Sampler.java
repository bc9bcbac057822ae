package dev.seer.training.tuning;

import java.util.List;
import java.util.Map;

/**
 * Draws the parameters of one trial. Implementations must be a function of their seed and the
 * arguments alone (no state carried between calls, no wall clock), so that a study repeats exactly
 * and may call {@code sample} from several threads.
 */
public interface Sampler {
    /**
     * Draws the parameters of trial {@code trialNumber}.
     *
     * @param history the finished trials this trial may learn from, in number order
     * @return one value per parameter of {@code space}, in the space's order
     */
    Map<String, Object> sample(SearchSpace space, List<Trial> history, int trialNumber, Direction direction);
}
