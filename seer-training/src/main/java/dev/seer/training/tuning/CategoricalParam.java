package dev.seer.training.tuning;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** A parameter taking one of a list of distinct, non-null choices; samplers see choices by index. */
public record CategoricalParam(String name, List<Object> choices) implements Param {
    public CategoricalParam {
        Specs.requireName(name);
        if (choices == null || choices.isEmpty()) {
            throw Specs.invalid(name, "Parameter [" + name + "] needs at least one choice");
        }
        if (choices.stream().anyMatch(Objects::isNull)) {
            throw Specs.invalid(name, "Parameter [" + name + "] has a null choice");
        }
        if (new HashSet<>(choices).size() != choices.size()) {
            throw Specs.invalid(name, "Parameter [" + name + "] has repeated choices " + choices);
        }
        choices = List.copyOf(choices);
    }
}
