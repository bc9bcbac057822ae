package dev.seer.features.online;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.core.home.FileTrees;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions.Aggregation;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.FeatureRefs;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.FeatureType;
import dev.seer.features.definition.Stored;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.HistoricalRetrieval;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code seer features check-consistency VIEW}: the online window aggregates of a sample of
 * entities against a batch recomputation from the offline store, both at one time. The batch
 * side is the historical retrieval itself (entity rows at that time), so this checks the two
 * real code paths against each other, not a copy of either. Counts must be equal; sums and
 * means equal to a relative 1e-9 (the two sides add in different orders). An entity with no
 * online state agrees if batch finds no event in its windows.
 */
public final class ConsistencyCheck {
    /** Relative tolerance for sums and means, which the two sides add up in different orders. */
    static final double TOLERANCE = 1e-9;

    /** One aggregate that differs; a null value is absent. */
    public record Difference(String entity, String feature, Double online, Double batch) {}

    /** An entity sampled but not compared, and why. */
    public record Skipped(String entity, String reason) {}

    /**
     * What was compared: entities sampled, of them those compared (every sampled entity is either
     * compared or skipped, with its reason), values compared, compared entities without online
     * state, and the differences (all of them).
     */
    public record Report(String view, Instant at, int sampled, int compared, int values, int missingOnline,
            List<Skipped> skipped, List<Difference> differences) {
        public Report {
            if (compared + skipped.size() != sampled) {
                throw new IllegalArgumentException("Of [" + sampled + "] sampled entities, [" + compared + "] compared and ["
                        + skipped.size() + "] skipped");
            }
        }

        public boolean consistent() {
            return differences.isEmpty();
        }
    }

    private final Catalog catalog;
    private final Ingestor ingestor;
    private final OnlineStore store;

    public ConsistencyCheck(Catalog catalog, Ingestor ingestor, OnlineStore store) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.ingestor = requireNonNull(ingestor, "ingestor is null");
        this.store = requireNonNull(store, "store is null");
    }

    /**
     * @param sample how many entities to check (of those the offline store holds), at random;
     *               all of them if there are fewer
     * @param at the time both sides are computed at; events after it count on neither
     */
    public Report check(String viewName, int sample, Instant at) {
        FeatureView view = catalog.latest(FeatureRegistry.VIEW, viewName).map(e -> Stored.view(e.body()))
                .orElseThrow(() -> new SeerException(FeatureErrorCode.VIEW_NOT_FOUND, "Feature view [" + viewName
                        + "] does not exist", Map.of("view", viewName)));
        if (view.aggregations().isEmpty()) {
            throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, "Feature view [" + viewName + "] declares no"
                    + " aggregations; there is nothing computed two ways to compare", Map.of("view", viewName));
        }
        if (sample < 1) {
            throw new SeerException(dev.seer.core.CoreErrorCode.INVALID_ARGUMENT, "[sample] must be at least 1, got " + sample,
                    Map.of("sample", sample));
        }
        Path work = temporaryFolder();
        try {
            Path entities = work.resolve("entities.parquet");
            List<String> keys = FeatureRefs.joinKeys(catalog, view);
            List<List<String>> sampled = sampleEntities(view, keys, sample, at, entities);
            if (sampled.isEmpty()) {
                return new Report(viewName, at, 0, 0, 0, 0, List.of(), List.of());
            }
            Path out = work.resolve("batch.parquet");
            List<String> refs = view.aggregations().stream().map(a -> view.name() + ":" + a.name()).toList();
            new HistoricalRetrieval(catalog, ingestor).run(entities, refs, out, false);
            return compare(view, sampled, readBatch(out, view), at);
        } finally {
            delete(work);
        }
    }

    private Report compare(FeatureView view, List<List<String>> entities, double[][] batch, Instant at) {
        List<String> keys = entities.stream().map(FeatureRefs::entityKey).toList();
        List<Optional<OnlineRecord>> online = store.read(WindowTiles.onlineNamespace(view), keys);
        long atMicros = Times.toMicros(at);
        List<Difference> differences = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        int missing = 0;
        int values = 0;
        for (int e = 0; e < keys.size(); e++) {
            if (online.get(e).isPresent() && online.get(e).get().eventMicros() > atMicros) {
                skipped.add(new Skipped(keys.get(e), "online state has an event at [" + Times.ofMicros(online.get(e).get().eventMicros())
                        + "], after [" + at + "]: its tiles give values only from their latest event on"));
                continue;
            }
            WindowTiles tiles = online.get(e).map(r -> WindowTiles.fromOnlineJson(view.aggregations(), r.values()))
                    .orElse(WindowTiles.empty(view.aggregations()));
            missing += online.get(e).isEmpty() ? 1 : 0;
            for (int a = 0; a < view.aggregations().size(); a++) {
                Aggregation aggregation = view.aggregations().get(a);
                values++;
                double mine = tiles.value(a, atMicros);
                double theirs = batch[e][a];
                if (!same(mine, theirs, aggregation)) {
                    differences.add(new Difference(keys.get(e), aggregation.name(), Double.isNaN(mine) ? null : mine,
                            Double.isNaN(theirs) ? null : theirs));
                }
            }
        }
        return new Report(view.name(), at, keys.size(), keys.size() - skipped.size(), values, missing, skipped, differences);
    }

    private static boolean same(double online, double batch, Aggregation aggregation) {
        if (Double.isNaN(online) || Double.isNaN(batch)) {
            return Double.isNaN(online) && Double.isNaN(batch);
        }
        if (aggregation.type() == FeatureType.LONG) {
            return online == batch;
        }
        return Math.abs(online - batch) <= TOLERANCE * Math.max(1, Math.max(Math.abs(online), Math.abs(batch)));
    }

    /** Writes the sampled entities, at {@code at}, as an entity file; returns their key values in file order. */
    private List<List<String>> sampleEntities(FeatureView view, List<String> keys, int sample, Instant at, Path entities) {
        List<Path> files = ingestor.viewFiles(view.name());
        if (files.isEmpty()) {
            return List.of();
        }
        String fileList = "[" + files.stream().map(f -> DuckEngine.literal(f.toString())).collect(Collectors.joining(", ")) + "]";
        String keyColumns = keys.stream().map(k -> "CAST(" + DuckEngine.identifier(k) + " AS VARCHAR) AS " + DuckEngine.identifier(k))
                .collect(Collectors.joining(", "));
        List<List<String>> sampled = new ArrayList<>();
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("CREATE TABLE sampled AS SELECT * FROM (SELECT DISTINCT " + keyColumns + " FROM read_parquet(" + fileList
                    + ")) USING SAMPLE reservoir(" + sample + " ROWS) REPEATABLE (7)");
            s.execute("COPY (SELECT *, TIMESTAMPTZ " + DuckEngine.literal(at.toString()) + " AS "
                    + PointInTimeRetrieval.EVENT_TIMESTAMP + " FROM sampled) TO " + DuckEngine.literal(entities.toString())
                    + " (FORMAT PARQUET)");
            try (ResultSet rs = s.executeQuery("SELECT * EXCLUDE (" + PointInTimeRetrieval.EVENT_TIMESTAMP + ") FROM read_parquet("
                    + DuckEngine.literal(entities.toString()) + ")")) {
                while (rs.next()) {
                    List<String> parts = new ArrayList<>(keys.size());
                    for (int k = 1; k <= keys.size(); k++) {
                        parts.add(rs.getString(k));
                    }
                    sampled.add(parts);
                }
            }
        } catch (SQLException e) {
            throw DuckEngine.failure("Sampling entities of [" + view.name() + "]", e);
        }
        return sampled;
    }

    /** The batch values, one row per entity row in input order, one column per aggregation (NaN for null). */
    private static double[][] readBatch(Path out, FeatureView view) {
        String columns = view.aggregations().stream().map(a -> "CAST(" + DuckEngine.identifier(view.name() + "__" + a.name())
                + " AS DOUBLE)").collect(Collectors.joining(", "));
        List<double[]> rows = new ArrayList<>();
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + columns + " FROM read_parquet(" + DuckEngine.literal(out.toString()) + ")")) {
            while (rs.next()) {
                double[] row = new double[view.aggregations().size()];
                for (int a = 0; a < row.length; a++) {
                    row[a] = rs.getDouble(a + 1);
                    if (rs.wasNull()) {
                        row[a] = Double.NaN;
                    }
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            throw DuckEngine.failure("Reading the batch recomputation of [" + view.name() + "]", e);
        }
        return rows.toArray(new double[0][]);
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("seer-consistency");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) {
        FileTrees.deleteQuietly(folder); // a temporary folder left behind is harmless
    }
}
