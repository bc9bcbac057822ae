package dev.seer.features.definition;

import dev.seer.core.SeerException;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading file sources through DuckDB.
 *
 * <p>Internal to seer-features: public only so that ingest can reach it; no other module uses it
 * (ArchitectureTest keeps it so).
 */
public final class SourceFiles {
    private SourceFiles() {}

    /**
     * The DuckDB table expression that reads a source file. With {@code asText}, every CSV column
     * is read as text, and every field of a push or kafka source's JSONL as a JSON value, so that
     * ingestion checks types itself and can say which row failed.
     */
    public static String reader(Source source, Path file, boolean asText) {
        String path = DuckEngine.literal(file.toString());
        return switch (source.format()) {
            case "csv" -> "read_csv(" + path + ", header = true" + (asText ? ", all_varchar = true" : "") + ")";
            case "parquet" -> "read_parquet(" + path + ")";
            case "jsonl" -> source.streaming()
                    // staged micro-batches of a stream source: its declared fields, typed; or, when read as
                    // text, as JSON values, whose JSON types BatchWriter checks as StreamRecords does
                    ? "read_json(" + path + ", format = 'newline_delimited', columns = {" + source.schema().entrySet().stream()
                            .map(f -> DuckEngine.literal(f.getKey()) + ": " + DuckEngine.literal(asText ? "JSON"
                                    : f.getValue().duckdbType())).collect(java.util.stream.Collectors.joining(", ")) + "})"
                    : "read_json(" + path + ", format = 'newline_delimited')";
            default -> throw new IllegalArgumentException("format " + source.format());
        };
    }

    /** Column names and DuckDB types of a push or kafka source, from its declared schema. */
    static Map<String, String> declaredColumns(Source source) {
        Map<String, String> columns = new LinkedHashMap<>();
        source.schema().forEach((field, type) -> columns.put(field, type.duckdbType()));
        return columns;
    }

    /** Column names and DuckDB types of a source file, in file order. */
    static Map<String, String> columns(Connection duck, Source source, Path file) {
        if (!Files.isReadable(file)) {
            throw new SeerException(FeatureErrorCode.SOURCE_UNREADABLE, "Source [" + source.name() + "]: file [" + file
                    + "] does not exist or cannot be read", Map.of("source", source.name(), "path", file.toString()));
        }
        Map<String, String> columns = new LinkedHashMap<>();
        try (Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery("DESCRIBE SELECT * FROM " + reader(source, file, false))) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new SeerException(FeatureErrorCode.SOURCE_UNREADABLE, "Source [" + source.name() + "]: cannot read ["
                    + file + "] as " + source.format() + ": " + e.getMessage().split("\n")[0],
                    Map.of("source", source.name(), "path", file.toString()), e);
        }
        return columns;
    }
}
