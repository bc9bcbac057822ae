package dev.seer.features.offline;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.Schema;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.FeatureRefs;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.FeatureType;
import dev.seer.features.definition.Stored;
import dev.seer.features.ingest.Ingestor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Training data without leakage: every entity row joined, point in time, to the features asked
 * for (see {@link PointInTimeJoin} for the rules). DuckDB reads the entity file and the view's
 * Parquet files and writes the result; keys become dense ids in DuckDB so that Java only moves
 * ids and times; the join itself runs in Java on primitive arrays; the matches go back to
 * DuckDB, which fetches the feature values and writes every input row, in input order, followed
 * by one column per feature named {@code view__feature}.
 */
public final class HistoricalRetrieval implements PointInTimeRetrieval {

    /** Java memory per feature row during the join: 28 bytes of columns, copied once, plus sort indexes. */
    static final long BYTES_PER_FEATURE_ROW = 80;

    private final Catalog catalog;
    private final Ingestor ingestor;
    private final long memoryBudget;

    /** A retrieval whose join keeps within a quarter of the maximum heap. */
    public HistoricalRetrieval(Catalog catalog, Ingestor ingestor) {
        this(catalog, ingestor, Runtime.getRuntime().maxMemory() / 4);
    }

    HistoricalRetrieval(Catalog catalog, Ingestor ingestor, long memoryBudgetBytes) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.ingestor = requireNonNull(ingestor, "ingestor is null");
        if (memoryBudgetBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive");
        }
        this.memoryBudget = memoryBudgetBytes;
    }

    /**
     * @param features references {@code view:feature}, or a single feature service name
     */
    public Result run(Path entities, List<String> features, Path out, boolean filterByCreated) {
        return retrieve(new Request(entities, features, out, filterByCreated));
    }

    @Override
    public List<BatchRecord> batches() {
        return ingestor.batches().stream().map(b -> BatchRecord.CODEC.decode(b.body())).toList();
    }

    @Override
    public Result retrieve(Request request) {
        Path entities = request.entities();
        Path out = request.out();
        boolean filterByCreated = request.filterByCreated();
        Map<String, List<String>> byView = FeatureRefs.resolve(catalog, request.features(), request.viewVersions());
        if (!Files.isReadable(entities)) {
            throw new SeerException(FeatureErrorCode.SOURCE_UNREADABLE, "Entity file [" + entities + "] does not exist"
                    + " or cannot be read", Map.of("path", entities.toString()));
        }
        try (Connection duck = DuckEngine.open(); Statement statement = duck.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            loadEntities(duck, entities);
            List<String> selects = new ArrayList<>();
            List<String> joins = new ArrayList<>();
            List<Column> columns = new ArrayList<>();
            long matched = 0;
            long joinNanos = 0;
            int[] passes = new int[1];
            List<ViewInput> inputs = new ArrayList<>();
            int n = 0;
            for (Map.Entry<String, List<String>> entry : byView.entrySet()) {
                CatalogEntry definition = FeatureRefs.view(catalog, entry.getKey(), request.viewVersions());
                FeatureView view = Stored.view(definition.body());
                List<Path> files = files(view, request.batches());
                Map<String, Long> matchedRows = new java.util.TreeMap<>();
                String alias = "v" + n;
                String aggregated = "g" + n++;
                List<Definitions.Aggregation> aggregations = entry.getValue().stream().map(view::aggregation)
                        .flatMap(java.util.Optional::stream).toList();
                if (aggregations.size() < entry.getValue().size()) { // stored features: the point-in-time join
                    long[] timing = new long[1];
                    matched += joinView(duck, view, files, alias, filterByCreated, timing, passes);
                    matchedRows.putAll(matchedByBatch(duck, alias, files));
                    joinNanos += timing[0];
                    joins.add("LEFT JOIN m_" + alias + " USING (_i) LEFT JOIN f_" + alias + " " + alias + " ON " + alias
                            + "._fid = m_" + alias + "._fid");
                }
                if (!aggregations.isEmpty()) {
                    aggregateView(duck, view, files, aggregated, aggregations, filterByCreated, passes);
                    joins.add("LEFT JOIN a_" + aggregated + " " + aggregated + " USING (_i)");
                }
                inputs.add(new ViewInput(view.name(), definition.version(), List.copyOf(entry.getValue()),
                        FeatureRefs.joinKeys(catalog, view), files.stream()
                        .map(f -> OfflineStore.batchOf(f.getFileName().toString())).distinct().toList(), matchedRows));
                for (String feature : entry.getValue()) {
                    String column = view.name() + "__" + feature;
                    selects.add((view.feature(feature).isPresent() ? alias : aggregated) + "." + DuckEngine.identifier(feature)
                            + " AS " + DuckEngine.identifier(column));
                    columns.add(new Column(column, view.outputType(feature).orElseThrow().columnType(), true));
                }
            }
            statement.execute("COPY (SELECT ent.* EXCLUDE (_i, _t), " + String.join(", ", selects) + " FROM ent "
                    + String.join(" ", joins) + " ORDER BY ent._i) TO " + DuckEngine.literal(out.toString()) + " ("
                    + format(out) + ")");
            long rows = count(duck, "SELECT count(*) FROM ent");
            Schema schema = Schema.of(columns);
            return new Result(rows, matched, schema.names(), out, joinNanos / 1_000_000, passes[0], inputs,
                    service(request.features()), schema);
        } catch (SQLException e) {
            throw DuckEngine.failure("Historical retrieval", e);
        }
    }

    /** The feature service asked for, with the version used: one name without a colon is a service. */
    private Optional<ServiceVersion> service(List<String> features) {
        if (features.size() != 1 || features.get(0).contains(":")) {
            return Optional.empty();
        }
        return catalog.latest(FeatureRegistry.SERVICE, features.get(0)).map(e -> new ServiceVersion(e.name(), e.version()));
    }

    private static void loadEntities(Connection duck, Path entities) throws SQLException {
        String name = entities.getFileName().toString().toLowerCase(Locale.ROOT);
        String reader = name.endsWith(".parquet") ? "read_parquet(" + DuckEngine.literal(entities.toString()) + ")"
                : "read_csv(" + DuckEngine.literal(entities.toString()) + ", header = true, all_varchar = true)";
        execute(duck, "CREATE TABLE ent AS SELECT row_number() OVER () - 1 AS _i, * FROM " + reader);
        List<String> columns = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE ent")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        if (!columns.contains(EVENT_TIMESTAMP)) {
            throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, "Entity file [" + entities + "] has no ["
                    + EVENT_TIMESTAMP + "] column; columns: " + columns.subList(1, columns.size()), Map.of("path", entities.toString()));
        }
        execute(duck, "ALTER TABLE ent ADD COLUMN _t BIGINT");
        execute(duck, "UPDATE ent SET _t = epoch_us(TRY_CAST(" + EVENT_TIMESTAMP + " AS TIMESTAMPTZ))");
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT _i + 1, " + EVENT_TIMESTAMP + " FROM ent WHERE _t IS NULL ORDER BY _i LIMIT 1")) {
            if (rs.next()) {
                throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, "Entity file [" + entities + "] row "
                        + rs.getLong(1) + ": [" + EVENT_TIMESTAMP + "] value [" + rs.getString(2)
                        + "] is not an ISO-8601 timestamp", Map.of("row", rs.getLong(1)));
            }
        }
    }

    /**
     * Gives each distinct join key of the entity file a dense id, in table {@code d_<alias>};
     * returns the SQL that matches a row {@code x} to it.
     */
    private String denseKeys(Connection duck, FeatureView view, String alias) {
        List<String> keys = FeatureRefs.joinKeys(catalog, view);
        try {
            execute(duck, "CREATE TABLE d_" + alias + " AS SELECT *, row_number() OVER () - 1 AS key_id FROM (SELECT DISTINCT "
                    + keys.stream().map(k -> "CAST(" + DuckEngine.identifier(k) + " AS VARCHAR) AS " + DuckEngine.identifier(k))
                    .collect(Collectors.joining(", ")) + " FROM ent)");
        } catch (SQLException e) {
            throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, "The entity file lacks the join keys " + keys
                    + " of feature view [" + view.name() + "]", Map.of("view", view.name()), e);
        }
        return keys.stream().map(k -> "CAST(x." + DuckEngine.identifier(k) + " AS VARCHAR) = d." + DuckEngine.identifier(k))
                .collect(Collectors.joining(" AND "));
    }

    /**
     * Window aggregates of one view at each entity row's time ({@link WindowAggregator}); leaves
     * table {@code a_<alias>(_i, <aggregation>...)}. Java holds, per pass over a key range, the
     * events' dense key, time and one value per aggregated column.
     */
    private void aggregateView(Connection duck, FeatureView view, List<Path> files, String alias,
            List<Definitions.Aggregation> aggregations, boolean filterByCreated, int[] passesMade) throws SQLException {
        if (filterByCreated) {
            throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, "Aggregations of view [" + view.name() + "] are"
                    + " computed over event times; --filter-by-created-timestamp is not supported for them yet",
                    Map.of("view", view.name()));
        }
        String keyMatch = denseKeys(duck, view, alias);
        EntityRows all = entityRows(duck, alias, keyMatch);
        int keyCount = (int) count(duck, "SELECT count(*) FROM d_" + alias);
        List<String> valueColumns = aggregations.stream().map(a -> a.column().orElse("")).distinct().toList();
        List<String> valueSql = new ArrayList<>();
        for (String column : valueColumns) {
            Optional<Definitions.Feature> feature = view.feature(column);
            valueSql.add(column.isEmpty() ? "0::DOUBLE" : feature.get().type().numeric()
                    ? "CAST(x." + DuckEngine.identifier(column) + " AS DOUBLE)"
                    // distinct count of text: a 52-bit hash, exact as a double (collisions: about 1 in 4.5e15 per pair)
                    : "CAST(hash(CAST(x." + DuckEngine.identifier(column) + " AS VARCHAR)) >> 12 AS DOUBLE)");
        }
        String fileList = "[" + files.stream().map(f -> DuckEngine.literal(f.toString())).collect(Collectors.joining(", ")) + "]";
        long eventRows = files.isEmpty() ? 0 : count(duck, "SELECT count(*) FROM read_parquet(" + fileList + ")");
        int passes = passes(eventRows, keyCount);
        StringBuilder create = new StringBuilder("CREATE TABLE a_" + alias + " (_i BIGINT");
        aggregations.forEach(a -> create.append(", ").append(DuckEngine.identifier(a.name())).append(' ').append(a.type().duckdbType()));
        execute(duck, create.append(')').toString());
        try (DuckDBAppender appender = duck.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "a_" + alias)) {
            for (int pass = 0; pass < passes; pass++) {
                int low = (int) ((long) keyCount * pass / passes);
                int high = (int) ((long) keyCount * (pass + 1) / passes);
                Events events = files.isEmpty() ? new Events(valueColumns.size())
                        : readEvents(duck, fileList, alias, keyMatch, valueSql, passes == 1 ? "" : " WHERE key_id >= " + low
                                + " AND key_id < " + high, low);
                EntityRows part = EntityRows.inRange(all.index(), all.keys(), all.times(), all.index().length, low, high);
                double[][] results = new double[aggregations.size()][];
                for (int a = 0; a < aggregations.size(); a++) {
                    Definitions.Aggregation aggregation = aggregations.get(a);
                    results[a] = WindowAggregator.aggregate(high - low, events.keys(), events.times(),
                            events.values(valueColumns.indexOf(aggregation.column().orElse(""))), part.keys(), part.times(),
                            WindowAggregator.function(aggregation.function()), aggregation);
                }
                for (int i = 0; i < part.index().length; i++) {
                    appender.beginRow();
                    appender.append((long) part.index()[i]);
                    for (int a = 0; a < aggregations.size(); a++) {
                        double v = results[a][i];
                        if (Double.isNaN(v)) {
                            appender.appendNull();
                        } else if (aggregations.get(a).type() == FeatureType.LONG) {
                            appender.append((long) v);
                        } else {
                            appender.append(v);
                        }
                    }
                    appender.endRow();
                }
            }
        }
        passesMade[0] += passes;
    }

    private Events readEvents(Connection duck, String fileList, String alias, String keyMatch, List<String> valueSql,
            String keyRange, int low) throws SQLException {
        Events events = new Events(valueSql.size());
        String sql = "SELECT d.key_id, epoch_us(x.event_ts), " + String.join(", ", valueSql) + " FROM read_parquet("
                + fileList + ") x JOIN (SELECT * FROM d_" + alias + keyRange + ") d ON " + keyMatch;
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            double[] row = new double[valueSql.size()];
            while (rs.next()) {
                for (int v = 0; v < row.length; v++) {
                    row[v] = rs.getDouble(3 + v);
                    if (rs.wasNull()) {
                        row[v] = Double.NaN;
                    }
                }
                events.add((int) rs.getLong(1) - low, rs.getLong(2), row);
            }
        }
        return events;
    }

    private static EntityRows entityRows(Connection duck, String alias, String keyMatch) throws SQLException {
        int entityRows = (int) count(duck, "SELECT count(*) FROM ent");
        int[] index = new int[entityRows];
        int[] key = new int[entityRows];
        long[] time = new long[entityRows];
        int e = 0;
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT x._i, d.key_id, x._t FROM ent x JOIN d_"
                + alias + " d ON " + keyMatch + " ORDER BY x._i")) {
            while (rs.next()) {
                index[e] = (int) rs.getLong(1);
                key[e] = (int) rs.getLong(2);
                time[e++] = rs.getLong(3);
            }
        }
        return new EntityRows(java.util.Arrays.copyOf(index, e), java.util.Arrays.copyOf(key, e), java.util.Arrays.copyOf(time, e));
    }

    /** Growable columns of events: dense key, time, and one value column per aggregated feature. */
    private static final class Events {
        private int[] key = new int[1 << 12];
        private long[] time = new long[1 << 12];
        private final double[][] values;
        private int size;

        Events(int columns) {
            values = new double[columns][1 << 12];
        }

        void add(int keyId, long micros, double[] row) {
            if (size == key.length) {
                int grown = size + (size >> 1);
                key = java.util.Arrays.copyOf(key, grown);
                time = java.util.Arrays.copyOf(time, grown);
                for (int v = 0; v < values.length; v++) {
                    values[v] = java.util.Arrays.copyOf(values[v], grown);
                }
            }
            key[size] = keyId;
            time[size] = micros;
            for (int v = 0; v < values.length; v++) {
                values[v][size] = row[v];
            }
            size++;
        }

        int[] keys() {
            return java.util.Arrays.copyOf(key, size);
        }

        long[] times() {
            return java.util.Arrays.copyOf(time, size);
        }

        double[] values(int column) {
            return java.util.Arrays.copyOf(values[column], size);
        }
    }

    /** Joins one view; leaves tables {@code m_<alias>(_i, _fid)} and {@code f_<alias>}; returns how many rows matched. */
    private long joinView(Connection duck, FeatureView view, List<Path> files, String alias, boolean filterByCreated,
            long[] joinNanos, int[] passesMade) throws SQLException {
        String keyMatch = denseKeys(duck, view, alias);
        boolean hasCreated = Stored.sourceHasCreated(catalog, view.source());
        String fileList = "[" + files.stream().map(f -> DuckEngine.literal(f.toString())).collect(Collectors.joining(", ")) + "]";
        // A feature row's id: which file (by position in the list) and which row of it. Needs no window
        // function, so DuckDB scans in parallel, and the values are fetched later only for matched rows.
        String scan = "(SELECT (list_position(" + fileList + ", filename)::BIGINT << 32) + file_row_number AS _fid, *"
                + " FROM read_parquet(" + fileList + ", filename = true, file_row_number = true, hive_partitioning = false))";
        int keyCount = (int) count(duck, "SELECT count(*) FROM d_" + alias);
        EntityRows all = entityRows(duck, alias, keyMatch);
        long featureRows = files.isEmpty() ? 0 : count(duck, "SELECT count(*) FROM read_parquet(" + fileList + ")");
        int passes = passes(featureRows, keyCount);
        execute(duck, "CREATE TABLE m_" + alias + " (_i BIGINT, _fid BIGINT)");
        long matched = 0;
        try (DuckDBAppender appender = duck.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "m_" + alias)) {
            for (int pass = 0; pass < passes; pass++) {
                int low = (int) ((long) keyCount * pass / passes);
                int high = (int) ((long) keyCount * (pass + 1) / passes);
                FeatureRows rows = new FeatureRows();
                if (!files.isEmpty()) {
                    try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT x._fid, d.key_id, epoch_us(x.event_ts), "
                            + (hasCreated ? "epoch_us(x.created_ts)" : "NULL::BIGINT") + " FROM " + scan + " x JOIN (SELECT * FROM d_"
                            + alias + (passes == 1 ? "" : " WHERE key_id >= " + low + " AND key_id < " + high) + ") d ON " + keyMatch)) {
                        while (rs.next()) {
                            long created = rs.getLong(4);
                            rows.add(rs.getLong(1), (int) rs.getLong(2) - low, rs.getLong(3), rs.wasNull() ? PointInTimeJoin.NO_TIME : created);
                        }
                    }
                }
                EntityRows part = EntityRows.inRange(all.index(), all.keys(), all.times(), all.index().length, low, high);
                long started = System.nanoTime();
                int[] match = PointInTimeJoin.join(high - low, part.keys(), part.times(), rows.keys(), rows.times(),
                        rows.created(), rows.fids(), view.ttl().toNanos() / 1000, filterByCreated);
                joinNanos[0] += System.nanoTime() - started;
                for (int i = 0; i < match.length; i++) {
                    if (match[i] >= 0) {
                        appender.beginRow();
                        appender.append((long) part.index()[i]);
                        appender.append(rows.fid(match[i]));
                        appender.endRow();
                        matched++;
                    }
                }
            }
        }
        passesMade[0] += passes;
        String values = view.features().stream().map(f -> DuckEngine.identifier(f.name())).collect(Collectors.joining(", "));
        execute(duck, files.isEmpty()
                ? "CREATE TABLE f_" + alias + " AS SELECT NULL::BIGINT AS _fid" + view.features().stream()
                        .map(f -> ", NULL::" + f.type().duckdbType() + " AS " + DuckEngine.identifier(f.name()))
                        .collect(Collectors.joining()) + " WHERE false"
                : "CREATE VIEW f_" + alias + " AS SELECT _fid, " + values + " FROM " + scan
                        + " WHERE _fid IN (SELECT _fid FROM m_" + alias + ")");
        return matched;
    }

    /**
     * How many key-range passes keep the Java side of the join within the memory budget. A
     * feature row costs {@link #BYTES_PER_FEATURE_ROW} while joined (its id, dense key, two times,
     * and the sort's index arrays); the feature values never enter Java. With more passes than
     * one, each pass reads only the rows of its key range (DuckDB scans the files again, reading
     * four columns), so memory is bounded by the budget whatever the size of the view.
     */
    private int passes(long featureRows, int keyCount) {
        long needed = featureRows * BYTES_PER_FEATURE_ROW;
        long passes = Math.max(1, (needed + memoryBudget - 1) / memoryBudget);
        return (int) Math.min(passes, Math.max(1, keyCount));
    }

    /** The entity rows (positions in the entity file, dense keys rebased to the range, times) of one key range. */
    private record EntityRows(int[] index, int[] keys, long[] times) {
        static EntityRows inRange(int[] index, int[] key, long[] time, int size, int low, int high) {
            int n = 0;
            for (int i = 0; i < size; i++) {
                n += key[i] >= low && key[i] < high ? 1 : 0;
            }
            EntityRows rows = new EntityRows(new int[n], new int[n], new long[n]);
            int j = 0;
            for (int i = 0; i < size; i++) {
                if (key[i] >= low && key[i] < high) {
                    rows.index[j] = index[i];
                    rows.keys[j] = key[i] - low;
                    rows.times[j++] = time[i];
                }
            }
            return rows;
        }
    }

    /** Growable columns of feature rows as read: id, dense key, event and created micros. */
    private static final class FeatureRows {
        private long[] fid = new long[1 << 16];
        private int[] key = new int[1 << 16];
        private long[] time = new long[1 << 16];
        private long[] created = new long[1 << 16];
        private int size;

        void add(long rowId, int keyId, long eventMicros, long createdMicros) {
            if (size == key.length) {
                int grown = size + (size >> 1);
                fid = java.util.Arrays.copyOf(fid, grown);
                key = java.util.Arrays.copyOf(key, grown);
                time = java.util.Arrays.copyOf(time, grown);
                created = java.util.Arrays.copyOf(created, grown);
            }
            fid[size] = rowId;
            key[size] = keyId;
            time[size] = eventMicros;
            created[size++] = createdMicros;
        }

        long fid(int row) {
            return fid[row];
        }

        long[] fids() {
            return java.util.Arrays.copyOf(fid, size);
        }

        int[] keys() {
            return java.util.Arrays.copyOf(key, size);
        }

        long[] times() {
            return java.util.Arrays.copyOf(time, size);
        }

        long[] created() {
            return java.util.Arrays.copyOf(created, size);
        }
    }

    /** The view's files that recorded batches hold (of {@code batches} only, if given), in storage order. */
    private List<Path> files(FeatureView view, Optional<java.util.Set<String>> batches) {
        return storageOrder(ingestor.viewFiles(view.name()).stream()
                .filter(f -> batches.isEmpty() || batches.get().contains(OfflineStore.batchOf(f.getFileName().toString())))
                .toList());
    }

    /** Matched entity rows per batch: a feature row id's high half is its file's position (from 1) in {@code files}. */
    private static Map<String, Long> matchedByBatch(Connection duck, String alias, List<Path> files) throws SQLException {
        Map<String, Long> matched = new java.util.TreeMap<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT _fid >> 32, count(*) FROM m_" + alias
                + " GROUP BY 1")) {
            while (rs.next()) {
                String batch = OfflineStore.batchOf(files.get((int) rs.getLong(1) - 1).getFileName().toString());
                matched.merge(batch, rs.getLong(2), Long::sum);
            }
        }
        return matched;
    }

    /**
     * The view's files in storage order: by batch id (ULIDs, so in ingestion order), then by path.
     * A row's id is its position in this list and its row number in the file, so a greater id
     * means stored later, which is how exact ties are broken (as the materialiser breaks them).
     */
    public static List<Path> storageOrder(List<Path> files) {
        return files.stream().sorted(java.util.Comparator.comparing((Path f) -> OfflineStore.batchOf(f.getFileName().toString()))
                .thenComparing(Path::toString)).toList();
    }

    private static String format(Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return "FORMAT parquet";
        }
        if (name.endsWith(".csv")) {
            return "FORMAT csv, HEADER true";
        }
        throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, "Output [" + out + "] must end in .csv or .parquet",
                Map.of("out", out.toString()));
    }

    private static long count(Connection duck, String sql) throws SQLException {
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection duck, String sql) throws SQLException {
        try (Statement s = duck.createStatement()) {
            s.execute(sql);
        }
    }
}
