package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.store.SqlDatabase;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.profile.Profile;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Closed windows and references in the metadata store (their own schema, component
 * {@code monitoring_windows}). A window is written once: saving a window whose deployment and
 * start are already stored keeps the stored one, so a window rebuilt from the log after a restart
 * (or closed twice by two racing callers) cannot replace what the monitor already judged. A
 * reference is replaced whole when saved again under its id.
 */
public final class WindowStore {
    /** The newest migration this code reads and writes. */
    public static final int SCHEMA = 1;
    /** As seer-serving's deployment names are: a name the server accepts is one monitoring can store. */
    private static final Pattern DEPLOYMENT = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern REFERENCE_ID = Pattern.compile("[A-Za-z0-9_.:/@-]{1,200}");
    private static final String WINDOW_COLUMNS = "deployment, window_start, window_end, row_count, columns_json, profile,"
            + " reservoir";

    private final SqlDatabase database;

    public WindowStore(SqlDatabase database) {
        this.database = requireNonNull(database, "database is null");
        database.migrate("monitoring_windows", SCHEMA);
    }

    /**
     * Stores a closed window unless one with its deployment and start is stored already.
     *
     * @return whether this call stored it (false: the first copy stays)
     */
    public boolean save(ClosedWindow w) {
        checkDeployment(w.deployment());
        return sql("store window " + w.start() + " of deployment " + w.deployment(), () -> database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO monitoring_windows (" + WINDOW_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (deployment, window_start) DO NOTHING")) {
                s.setString(1, w.deployment());
                s.setLong(2, Times.toMicros(w.start()));
                s.setLong(3, Times.toMicros(w.end()));
                s.setLong(4, w.rows());
                s.setString(5, columnsJson(w.columns()));
                s.setBytes(6, w.profile().toBytes());
                s.setBytes(7, w.reservoir().toBytes());
                return s.executeUpdate() == 1;
            }
        }));
    }

    /** The window of {@code deployment} starting at {@code start}, if stored. */
    public Optional<ClosedWindow> window(String deployment, Instant start) {
        checkDeployment(deployment);
        List<ClosedWindow> found = select("read window " + start + " of deployment " + deployment,
                "WHERE deployment = ? AND window_start = ?", deployment, Times.toMicros(start));
        return found.stream().findFirst();
    }

    /** The windows of {@code deployment} whose start is in [from, to), oldest first. */
    public List<ClosedWindow> between(String deployment, Instant from, Instant to) {
        checkDeployment(deployment);
        return select("read the windows of deployment " + deployment, "WHERE deployment = ? AND window_start >= ?"
                + " AND window_start < ? ORDER BY window_start", deployment, Times.toMicros(from), Times.toMicros(to));
    }

    /** Where the last stored window of {@code deployment} ends; empty when none is stored. */
    public Optional<Instant> lastClosedEnd(String deployment) {
        checkDeployment(deployment);
        return sql("read the last window of deployment " + deployment, () -> {
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT MAX(window_end) FROM monitoring_windows WHERE deployment = ?")) {
                s.setString(1, deployment);
                try (ResultSet r = s.executeQuery()) {
                    long end = r.next() ? r.getLong(1) : 0;
                    return r.wasNull() ? Optional.<Instant>empty() : Optional.of(Times.ofMicros(end));
                }
            }
        });
    }

    /** Every deployment with a stored window, by name. */
    public List<String> deployments() {
        return sql("list the watched deployments", () -> {
            List<String> all = new ArrayList<>();
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT DISTINCT deployment FROM monitoring_windows ORDER BY deployment");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    all.add(r.getString(1));
                }
            }
            return all;
        });
    }

    /** Stores a reference under its id, replacing one stored before. */
    public void saveReference(Reference reference) {
        checkReferenceId(reference.id());
        sql("store reference " + reference.id(), () -> database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO monitoring_references (id, columns_json, profile, reservoir,"
                    + " scores, outcomes) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET columns_json ="
                    + " excluded.columns_json, profile = excluded.profile, reservoir = excluded.reservoir, scores ="
                    + " excluded.scores, outcomes = excluded.outcomes")) {
                s.setString(1, reference.id());
                s.setString(2, columnsJson(reference.columns()));
                s.setBytes(3, reference.profile().toBytes());
                s.setBytes(4, reference.reservoir().toBytes());
                s.setBytes(5, reference.labelled().map(l -> doubles(l.scores())).orElse(null));
                s.setBytes(6, reference.labelled().map(l -> doubles(l.outcomes())).orElse(null));
                return s.executeUpdate();
            }
        }));
    }

    /** The reference stored under {@code id}, if any. */
    public Optional<Reference> reference(String id) {
        checkReferenceId(id);
        return sql("read reference " + id, () -> {
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT columns_json, profile, reservoir, scores, outcomes FROM"
                         + " monitoring_references WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<Reference>empty();
                    }
                    byte[] scores = r.getBytes(4);
                    byte[] outcomes = r.getBytes(5);
                    Optional<Labelled> labelled = scores == null || outcomes == null ? Optional.empty()
                            : Optional.of(new Labelled(doubles(scores, id), doubles(outcomes, id)));
                    return Optional.of(new Reference(id, columns(r.getString(1)), Profile.fromBytes(r.getBytes(2)),
                            Reservoir.fromBytes(r.getBytes(3)), labelled));
                }
            }
        });
    }

    private List<ClosedWindow> select(String what, String where, Object... values) {
        return sql(what, () -> {
            List<ClosedWindow> all = new ArrayList<>();
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT " + WINDOW_COLUMNS + " FROM monitoring_windows " + where)) {
                for (int i = 0; i < values.length; i++) {
                    s.setObject(i + 1, values[i]);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        all.add(new ClosedWindow(r.getString(1), Times.ofMicros(r.getLong(2)), Times.ofMicros(r.getLong(3)),
                                r.getLong(4), columns(r.getString(5)), Profile.fromBytes(r.getBytes(6)),
                                Reservoir.fromBytes(r.getBytes(7))));
                    }
                }
            }
            return all;
        });
    }

    /** {@code {"features": [...], "output": "SCORE"}}. */
    static String columnsJson(WatchedColumns columns) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("features", columns.features());
        json.put("output", columns.output().name());
        return Json.write(json);
    }

    static WatchedColumns columns(String json) {
        try {
            JsonNode node = Json.parse(json);
            List<String> features = new ArrayList<>();
            node.path("features").forEach(f -> features.add(f.asText()));
            return new WatchedColumns(features, OutputShape.valueOf(node.path("output").asText()));
        } catch (RuntimeException e) {
            throw new SeerException(MonitoringErrorCode.CORRUPT_STATE, "Stored watched columns unreadable: [" + json + "]",
                    Map.of("field", "columns"), e);
        }
    }

    private static byte[] doubles(double[] values) {
        ByteBuffer out = ByteBuffer.allocate(8 * values.length);
        for (double v : values) {
            out.putDouble(v);
        }
        return out.array();
    }

    private static double[] doubles(byte[] bytes, String id) {
        if (bytes.length % 8 != 0) {
            throw new SeerException(MonitoringErrorCode.CORRUPT_STATE, "Stored labelled rows of reference [" + id + "] are "
                    + bytes.length + " bytes, not a whole number of doubles", Map.of("field", "labelled"));
        }
        double[] out = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).asDoubleBuffer().get(out);
        return out;
    }

    static void checkDeployment(String deployment) {
        if (deployment == null || !DEPLOYMENT.matcher(deployment).matches()) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "[deployment] must be 1 to 64 of a-z, 0-9 and _,"
                    + " not [" + deployment + "]", Map.of("field", "deployment"));
        }
    }

    private static void checkReferenceId(String id) {
        if (id == null || !REFERENCE_ID.matcher(id).matches()) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "[reference] must be 1 to 200 of A-Z, a-z, 0-9 and"
                    + " _.:/@-, not [" + id + "]", Map.of("field", "reference"));
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(String what, SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new SeerException(MonitoringErrorCode.STORE_FAILURE, "Could not " + what + ": " + e.getMessage(), Map.of(), e);
        }
    }
}
