package dev.seer.training.tuning;

/** One hyper-parameter of a {@link SearchSpace}: an integer or real range, or a set of choices. */
public sealed interface Param permits IntParam, FloatParam, CategoricalParam {
    String name();
}
