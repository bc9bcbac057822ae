package dev.seer.core.schema;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.util.Map;

/** One column of a {@link Schema}; {@code nullable} says whether a row may lack its value. */
public record Column(String name, ColumnType type, boolean nullable) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        if (name.isBlank()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "A column name must not be blank, not [" + name + "]",
                    Map.of("column", name));
        }
    }
}
