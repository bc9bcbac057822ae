package dev.seer.server;

import java.util.ArrayList;
import java.util.List;

/** Every API operation, area by area: the server builds its routes from this list. */
public final class Operations {
    private Operations() {}

    public static List<Operation<?, ?>> all() {
        List<Operation<?, ?>> all = new ArrayList<>();
        all.addAll(TokenOperations.ALL);
        return List.copyOf(all);
    }
}
