package dev.seer.features.definition;

import dev.seer.core.schema.ColumnType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The value types a feature can have, as repositories name them ({@code int}, {@code double}):
 * each is one of the shared {@link ColumnType}s, whose DuckDB type it is stored as.
 *
 * <p>Internal to seer-features: public only so that the ingest, offline and online packages can
 * reach it (the definitions' records carry it); no other module uses it (ArchitectureTest keeps it
 * so): what leaves the feature store is typed with {@link ColumnType}.
 */
public enum FeatureType {
    BOOL("bool", ColumnType.BOOLEAN),
    INT("int", ColumnType.INT32),
    LONG("long", ColumnType.INT64),
    FLOAT("float", ColumnType.FLOAT32),
    DOUBLE("double", ColumnType.FLOAT64),
    STRING("string", ColumnType.STRING),
    TIMESTAMP("timestamp", ColumnType.TIMESTAMP);

    private final String id;
    private final ColumnType columnType;

    FeatureType(String id, ColumnType columnType) {
        this.id = id;
        this.columnType = columnType;
    }

    public String id() {
        return id;
    }

    /** The type of this feature's column in what the feature store hands on (training data, served values). */
    public ColumnType columnType() {
        return columnType;
    }

    public String duckdbType() {
        return columnType.duckdbType();
    }

    public boolean numeric() {
        return this == INT || this == LONG || this == FLOAT || this == DOUBLE;
    }

    static Optional<FeatureType> parse(String text) {
        return Arrays.stream(values()).filter(t -> t.id.equals(text.toLowerCase(Locale.ROOT))).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(FeatureType::id).toList().toString();
    }
}
