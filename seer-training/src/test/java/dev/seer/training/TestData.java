package dev.seer.training;

import dev.seer.duckdb.DuckEngine;
import dev.seer.training.data.DatasetSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Dataset versions for tests, written as real Parquet files by DuckDB, with a hand-written
 * {@link DatasetSource} over them (the real one is the dataset store, tested through the server).
 */
public final class TestData {
    private TestData() {}

    /** A source holding the snapshots given, by ref; an unknown ref fails as a missing version would. */
    public static DatasetSource source(DatasetSource.Snapshot... snapshots) {
        Map<String, DatasetSource.Snapshot> byRef = new LinkedHashMap<>();
        for (DatasetSource.Snapshot s : snapshots) {
            byRef.put(s.ref(), s);
            byRef.put(s.ref().substring(0, s.ref().indexOf(':')) + ":latest", s);
        }
        return ref -> {
            DatasetSource.Snapshot s = byRef.get(ref);
            if (s == null) {
                throw new IllegalArgumentException("no dataset " + ref);
            }
            return s;
        };
    }

    /**
     * A binary dataset of {@code rows} rows: features x1..x{width} standard normal (x1 with some
     * NaN), a text column and a key; the label is 1 with probability sigmoid(signal * (x1 + x2)).
     * Split 60/20/20 by row number.
     */
    public static DatasetSource.Snapshot binary(Path dir, String ref, int rows, int width, double signal, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> values = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            double[] x = new double[width];
            for (int c = 0; c < width; c++) {
                x[c] = gaussian(random);
            }
            double p = 1 / (1 + Math.exp(-signal * (x[0] + (width > 1 ? x[1] : 0))));
            StringBuilder row = new StringBuilder("(" + r + ", 'c" + (r % 7) + "', " + (random.nextDouble() < p ? 1 : 0));
            for (int c = 0; c < width; c++) {
                row.append(", ").append(c == 0 && r % 50 == 0 ? "NULL" : String.format(Locale.ROOT, "%.6f", x[c]));
            }
            values.add(row.append(")").toString());
        }
        StringBuilder columns = new StringBuilder("id, colour, churned");
        for (int c = 1; c <= width; c++) {
            columns.append(", x").append(c);
        }
        return write(dir, ref, columns.toString(), values, "churned", List.of("id"));
    }

    /** Writes {@code values} (SQL row literals) as a dataset split 60/20/20 by position. */
    public static DatasetSource.Snapshot write(Path dir, String ref, String columns, List<String> values, String label,
            List<String> key) {
        Map<String, Path> splits = new LinkedHashMap<>();
        List<DatasetSource.Column> schema = new ArrayList<>();
        int n = values.size();
        int[] bounds = {0, n * 6 / 10, n * 8 / 10, n};
        String[] names = {"train", "validation", "test"};
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE t AS SELECT * FROM (VALUES " + String.join(", ", values) + ") v(" + columns + ")");
            for (int i = 0; i < 3; i++) {
                Path file = dir.resolve(ref.replace(':', '_') + "_" + names[i] + ".parquet");
                s.execute("COPY (SELECT * FROM t LIMIT " + (bounds[i + 1] - bounds[i]) + " OFFSET " + bounds[i] + ") TO '"
                        + file + "' (FORMAT PARQUET)");
                splits.put(names[i], file);
            }
            try (var rs = s.executeQuery("DESCRIBE t")) {
                while (rs.next()) {
                    schema.add(new DatasetSource.Column(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new DatasetSource.Snapshot(ref, "sha-of-" + ref, Optional.of(label), key, schema, splits);
    }

    static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
