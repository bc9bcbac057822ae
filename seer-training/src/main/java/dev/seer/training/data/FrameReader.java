package dev.seer.training.data;

import dev.seer.core.SeerException;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.core.schema.Schema;
import dev.seer.duckdb.DuckEngine;
import dev.seer.training.Task;
import dev.seer.training.TrainingErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a dataset version's splits into frames through DuckDB. Everything that would make training
 * fail or mislead is found here, before any training starts: a label that is missing, null in a
 * row, constant, or of a kind the task cannot take; a feature that is not a number; a split with
 * no rows. Classes are read from all splits at once, so that every split encodes a class the same way.
 */
public final class FrameReader {
    static final List<String> SPLITS = List.of("train", "validation", "test");
    static final int MAX_INFERRED_CLASSES = 20;
    private static final Set<String> NUMERIC = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
            "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "BOOLEAN");

    private FrameReader() {}

    /**
     * @param label the label column; empty: the one recorded with the version
     * @param features the features; empty: every numeric column but the label and the key
     */
    public static TrainingData read(DatasetSource.Snapshot snapshot, Optional<String> label, Task task,
            List<String> features) {
        String labelColumn = label.or(snapshot::label).orElseThrow(() -> invalid("Dataset " + snapshot.ref()
                + " recorded no label; name one with [label]", "label"));
        Map<String, String> types = new LinkedHashMap<>();
        snapshot.columns().forEach(c -> types.put(c.name(), c.type().toUpperCase(Locale.ROOT)));
        if (!types.containsKey(labelColumn)) {
            throw invalid("Dataset " + snapshot.ref() + " has no column [" + labelColumn + "]; its columns: "
                    + types.keySet(), "label");
        }
        for (String split : List.of("train", "test")) {
            if (!snapshot.splits().containsKey(split)) {
                throw invalid("Dataset " + snapshot.ref() + " has no [" + split + "] split"
                        + (snapshot.splits().isEmpty() ? "; create it with splits (--split-by-key or --split-by-time)" : ""),
                        "dataset");
            }
        }
        List<String> leftOut = new ArrayList<>();
        Schema inputs = inputs(snapshot, types, labelColumn, features, leftOut);
        try (Connection duck = DuckEngine.open()) {
            List<String> classes = task == Task.REGRESSION ? List.of() : classes(duck, snapshot, labelColumn, task, types);
            Map<String, Frame> frames = new LinkedHashMap<>();
            for (String split : SPLITS) {
                Path file = snapshot.splits().get(split);
                frames.put(split, file == null ? new Frame(task, inputs, classes, new double[0][], new double[0])
                        : frame(duck, snapshot, split, file, inputs, labelColumn, task, classes, types));
            }
            return new TrainingData(snapshot, labelColumn, frames.get("train"), frames.get("validation"),
                    frames.get("test"), leftOut);
        } catch (SQLException e) {
            throw DuckEngine.failure("Reading dataset " + snapshot.ref(), e);
        }
    }

    private static Schema inputs(DatasetSource.Snapshot snapshot, Map<String, String> types, String label,
            List<String> features, List<String> leftOut) {
        List<Column> columns = new ArrayList<>();
        if (!features.isEmpty()) {
            for (String feature : features) {
                String type = types.get(feature);
                if (type == null) {
                    throw invalid("Dataset " + snapshot.ref() + " has no column [" + feature + "]", "features");
                }
                if (feature.equals(label) || !numeric(type)) {
                    throw invalid("Feature [" + feature + "] cannot be an input: " + (feature.equals(label) ? "it is the label"
                            : "its type [" + type + "] is not a number (encode it in the feature view)"), "features");
                }
                columns.add(new Column(feature, signatureType(type), true));
            }
            return Schema.of(columns);
        }
        Set<String> key = new HashSet<>(snapshot.key());
        types.forEach((name, type) -> {
            if (name.equals(label)) {
                return;
            }
            if (key.contains(name)) {
                leftOut.add(name + " (key)");
            } else if (!numeric(type)) {
                leftOut.add(name + " (" + type + ", not a number)");
            } else {
                columns.add(new Column(name, signatureType(type), true));
            }
        });
        if (columns.isEmpty()) {
            throw invalid("Dataset " + snapshot.ref() + " has no numeric column to learn from; left out: " + leftOut,
                    "features");
        }
        return Schema.of(columns);
    }

    /**
     * The task a label asks for: two distinct values, binary; text or at most
     * {@value #MAX_INFERRED_CLASSES} whole numbers, multiclass; other numbers, regression.
     */
    public static Task inferTask(DatasetSource.Snapshot snapshot, String label) {
        String type = snapshot.columns().stream().filter(c -> c.name().equals(label)).findFirst()
                .map(c -> c.type().toUpperCase(Locale.ROOT)).orElseThrow(() -> invalid("Dataset " + snapshot.ref()
                        + " has no column [" + label + "]", "label"));
        String column = DuckEngine.identifier(label);
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(DISTINCT " + column + "), bool_and(" + (numeric(type) ? "CAST(" + column
                        + " AS DOUBLE) = round(CAST(" + column + " AS DOUBLE))" : "true") + ") FROM read_parquet("
                        + files(snapshot) + ") WHERE " + column + " IS NOT NULL")) {
            rs.next();
            long distinct = rs.getLong(1);
            boolean whole = rs.getBoolean(2);
            if (distinct == 2) {
                return Task.BINARY;
            }
            if (!numeric(type) || (whole && distinct <= MAX_INFERRED_CLASSES)) {
                return Task.MULTICLASS;
            }
            return Task.REGRESSION;
        } catch (SQLException e) {
            throw DuckEngine.failure("Reading the label of dataset " + snapshot.ref(), e);
        }
    }

    /** The columns of {@code snapshot} a model may read: numeric, neither the label nor the key. */
    public static List<String> numericColumns(DatasetSource.Snapshot snapshot, String label) {
        Set<String> key = new HashSet<>(snapshot.key());
        return snapshot.columns().stream().filter(c -> !c.name().equals(label) && !key.contains(c.name())
                && numeric(c.type().toUpperCase(Locale.ROOT))).map(DatasetSource.Column::name).toList();
    }

    static boolean numeric(String type) {
        return NUMERIC.contains(type) || type.startsWith("DECIMAL");
    }

    private static ColumnType signatureType(String type) {
        return switch (type) {
            case "BOOLEAN" -> ColumnType.BOOLEAN;
            case "INTEGER", "SMALLINT", "TINYINT", "USMALLINT", "UTINYINT" -> ColumnType.INT32;
            case "BIGINT", "UINTEGER" -> ColumnType.INT64;
            case "FLOAT" -> ColumnType.FLOAT32;
            default -> ColumnType.FLOAT64;
        };
    }

    /** The label's distinct values in class order; refuses nulls, a constant label, or a count the task cannot take. */
    private static List<String> classes(Connection duck, DatasetSource.Snapshot snapshot, String label, Task task,
            Map<String, String> types) throws SQLException {
        String column = DuckEngine.identifier(label);
        String order = numeric(types.get(label)) ? "CAST(" + column + " AS DOUBLE)" : column;
        List<String> classes = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT CAST(" + column
                + " AS VARCHAR) AS v, " + order + " AS o FROM read_parquet(" + files(snapshot) + ") WHERE " + column
                + " IS NOT NULL ORDER BY o")) {
            while (rs.next()) {
                classes.add(rs.getString(1));
            }
        }
        if (classes.size() < 2) {
            throw invalid("Label [" + label + "] of dataset " + snapshot.ref() + " is constant (" + classes
                    + "): there is nothing to learn", "label");
        }
        if (task == Task.BINARY && classes.size() != 2) {
            throw invalid("Label [" + label + "] has " + classes.size() + " values; task [binary] needs exactly 2"
                    + (classes.size() <= 20 ? " (it has " + classes + ")" : "") + "; use task multiclass or regression",
                    "task");
        }
        return classes;
    }

    private static String files(DatasetSource.Snapshot snapshot) {
        return "[" + String.join(", ", SPLITS.stream().filter(snapshot.splits()::containsKey)
                .map(s -> DuckEngine.literal(snapshot.splits().get(s).toString())).toList()) + "]";
    }

    private static Frame frame(Connection duck, DatasetSource.Snapshot snapshot, String split, Path file, Schema inputs,
            String label, Task task, List<String> classes, Map<String, String> types) throws SQLException {
        String column = DuckEngine.identifier(label);
        StringBuilder sql = new StringBuilder("SELECT ");
        if (task == Task.REGRESSION) {
            if (!numeric(types.get(label))) {
                throw invalid("Label [" + label + "] is of type [" + types.get(label) + "]; task [regression] needs a number",
                        "task");
            }
            sql.append("CAST(").append(column).append(" AS DOUBLE)");
        } else {
            // The class index computed by DuckDB: a label read as text costs a Java string per row
            // (most of the read of a wide numeric split); a null label stays null, and is refused below.
            sql.append("list_position([").append(String.join(", ", classes.stream().map(DuckEngine::literal).toList()))
                    .append("], CAST(").append(column).append(" AS VARCHAR)) - 1");
        }
        for (String feature : inputs.names()) {
            sql.append(", CAST(").append(DuckEngine.identifier(feature)).append(" AS DOUBLE)");
        }
        sql.append(" FROM read_parquet(").append(DuckEngine.literal(file.toString())).append(")");
        List<double[]> xs = new ArrayList<>();
        double[] y = new double[1024];
        int width = inputs.size();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                double value = task == Task.REGRESSION ? rs.getDouble(1) : rs.getInt(1);
                boolean missing = rs.wasNull();
                if (missing || !Double.isFinite(value)) {
                    throw invalid("Row " + xs.size() + " of split [" + split + "] of dataset " + snapshot.ref()
                            + " has " + (missing ? "no label" : "label [" + value + "]") + " in [" + label
                            + "]; every training row needs a finite label", "label");
                }
                if (xs.size() == y.length) {
                    y = Arrays.copyOf(y, y.length * 2);
                }
                y[xs.size()] = value;
                double[] row = new double[width];
                for (int c = 0; c < width; c++) {
                    double v = rs.getDouble(c + 2);
                    row[c] = rs.wasNull() ? Double.NaN : v;
                }
                xs.add(row);
            }
        }
        if (xs.isEmpty() && !split.equals("validation")) {
            throw invalid("Split [" + split + "] of dataset " + snapshot.ref() + " has no rows", "dataset");
        }
        return new Frame(task, inputs, classes, xs.toArray(new double[0][]), Arrays.copyOf(y, xs.size()));
    }

    private static SeerException invalid(String message, String field) {
        return new SeerException(TrainingErrorCode.INVALID_DATA, message, Map.of("field", field));
    }
}
