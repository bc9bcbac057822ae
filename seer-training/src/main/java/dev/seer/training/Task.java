package dev.seer.training;

import dev.seer.core.SeerException;
import java.util.Locale;
import java.util.Map;

/** What a model learns: a binary class, one of several classes, or a number. */
public enum Task {
    /** Labels 0 and 1; the model gives P(1). */
    BINARY,
    /** Labels 0 .. k-1; the model gives one probability per class. */
    MULTICLASS,
    /** A real-valued label; the model gives a value. */
    REGRESSION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Task parse(String id) {
        for (Task task : values()) {
            if (task.id().equals(id)) {
                return task;
            }
        }
        throw new SeerException(TrainingErrorCode.INVALID_SPEC, "Task [" + id + "] is not one of binary, multiclass,"
                + " regression", Map.of("field", "task"));
    }
}
