package dev.seer.features.definition;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The value types a feature can have, with the DuckDB type each is stored as. */
public enum FeatureType {
    BOOL("bool", "BOOLEAN"),
    INT("int", "INTEGER"),
    LONG("long", "BIGINT"),
    FLOAT("float", "FLOAT"),
    DOUBLE("double", "DOUBLE"),
    STRING("string", "VARCHAR"),
    TIMESTAMP("timestamp", "TIMESTAMPTZ");

    private final String id;
    private final String duckdbType;

    FeatureType(String id, String duckdbType) {
        this.id = id;
        this.duckdbType = duckdbType;
    }

    public String id() {
        return id;
    }

    public String duckdbType() {
        return duckdbType;
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
