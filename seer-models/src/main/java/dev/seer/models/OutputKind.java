package dev.seer.models;

import dev.seer.core.SeerException;
import java.util.Arrays;
import java.util.Map;

/** What a model predicts for one row. */
public enum OutputKind {
    /** A binary classifier's P(class 1): one number in [0, 1]. */
    PROBABILITY("probability"),
    /** A multiclass classifier's probability of each class, in class order: as many numbers as classes. */
    CLASS_PROBABILITIES("class-probabilities"),
    /** A regression's value: one number. */
    VALUE("value");

    private final String id;

    OutputKind(String id) {
        this.id = id;
    }

    /** The name in stored and text forms: {@code class-probabilities}. */
    public String id() {
        return id;
    }

    /** The kind named {@code id}; refuses another, naming the known ones. */
    public static OutputKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst().orElseThrow(() -> new SeerException(
                ModelErrorCode.INVALID_SIGNATURE, "Output kind [" + id + "] is not one of " + ids(),
                Map.of("output", String.valueOf(id))));
    }

    static String ids() {
        return Arrays.stream(values()).map(OutputKind::id).toList().toString();
    }
}
