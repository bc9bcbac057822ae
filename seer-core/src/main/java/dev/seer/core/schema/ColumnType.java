package dev.seer.core.schema;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The value types a column can have where tables pass between components (feature store to
 * datasets to training to serving). They are the feature store's value types one for one (its
 * {@code int} and {@code float} are 32-bit, so {@link #INT32} and {@link #FLOAT32} stay apart
 * from their 64-bit siblings, as Parquet and Arrow keep them), each with the DuckDB type it is
 * stored as. Nested and decimal types are not here: a table holding them has no {@code Schema}.
 */
public enum ColumnType {
    BOOLEAN("boolean", "BOOLEAN"),
    INT32("int32", "INTEGER"),
    INT64("int64", "BIGINT"),
    FLOAT32("float32", "FLOAT"),
    FLOAT64("float64", "DOUBLE"),
    STRING("string", "VARCHAR"),
    /** An instant (UTC), microsecond precision. */
    TIMESTAMP("timestamp", "TIMESTAMPTZ");

    private static final Map<String, ColumnType> DUCKDB_ALIASES = Map.of("BOOL", BOOLEAN, "INT", INT32, "INT4", INT32,
            "INT8", INT64, "LONG", INT64, "REAL", FLOAT32, "FLOAT4", FLOAT32, "FLOAT8", FLOAT64, "TEXT", STRING,
            "TIMESTAMP WITH TIME ZONE", TIMESTAMP);

    private final String id;
    private final String duckdbType;

    ColumnType(String id, String duckdbType) {
        this.id = id;
        this.duckdbType = duckdbType;
    }

    /** The name in stored forms: {@code int64}. */
    public String id() {
        return id;
    }

    public String duckdbType() {
        return duckdbType;
    }

    /** The type named {@code id} in a stored form; refuses another naming the known ones. */
    public static ColumnType of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst().orElseThrow(() -> new SeerException(
                CoreErrorCode.INVALID_ARGUMENT, "Column type [" + id + "] is not one of " + Arrays.stream(values())
                        .map(ColumnType::id).toList(), Map.of("type", String.valueOf(id))));
    }

    /** The type DuckDB names {@code duckdbType} ({@code BIGINT}, {@code TIMESTAMP WITH TIME ZONE}), if it is one of these. */
    public static Optional<ColumnType> fromDuckDb(String duckdbType) {
        String name = duckdbType.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.duckdbType.equals(name)).findFirst()
                .or(() -> Optional.ofNullable(DUCKDB_ALIASES.get(name)));
    }
}
