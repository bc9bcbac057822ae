package dev.seer.features.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.IsoTimes;
import dev.seer.features.definition.Definitions.Feature;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.Definitions.Source;
import dev.seer.features.definition.FeatureType;
import dev.seer.features.definition.SourceFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQL of one ingestion, on one DuckDB connection: load the file with row numbers, then per
 * view cast, check, compute expressions, and write good rows and quarantine records to staging.
 */
final class BatchWriter {
    record ViewResult(long written, long quarantinedRows, ObjectNode profile) {}

    private final Connection duck;
    private final Source source;
    private final Path file;
    private final Path staging;
    private final List<String> quarantineTables = new ArrayList<>();
    private final String batchId;
    private final java.util.function.Consumer<String> progress;

    BatchWriter(Connection duck, Source source, Path file, Path staging, java.util.function.Consumer<String> progress) {
        this.duck = duck;
        this.progress = progress;
        this.source = source;
        this.file = file;
        this.staging = staging;
        this.batchId = staging.getFileName().toString();
    }

    /** Reads the whole file into a temporary table {@code raw} with a 1-based {@code _row}; returns the row count. */
    long load() throws SQLException {
        execute("SET TimeZone = 'UTC'"); // timestamps without an offset are UTC
        try {
            DuckEngine.executeWithProgress(duck, "CREATE TEMP TABLE raw AS SELECT row_number() OVER () AS _row, " + rawColumns()
                    + " FROM " + SourceFiles.reader(source, file, true), "reading", progress);
        } catch (SQLException e) {
            throw new SeerException(FeatureErrorCode.SOURCE_UNREADABLE, "Source [" + source.name() + "]: cannot read ["
                    + file + "] as " + source.format() + ": " + e.getMessage().split("\n")[0],
                    Map.of("source", source.name(), "path", file.toString()), e);
        }
        return count("SELECT count(*) FROM raw");
    }

    /**
     * A file source's columns as read (text, for CSV). A push or kafka source's fields are read as
     * JSON values: each becomes its text (a string without quotes) and, beside it, its JSON type,
     * since a record's field must have the JSON type of its declared type as {@link StreamRecords}
     * requires (the text {@code "12"} is not an int, though {@code TRY_CAST} would take it).
     */
    private String rawColumns() {
        if (!source.streaming()) {
            return "*";
        }
        return source.schema().keySet().stream().map(f -> id(f) + "->>'$' AS " + id(f) + ", json_type(" + id(f) + ") AS "
                + jsonType(f)).collect(Collectors.joining(", "));
    }

    /** The column of {@code raw} holding a streamed field's JSON type. */
    private static String jsonType(String field) {
        return id("_json_type_" + field);
    }

    ViewResult writeView(FeatureView view, List<String> joinKeys) throws SQLException {
        String typed = "typed_" + view.name();
        String bad = "bad_" + view.name();
        DuckEngine.executeWithProgress(duck, "CREATE TEMP TABLE " + typed + " AS " + typedSelect(view, joinKeys),
                "view " + view.name() + ": typing", progress);
        DuckEngine.executeWithProgress(duck, "CREATE TEMP TABLE " + bad + " AS " + violations(view, joinKeys),
                "view " + view.name() + ": checking", progress);
        quarantineTables.add(bad);
        long quarantinedRows = count("SELECT count(DISTINCT _row) FROM " + bad);
        String good = "SELECT " + outputColumns(view, joinKeys) + ", strftime(event_ts, '%Y-%m-%d') AS date FROM " + typed
                + " WHERE _row NOT IN (SELECT _row FROM " + bad + ") ORDER BY _row";
        long written = count("SELECT count(*) FROM (" + good + ")");
        if (written > 0) {
            Path target = staging.resolve("views").resolve(view.name());
            target.getParent().toFile().mkdirs(); // DuckDB makes only the last folder
            DuckEngine.executeWithProgress(duck, "COPY (" + good + ") TO " + DuckEngine.literal(target.toString())
                    + " (FORMAT parquet, PARTITION_BY (date), FILENAME_PATTERN 'part-" + batchId + "-{i}')",
                    "view " + view.name() + ": writing", progress);
        }
        return new ViewResult(written, quarantinedRows, profile(view, typed, bad));
    }

    /** Writes every view's quarantine records, with the raw row as JSON, to one Parquet file. */
    void writeQuarantine() throws SQLException {
        if (quarantineTables.isEmpty() || count("SELECT count(*) FROM (" + unionOfBad() + ")") == 0) {
            return;
        }
        Path target = staging.resolve("quarantine").resolve(source.name()).resolve(batchId + ".parquet");
        target.getParent().toFile().mkdirs();
        String row = source.streaming() ? "(SELECT * EXCLUDE (" + source.schema().keySet().stream().map(BatchWriter::jsonType)
                .collect(Collectors.joining(", ")) + ") FROM raw)" : "raw";
        execute("COPY (SELECT " + DuckEngine.literal(batchId) + " AS batch_id, b._row AS row, b.view, b.column_name,"
                + " b.reason, to_json(r) AS record FROM (" + unionOfBad() + ") b JOIN " + row + " r USING (_row)"
                + " ORDER BY b._row, b.view, b.column_name) TO " + DuckEngine.literal(target.toString()) + " (FORMAT parquet)");
    }

    private String unionOfBad() {
        return quarantineTables.stream().map(t -> "SELECT * FROM " + t).collect(Collectors.joining(" UNION ALL "));
    }

    /** Source columns cast to their declared types, raw text kept beside each as {@code _raw_<name>}. */
    private String typedSelect(FeatureView view, List<String> joinKeys) {
        List<String> select = new ArrayList<>(List.of("_row"));
        joinKeys.forEach(k -> select.add("CAST(" + id(k) + " AS VARCHAR) AS " + id(k)));
        select.add(cast(source.timestampField(), FeatureType.TIMESTAMP) + " AS event_ts");
        source.createdTimestampField().ifPresent(c -> select.add(cast(c, FeatureType.TIMESTAMP) + " AS created_ts"));
        for (Feature feature : view.features()) {
            if (feature.expression().isEmpty()) {
                select.add(cast(feature.name(), feature.type()) + " AS " + id(feature.name()));
            }
        }
        undeclared(view).forEach((field, type) -> select.add(cast(field, type) + " AS " + id("_declared_" + field) + ", "
                + id(field) + " AS " + id("_declared_raw_" + field)));
        String base = "SELECT " + String.join(", ", select) + ", " + raws(view) + " FROM raw";
        List<String> expressions = view.features().stream().filter(f -> f.expression().isPresent())
                .map(f -> "TRY_CAST((" + f.expression().get() + ") AS " + f.type().duckdbType() + ") AS " + id(f.name()))
                .toList();
        if (expressions.isEmpty()) {
            return base;
        }
        // Expressions see the declared features typed, and the other source columns as read.
        String computed = "SELECT _row, " + String.join(", ", expressions) + " FROM (SELECT * REPLACE ("
                + typedReplacements(view) + ") FROM raw)";
        return "SELECT t.*, x.* EXCLUDE (_row) FROM (" + base + ") t JOIN (" + computed + ") x USING (_row)";
    }

    private String typedReplacements(FeatureView view) {
        List<String> replace = new ArrayList<>();
        for (Feature f : view.features()) {
            if (f.expression().isEmpty()) {
                replace.add(cast(f.name(), f.type()) + " AS " + id(f.name()));
            }
        }
        return replace.isEmpty() ? "_row AS _row" : String.join(", ", replace);
    }

    private String raws(FeatureView view) {
        List<String> raws = new ArrayList<>();
        raws.add(id(source.timestampField()) + " AS _raw_event_ts");
        source.createdTimestampField().ifPresent(c -> raws.add(id(c) + " AS _raw_created_ts"));
        view.features().stream().filter(f -> f.expression().isEmpty())
                .forEach(f -> raws.add(id(f.name()) + " AS " + id("_raw_" + f.name())));
        return String.join(", ", raws);
    }

    /** One row per (row, column, reason) that keeps a row out of the view. */
    private String violations(FeatureView view, List<String> joinKeys) {
        String from = " FROM typed_" + view.name();
        List<String> checks = new ArrayList<>();
        String viewName = DuckEngine.literal(view.name());
        for (String key : joinKeys) {
            checks.add(violation(viewName, key, id(key) + " IS NULL", "'join key is missing'", from));
        }
        checks.add(violation(viewName, source.timestampField(), "event_ts IS NULL", "CASE WHEN _raw_event_ts IS NULL"
                + " THEN 'event timestamp is missing' ELSE 'value [' || _raw_event_ts || '] is not a timestamp' END", from));
        source.createdTimestampField().ifPresent(c -> checks.add(violation(viewName, c,
                "created_ts IS NULL AND _raw_created_ts IS NOT NULL",
                "'value [' || _raw_created_ts || '] is not a timestamp'", from)));
        for (Feature f : view.features()) {
            String column = id(f.name());
            if (f.expression().isEmpty()) {
                checks.add(violation(viewName, f.name(), column + " IS NULL AND " + id("_raw_" + f.name()) + " IS NOT NULL",
                        "'value [' || " + id("_raw_" + f.name()) + " || '] is not a " + f.type().id() + "'", from));
            }
            if (f.checks().notNull()) { // a value that failed its cast is reported as that, not as missing too
                String missing = f.expression().isEmpty() ? id("_raw_" + f.name()) + " IS NULL" : column + " IS NULL";
                checks.add(violation(viewName, f.name(), missing, "'value is missing (not_null)'", from));
            }
            f.checks().min().ifPresent(min -> checks.add(violation(viewName, f.name(), column + " < " + min,
                    "'value ' || " + column + " || ' is below min " + min + "'", from)));
            f.checks().max().ifPresent(max -> checks.add(violation(viewName, f.name(), column + " > " + max,
                    "'value ' || " + column + " || ' is above max " + max + "'", from)));
            f.checks().allowed().ifPresent(values -> checks.add(violation(viewName, f.name(),
                    "CAST(" + column + " AS VARCHAR) NOT IN (" + values.stream().map(DuckEngine::literal)
                            .collect(Collectors.joining(", ")) + ")",
                    "'value [' || " + column + " || '] is not one of " + values.toString().replace("'", "''") + "'", from)));
        }
        undeclared(view).forEach((field, type) -> checks.add(violation(viewName, field, id("_declared_" + field) + " IS NULL AND "
                + id("_declared_raw_" + field) + " IS NOT NULL", "'value [' || " + id("_declared_raw_" + field) + " || '] is not a "
                + type.id() + "'", from)));
        return String.join(" UNION ALL ", checks);
    }

    private static String violation(String view, String column, String condition, String reason, String from) {
        return "SELECT _row, " + view + " AS view, " + DuckEngine.literal(column) + " AS column_name, " + reason
                + " AS reason" + from + " WHERE " + condition;
    }

    private String outputColumns(FeatureView view, List<String> joinKeys) {
        List<String> columns = new ArrayList<>();
        joinKeys.forEach(k -> columns.add(id(k)));
        columns.add("event_ts");
        source.createdTimestampField().ifPresent(c -> columns.add("created_ts"));
        view.features().forEach(f -> columns.add(id(f.name())));
        return String.join(", ", columns);
    }

    /** Per-feature statistics of the rows written: DuckDB's SUMMARIZE plus the most frequent values. */
    private ObjectNode profile(FeatureView view, String typed, String bad) throws SQLException {
        ObjectNode profile = Json.object();
        String good = "SELECT " + view.features().stream().map(f -> id(f.name())).collect(Collectors.joining(", "))
                + " FROM " + typed + " WHERE _row NOT IN (SELECT _row FROM " + bad + ")";
        try (Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery("SUMMARIZE " + good)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                ObjectNode column = profile.putObject(rs.getString("column_name"));
                for (int i = 2; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    column.put(meta.getColumnName(i), value == null ? null : value.toString());
                }
            }
        } catch (SQLException e) {
            // SUMMARIZE fails when a column's variance overflows a double (valid values near ±1e300). The
            // statistics are not worth refusing the batch for: a stream's micro-batch would fail at every retry.
            if (e.getMessage() == null || !e.getMessage().contains("Out of Range")) {
                throw e;
            }
            String error = e.getMessage().split("\n")[0];
            view.features().forEach(f -> profile.putObject(f.name()).put("error", error));
        }
        for (Feature f : view.features()) {
            ArrayNode top = ((ObjectNode) profile.path(f.name())).putArray("most_frequent");
            try (Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery(
                    "SELECT CAST(" + id(f.name()) + " AS VARCHAR) AS v, count(*) AS n FROM (" + good + ") GROUP BY 1"
                            + " ORDER BY n DESC, v LIMIT 5")) {
                while (rs.next()) {
                    top.addObject().put("value", rs.getString(1)).put("count", rs.getLong(2));
                }
            }
        }
        return profile;
    }

    /**
     * The fields of a push or kafka source whose declared type the view's columns do not check:
     * its join keys (kept as text) and fields it does not use, or uses as another type.
     * StreamRecords refuses a record with any field not of its declared type, so the view does too.
     */
    private Map<String, FeatureType> undeclared(FeatureView view) {
        Map<String, FeatureType> fields = new LinkedHashMap<>();
        if (source.streaming()) {
            source.schema().forEach((field, type) -> {
                boolean checked = field.equals(source.timestampField()) || source.createdTimestampField().equals(Optional.of(field))
                        || view.features().stream().anyMatch(f -> f.expression().isEmpty() && f.name().equals(field) && f.type() == type);
                if (!checked) {
                    fields.put(field, type);
                }
            });
        }
        return fields;
    }

    /**
     * A column cast to a type, NULL when it does not fit. A streamed field fits only with the JSON
     * type {@link StreamRecords} takes for it, and a streamed time only in the form both sides read
     * ({@link IsoTimes#FORM}: DuckDB alone also reads {@code 2026-03-01}, {@code ... UTC} or
     * {@code infinity}); a streamed number beyond the range of its float or double type is not one.
     */
    private String cast(String column, FeatureType type) {
        String cast = "TRY_CAST(" + id(column) + " AS " + type.duckdbType() + ")";
        if (!source.streaming()) {
            return cast;
        }
        String json = jsonType(column);
        String fits = switch (type) {
            case BOOL -> json + " = 'BOOLEAN'";
            case INT, LONG -> json + " IN ('BIGINT', 'UBIGINT')";
            case FLOAT, DOUBLE -> json + " IN ('BIGINT', 'UBIGINT', 'DOUBLE') AND isfinite(" + cast + ")";
            case STRING -> json + " IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN')";
            case TIMESTAMP -> json + " = 'VARCHAR' AND regexp_full_match(" + id(column) + ", " + DuckEngine.literal(IsoTimes.FORM) + ")";
        };
        return "CASE WHEN " + fits + " THEN " + cast + " END";
    }

    private static String id(String name) {
        return DuckEngine.identifier(name);
    }

    private long count(String sql) throws SQLException {
        try (Statement statement = duck.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = duck.createStatement()) {
            statement.execute(sql);
        }
    }

}
