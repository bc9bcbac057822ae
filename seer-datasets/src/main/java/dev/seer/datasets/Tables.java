package dev.seer.datasets;

import static dev.seer.duckdb.DuckEngine.identifier;
import static dev.seer.duckdb.DuckEngine.literal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.duckdb.DuckEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * DuckDB work on dataset files: the canonical Parquet form, schemas, profiles and splits.
 *
 * <p>Canonical form: the same rows in the same order always give the same bytes, so that equal
 * content has one hash and a reproduction can be compared by hash. DuckDB's parallel writer may
 * cut row groups differently from run to run, so the canonical copy is written by one thread,
 * with the compression and row group size fixed here rather than left to defaults.
 */
final class Tables {
    static final String TRAIN = "train";
    static final String VALIDATION = "validation";
    static final String TEST = "test";
    static final List<String> SPLITS = List.of(TRAIN, VALIDATION, TEST);

    private Tables() {}

    /**
     * A DuckDB connection for dataset work: times read in UTC (a time without an offset is UTC,
     * as in the point-in-time join), and large sorts and joins spill to {@code work}.
     */
    static Connection open(Path work) throws SQLException {
        Connection duck = DuckEngine.open();
        try (Statement s = duck.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SET temp_directory = " + literal(work.resolve("spill").toString()));
        } catch (SQLException e) {
            duck.close();
            throw e;
        }
        return duck;
    }

    /** The engine that wrote the data: another version may write other bytes for the same rows. */
    static String engine(Connection duck) throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            return "duckdb " + rs.getString(1);
        }
    }

    static String scan(Path parquet) {
        return "read_parquet(" + literal(parquet.toString()) + ")";
    }

    /** A reader for an input file by its extension: Parquet, CSV (header, types inferred) or JSON lines. */
    static String reader(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return scan(file);
        }
        if (name.endsWith(".csv")) {
            return "read_csv(" + literal(file.toString()) + ", header = true)";
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
            return "read_json(" + literal(file.toString()) + ", format = 'newline_delimited')";
        }
        throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, "File [" + file + "] must end in .parquet, .csv, .jsonl or"
                + " .json", Map.of("path", file.toString()));
    }

    /** Writes {@code select} (ordered as it must be) to {@code out} in the canonical form. */
    static void writeCanonical(Connection duck, String select, Path out, Consumer<String> progress, String step)
            throws SQLException {
        progress.accept(step);
        try (Statement s = duck.createStatement()) {
            s.execute("SET threads = 1");
        }
        try {
            DuckEngine.executeWithProgress(duck, "COPY (" + select + ") TO " + literal(out.toString())
                    + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)", step, progress);
        } finally {
            try (Statement s = duck.createStatement()) {
                s.execute("RESET threads");
            }
        }
    }

    static long rows(Connection duck, String relation) throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + relation)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Column names to DuckDB types, in order. */
    static Map<String, String> columns(Connection duck, String relation) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getString(2));
            }
        }
        return columns;
    }

    static List<DatasetManifest.Column> schema(Map<String, String> columns) {
        return columns.entrySet().stream().map(c -> new DatasetManifest.Column(c.getKey(), c.getValue())).toList();
    }

    /**
     * Per column statistics (DuckDB's SUMMARIZE): type, min, max, approximate distinct count,
     * mean, standard deviation, quartiles (approximate), count and null percentage.
     */
    static ObjectNode profile(Connection duck, String relation) throws SQLException {
        ObjectNode profile = Json.object();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SUMMARIZE SELECT * FROM " + relation)) {
            int width = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                ObjectNode column = profile.putObject(rs.getString("column_name"));
                for (int c = 2; c <= width; c++) {
                    String label = rs.getMetaData().getColumnLabel(c);
                    Object value = rs.getObject(c);
                    if (value == null) {
                        column.putNull(label);
                    } else if (value instanceof Number n) {
                        column.put(label, n.doubleValue());
                    } else {
                        column.put(label, value.toString());
                    }
                }
            }
        }
        return profile;
    }

    /** Requires every column of {@code wanted} in {@code columns}, naming what is missing. */
    static void requireColumns(Map<String, String> columns, List<String> wanted, String what) {
        List<String> missing = wanted.stream().filter(c -> !columns.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, what + " lacks the column(s) " + missing + "; it has "
                    + columns.keySet(), Map.of("columns", missing.toString()));
        }
    }

    /**
     * The SQL condition selecting one split's rows of {@code data} (see {@link SplitSpec}), and
     * what the version records of the rule: the salt or the cutoffs.
     */
    /** {@code conditions}: per split, the SQL condition of its rows; {@code recorded}: the rule as the manifest keeps it. */
    record SplitRule(Map<String, String> conditions, DatasetManifest.Splits.Rule recorded) {}

    static SplitRule splitRule(Connection duck, Path data, SplitSpec spec, String salt) throws SQLException {
        Map<String, String> columns = columns(duck, scan(data));
        requireColumns(columns, spec.columns(), "The dataset");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (spec.method() == SplitSpec.Method.KEY) {
            String bucket = bucket(spec.columns(), salt);
            double cut = spec.train();
            double cut2 = spec.train() + spec.validation();
            conditions.put(TRAIN, bucket + " < " + cut);
            conditions.put(VALIDATION, bucket + " >= " + cut + " AND " + bucket + " < " + cut2);
            conditions.put(TEST, bucket + " >= " + cut2);
            return new SplitRule(conditions, new DatasetManifest.Splits.KeyRule(salt,
                    "first 32 bits of SHA-256(salt, 0x1f, key values joined by 0x1f) / 2^32"));
        }
        String time = "epoch_us(TRY_CAST(" + identifier(spec.columns().get(0)) + " AS TIMESTAMPTZ))";
        requireTimes(duck, data, spec.columns().get(0), time);
        long[] cuts = cutoffs(duck, data, time, spec);
        conditions.put(TRAIN, time + " < " + cuts[0]);
        conditions.put(VALIDATION, time + " >= " + cuts[0] + " AND " + time + " < " + cuts[1]);
        conditions.put(TEST, time + " >= " + cuts[1]);
        return new SplitRule(conditions, new DatasetManifest.Splits.TimeRule(cuts[0], cuts[1], micros(cuts[0]),
                micros(cuts[1])));
    }

    private static String bucket(List<String> keys, String salt) {
        String joined = keys.stream().map(k -> "coalesce(CAST(" + identifier(k) + " AS VARCHAR), '')")
                .collect(Collectors.joining(", chr(31), "));
        return "(CAST('0x' || substr(sha256(" + literal(salt) + " || chr(31) || " + (keys.size() == 1 ? joined
                : "concat(" + joined + ")") + "), 1, 8) AS UBIGINT) / 4294967296.0)";
    }

    private static void requireTimes(Connection duck, Path data, String column, String time) throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT file_row_number + 1, CAST("
                + identifier(column) + " AS VARCHAR) FROM read_parquet(" + literal(data.toString())
                + ", file_row_number = true) WHERE " + time + " IS NULL ORDER BY 1 LIMIT 1")) {
            if (rs.next()) {
                throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Time split: row " + rs.getLong(1) + " has [" + column
                        + "] = [" + rs.getString(2) + "], not a time", Map.of("row", rs.getLong(1), "column", column));
            }
        }
    }

    /** Training rows are before the first cutoff and test rows from the second; a fraction of 1 puts every row before. */
    private static long[] cutoffs(Connection duck, Path data, String time, SplitSpec spec) throws SQLException {
        double first = spec.train();
        double second = spec.train() + spec.validation();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT quantile_disc(" + time + ", "
                + Math.min(first, 1) + "), quantile_disc(" + time + ", " + Math.min(second, 1) + "), max(" + time + ") FROM "
                + scan(data))) {
            rs.next();
            long max = rs.getLong(3);
            long a = first >= 1 - 1e-12 ? max + 1 : rs.getLong(1);
            long b = second >= 1 - 1e-12 ? max + 1 : rs.getLong(2);
            return new long[] {a, b};
        }
    }

    private static String micros(long micros) {
        return Times.ofMicros(micros).toString();
    }

    /** The rows of one split in dataset order, canonical. */
    static void writeSplit(Connection duck, Path data, String condition, Path out, Consumer<String> progress, String step)
            throws SQLException {
        writeCanonical(duck, "SELECT * EXCLUDE (file_row_number) FROM read_parquet(" + literal(data.toString())
                + ", file_row_number = true) WHERE " + condition + " ORDER BY file_row_number", out, progress, step);
    }

    static List<String> quoted(List<String> names) {
        List<String> quoted = new ArrayList<>();
        names.forEach(n -> quoted.add(identifier(n)));
        return quoted;
    }
}
