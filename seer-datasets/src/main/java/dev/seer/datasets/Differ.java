package dev.seer.datasets;

import static dev.seer.duckdb.DuckEngine.identifier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.SeerException;
import dev.seer.datasets.DatasetDiff.Change;
import dev.seer.datasets.DatasetDiff.ColumnChange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The difference of two dataset versions by key: schema changes, rows added, removed and changed,
 * and the two profiles side by side.
 *
 * <p>Design: each side is reduced to its key and a 128-bit digest of its other common columns
 * (MD5 of the row's text form, via DuckDB's {@code md5_number}), and the two are joined on the
 * key in DuckDB, so the join holds keys and digests rather than whole rows and DuckDB may spill
 * it to disk. A changed row is one present on both sides whose digests differ (two different
 * rows with one digest: about 1 in 10^19 for ten million pairs). Keys must be unique on each
 * side; rows with equal keys could not be paired.
 */
final class Differ {
    private static final int SAMPLE = 10;

    private Differ() {}

    static DatasetDiff diff(Connection duck, DatasetVersion a, Path dataA, DatasetVersion b, Path dataB, List<String> key)
            throws SQLException {
        String left = Tables.scan(dataA);
        String right = Tables.scan(dataB);
        Map<String, String> columnsA = Tables.columns(duck, left);
        Map<String, String> columnsB = Tables.columns(duck, right);
        Tables.requireColumns(columnsA, key, "Dataset " + a);
        Tables.requireColumns(columnsB, key, "Dataset " + b);
        requireUnique(duck, left, key, a);
        requireUnique(duck, right, key, b);
        List<String> common = columnsA.keySet().stream().filter(columnsB::containsKey).filter(c -> !key.contains(c)).toList();
        Compared rows = rows(duck, digested(left, key, common, columnsA, columnsB), digested(right, key, common, columnsA,
                columnsB), key, key.stream().anyMatch(k -> !columnsA.get(k).equals(columnsB.get(k))));
        return new DatasetDiff(a.ref(), b.ref(), key, schemaChanges(columnsA, columnsB), rows.counts(), rows.samples(),
                sideBySide(a.manifest().profile(), b.manifest().profile()));
    }

    private record Compared(DatasetDiff.Rows counts, DatasetDiff.Samples samples) {}

    private static void requireUnique(Connection duck, String relation, List<String> key, DatasetVersion version)
            throws SQLException {
        String keys = String.join(", ", Tables.quoted(key));
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT " + keys + ", count(*) FROM "
                + relation + " GROUP BY ALL HAVING count(*) > 1 LIMIT 1")) {
            if (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= key.size(); i++) {
                    values.add(rs.getString(i));
                }
                throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Key " + key + " is not unique in " + version + ": "
                        + values + " is on " + rs.getLong(key.size() + 1) + " rows; give a key that identifies a row (--key)",
                        Map.of("dataset", version.toString(), "key", key.toString()));
            }
        }
    }

    /** The key columns and a digest of the common columns (as text when their types differ). */
    private static String digested(String relation, List<String> key, List<String> common, Map<String, String> typesA,
            Map<String, String> typesB) {
        String values = common.stream().map(c -> typesA.get(c).equals(typesB.get(c)) ? identifier(c)
                : "CAST(" + identifier(c) + (numeric(typesA.get(c)) && numeric(typesB.get(c)) ? " AS DOUBLE)" : " AS VARCHAR)"))
                .collect(Collectors.joining(", "));
        String digest = common.isEmpty() ? "0::HUGEINT" : "md5_number(CAST(row(" + values + ") AS VARCHAR))";
        return "(SELECT " + String.join(", ", Tables.quoted(key)) + ", " + digest + " AS _digest FROM " + relation + ")";
    }

    /** Numbers compare as numbers across a type change (an integer column become a double); other changes as text. */
    private static boolean numeric(String type) {
        return type.matches("(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))|FLOAT|DOUBLE|DECIMAL.*");
    }

    private static List<ColumnChange> schemaChanges(Map<String, String> a, Map<String, String> b) {
        List<ColumnChange> changes = new ArrayList<>();
        a.forEach((column, type) -> {
            if (!b.containsKey(column)) {
                changes.add(new ColumnChange(column, Change.REMOVED, Optional.of(type), Optional.empty()));
            } else if (!b.get(column).equals(type)) {
                changes.add(new ColumnChange(column, Change.TYPE, Optional.of(type), Optional.of(b.get(column))));
            }
        });
        b.forEach((column, type) -> {
            if (!a.containsKey(column)) {
                changes.add(new ColumnChange(column, Change.ADDED, Optional.empty(), Optional.of(type)));
            }
        });
        return changes;
    }

    /** {@code keyAsText}: a key column changed type, so keys are matched by their text. */
    private static Compared rows(Connection duck, String left, String right, List<String> key, boolean keyAsText)
            throws SQLException {
        String on = key.stream().map(k -> keyAsText
                ? "CAST(a." + identifier(k) + " AS VARCHAR) IS NOT DISTINCT FROM CAST(b." + identifier(k) + " AS VARCHAR)"
                : "a." + identifier(k) + " IS NOT DISTINCT FROM b." + identifier(k)).collect(Collectors.joining(" AND "));
        String keyOut = key.stream().map(k -> "coalesce(CAST(a." + identifier(k) + " AS VARCHAR), CAST(b." + identifier(k)
                + " AS VARCHAR)) AS " + identifier(k)).collect(Collectors.joining(", "));
        try (Statement s = duck.createStatement()) {
            s.execute("CREATE TEMP TABLE joined AS SELECT " + keyOut + ", CASE WHEN b._digest IS NULL THEN 'removed'"
                    + " WHEN a._digest IS NULL THEN 'added' WHEN a._digest <> b._digest THEN 'changed' ELSE 'same' END AS _kind"
                    + " FROM (SELECT *, true AS _in FROM " + left + ") a FULL OUTER JOIN (SELECT *, true AS _in FROM " + right
                    + ") b ON " + on + " WHERE a._in IS NULL OR b._in IS NULL OR a._digest <> b._digest");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, List<Map<String, String>>> samples = new LinkedHashMap<>();
        for (String kind : List.of("added", "removed", "changed")) {
            counts.put(kind, Tables.rows(duck, "joined WHERE _kind = '" + kind + "'"));
            List<Map<String, String>> sample = new ArrayList<>();
            try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT " + String.join(", ",
                    Tables.quoted(key)) + " FROM joined WHERE _kind = '" + kind + "' ORDER BY ALL LIMIT " + SAMPLE)) {
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>(); // a null key part stays null
                    for (int i = 0; i < key.size(); i++) {
                        row.put(key.get(i), rs.getString(i + 1));
                    }
                    sample.add(Collections.unmodifiableMap(row));
                }
            }
            samples.put(kind, sample);
        }
        try (Statement s = duck.createStatement()) {
            s.execute("DROP TABLE joined");
        }
        return new Compared(new DatasetDiff.Rows(counts.get("added"), counts.get("removed"), counts.get("changed")),
                new DatasetDiff.Samples(samples.get("added"), samples.get("removed"), samples.get("changed")));
    }

    private static Map<String, DatasetDiff.Statistics> sideBySide(JsonNode a, JsonNode b) {
        Map<String, DatasetDiff.Statistics> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(n -> {
            if (!names.contains(n)) {
                names.add(n);
            }
        });
        for (String name : names) {
            out.put(name, new DatasetDiff.Statistics(Optional.ofNullable(a.get(name)), Optional.ofNullable(b.get(name))));
        }
        return out;
    }
}
