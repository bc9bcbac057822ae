package dev.seer.registry.tracking;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.RegistrySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the tracking tables, the same on SQLite and PostgreSQL (both take
 * {@code ON CONFLICT ... DO UPDATE} and row-value comparisons). Every value is a bound parameter.
 */
final class Rows {
    /** Ids per {@code IN (...)} list: well under SQLite's and PostgreSQL's parameter limits. */
    private static final int CHUNK = 500;

    private Rows() {}

    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        return RegistrySql.update(c, sql, parameters);
    }

    private static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        RegistrySql.bind(s, parameters);
    }

    static Optional<Lifecycle> lifecycle(Connection c, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT lifecycle_stage FROM runs WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(Lifecycle.parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    static List<Experiment> experiments(Connection c, String where, Object... parameters) throws SQLException {
        Map<Long, Map<String, String>> tags = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT experiment_id, key, value FROM experiment_tags");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                tags.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
            }
        }
        List<Experiment> experiments = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT experiment_id, name, artifact_location, lifecycle_stage,"
                + " creation_time, last_update_time FROM experiments " + where + " ORDER BY experiment_id")) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    experiments.add(new Experiment(Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3),
                            Lifecycle.parse(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)),
                            Instant.ofEpochMilli(rs.getLong(6)), tags.getOrDefault(rs.getLong(1), Map.of())));
                }
            }
        }
        return experiments;
    }

    /** The runs with {@code ids}, in that order, each with its parameters, tags and latest metrics. */
    static List<Run> runs(Connection c, List<String> ids) throws SQLException {
        Map<String, Run> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            Map<String, Map<String, String>> params = keyValues(c, "params", chunk);
            Map<String, Map<String, String>> tags = keyValues(c, "tags", chunk);
            Map<String, List<Metric>> metrics = latestMetrics(c, chunk);
            try (PreparedStatement s = c.prepareStatement("SELECT run_id, experiment_id, run_name, user_id, status,"
                    + " start_time, end_time, lifecycle_stage, artifact_uri, parent_run_id, provenance FROM runs WHERE run_id IN ("
                    + placeholders(chunk.size()) + ")")) {
                bind(s, chunk.toArray());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        long ended = rs.getLong(7);
                        Optional<Instant> end = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
                        String provenance = rs.getString(11);
                        found.put(id, new Run(id, Long.toString(rs.getLong(2)), rs.getString(3), rs.getString(4),
                                RunStatus.valueOf(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)), end,
                                Lifecycle.parse(rs.getString(8)), rs.getString(9), Optional.ofNullable(rs.getString(10)),
                                params.getOrDefault(id, Map.of()), tags.getOrDefault(id, Map.of()),
                                metrics.getOrDefault(id, List.of()), provenance == null ? Optional.empty()
                                        : Optional.of(RunProvenance.CODEC.decode(Json.parse(provenance)))));
                    }
                }
            }
        }
        List<Run> runs = new ArrayList<>();
        ids.stream().map(found::get).filter(r -> r != null).forEach(runs::add);
        return runs;
    }

    private static Map<String, Map<String, String>> keyValues(Connection c, String table, List<String> ids)
            throws SQLException {
        Map<String, Map<String, String>> values = new HashMap<>();
        // table is "params" or "tags", chosen by the caller in this class, never from a request
        try (PreparedStatement s = c.prepareStatement("SELECT run_id, key, value FROM " + table + " WHERE run_id IN ("
                + placeholders(ids.size()) + ") ORDER BY key")) {
            bind(s, ids.toArray());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        return values;
    }

    private static Map<String, List<Metric>> latestMetrics(Connection c, List<String> ids) throws SQLException {
        Map<String, List<Metric>> values = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT run_id, key, value, is_nan, timestamp, step FROM latest_metrics"
                + " WHERE run_id IN (" + placeholders(ids.size()) + ") ORDER BY key")) {
            bind(s, ids.toArray());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(metric(rs, 2));
                }
            }
        }
        return values;
    }

    static List<Metric> history(Connection c, String runId, String key) throws SQLException {
        List<Metric> history = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT key, value, is_nan, timestamp, step FROM metrics"
                + " WHERE run_id = ? AND key = ? ORDER BY step, timestamp, value")) {
            s.setString(1, runId);
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    history.add(metric(rs, 1));
                }
            }
        }
        return history;
    }

    /** A metric from columns key, value, is_nan, timestamp, step starting at {@code first}. */
    private static Metric metric(ResultSet rs, int first) throws SQLException {
        double value = rs.getBoolean(first + 2) ? Double.NaN : rs.getDouble(first + 1);
        return new Metric(rs.getString(first), value, rs.getLong(first + 3), rs.getLong(first + 4));
    }

    static void upsertTags(Connection c, String runId, Map<String, String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                bind(s, runId, tag.getKey(), tag.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Parameters are written once: a key logged again must carry the value it has. */
    static void insertParams(Connection c, String runId, Map<String, String> params) throws SQLException {
        if (params.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(params.keySet());
        List<Object> bound = new ArrayList<>(List.of(runId));
        bound.addAll(keys);
        try (PreparedStatement s = c.prepareStatement("SELECT key, value FROM params WHERE run_id = ? AND key IN ("
                + placeholders(keys.size()) + ")")) {
            bind(s, bound.toArray());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    if (!rs.getString(2).equals(params.get(key))) {
                        throw new SeerException(RegistryErrorCode.INVALID_REQUEST, "Parameter [" + key + "] of run " + runId
                                + " is [" + rs.getString(2) + "]; a parameter cannot change (to [" + params.get(key) + "])",
                                Map.of("field", "params." + key));
                    }
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            for (Map.Entry<String, String> param : params.entrySet()) {
                bind(s, runId, param.getKey(), param.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * Every point into the history (the same point twice is kept once), and each key's latest
     * into {@code latest_metrics}: the greatest (step, timestamp, value), as MLflow orders them.
     */
    static void insertMetrics(Connection c, String runId, List<Metric> metrics) throws SQLException {
        if (metrics.isEmpty()) {
            return;
        }
        try (PreparedStatement history = c.prepareStatement("INSERT INTO metrics (run_id, key, value, is_nan, timestamp,"
                + " step) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
                PreparedStatement latest = c.prepareStatement("INSERT INTO latest_metrics (run_id, key, value, is_nan,"
                        + " timestamp, step) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET"
                        + " value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp,"
                        + " step = excluded.step WHERE (excluded.step, excluded.timestamp, excluded.value)"
                        + " > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)")) {
            for (Metric m : metrics) {
                add(history, runId, m);
            }
            // One row per key: PostgreSQL's driver folds a batch into one multi-row INSERT, and
            // ON CONFLICT may not touch a row twice in one statement.
            for (Metric m : latestPerKey(metrics).values()) {
                add(latest, runId, m);
            }
            history.executeBatch();
            latest.executeBatch();
        }
    }

    private static void add(PreparedStatement s, String runId, Metric m) throws SQLException {
        boolean nan = Double.isNaN(m.value());
        s.setString(1, runId);
        s.setString(2, m.key());
        s.setDouble(3, nan ? 0 : m.value());
        s.setBoolean(4, nan);
        s.setLong(5, m.timestamp());
        s.setLong(6, m.step());
        s.addBatch();
    }

    /** The greatest (step, timestamp, value) of each key, NaN counted as 0 as it is stored. */
    private static Map<String, Metric> latestPerKey(List<Metric> metrics) {
        Comparator<Metric> order = Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp)
                .thenComparingDouble(m -> Double.isNaN(m.value()) ? 0 : m.value());
        Map<String, Metric> latest = new LinkedHashMap<>();
        metrics.forEach(m -> latest.merge(m.key(), m, (a, b) -> order.compare(b, a) > 0 ? b : a));
        return latest;
    }

    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
