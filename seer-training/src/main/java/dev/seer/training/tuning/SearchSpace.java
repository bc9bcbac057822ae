package dev.seer.training.tuning;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The parameters a study tunes, in the order samplers draw them; names are distinct. */
public record SearchSpace(List<Param> params) {
    public SearchSpace {
        if (params == null || params.isEmpty()) {
            throw Specs.invalid("", "A search space needs at least one parameter");
        }
        Set<String> names = new HashSet<>();
        for (Param param : params) {
            if (param == null) {
                throw Specs.invalid("", "A search space has a null parameter");
            }
            if (!names.add(param.name())) {
                throw Specs.invalid(param.name(), "Parameter [" + param.name() + "] appears twice in the search space");
            }
        }
        params = List.copyOf(params);
    }
}
