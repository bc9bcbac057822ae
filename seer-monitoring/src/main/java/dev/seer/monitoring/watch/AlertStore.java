package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.store.SqlDatabase;
import dev.seer.core.store.SqlDialect;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.AlertRule;
import dev.seer.monitoring.alert.Figure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The monitor's tables in the metadata store (their own schema, component
 * {@value #COMPONENT}): alert rules, each deployment's rule states, the figures of every evaluated
 * window, the history of alert transitions, and the concept-drift detectors. {@link Alerts} writes
 * through it in single transactions; the readers ({@code /metrics}, {@code seer monitor report},
 * {@code seer alerts list}) read it directly.
 */
public final class AlertStore implements DetectorStates {
    /** The newest migration this code reads and writes. */
    public static final int SCHEMA = 1;
    static final String COMPONENT = "monitoring_alerts";
    /** The longest history a caller may ask for at once. */
    public static final int MAX_EVENTS = 1000;

    /** A rule as stored: who created it, when. */
    public record StoredRule(AlertRule rule, String createdBy, Instant createdAt) {
        public StoredRule {
            requireNonNull(rule, "rule is null");
            requireNonNull(createdBy, "createdBy is null");
            requireNonNull(createdAt, "createdAt is null");
        }
    }

    /** One recorded change of phase, numbered in the order recorded. */
    public record Event(long seq, String deployment, AlertEvaluator.Transition transition) {
        public Event {
            requireNonNull(deployment, "deployment is null");
            requireNonNull(transition, "transition is null");
        }
    }

    private final SqlDatabase database;

    public AlertStore(SqlDatabase database) {
        this.database = requireNonNull(database, "database is null");
        database.migrate(COMPONENT, SCHEMA);
    }

    // ---------------------------------------------------------------- reads

    public List<StoredRule> rules() {
        return sql("read the alert rules", () -> {
            try (Connection c = database.connection()) {
                return rules(c);
            }
        });
    }

    /** The figures of the deployment's newest evaluated window (empty before the first), by name. */
    public List<Figure> latestFigures(String deployment) {
        requireNonNull(deployment, "deployment is null");
        return sql("read the latest figures of " + deployment, () -> {
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT name, window_start, window_end, value, status"
                         + " FROM monitoring_figures WHERE deployment = ? AND window_end ="
                         + " (SELECT MAX(window_end) FROM monitoring_figures WHERE deployment = ?) ORDER BY window_start, name")) {
                s.setString(1, deployment);
                s.setString(2, deployment);
                return readFigures(s);
            }
        });
    }

    /** The figures of the deployment's windows inside [from, to), by window start then name. */
    public List<Figure> figures(String deployment, Instant from, Instant to) {
        requireNonNull(deployment, "deployment is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        return sql("read the figures of " + deployment, () -> {
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT name, window_start, window_end, value, status"
                         + " FROM monitoring_figures WHERE deployment = ? AND window_start >= ? AND window_end <= ?"
                         + " ORDER BY window_start, name")) {
                s.setString(1, deployment);
                s.setLong(2, Times.toMicros(from));
                s.setLong(3, Times.toMicros(to));
                return readFigures(s);
            }
        });
    }

    private static List<Figure> readFigures(PreparedStatement s) throws SQLException {
        List<Figure> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Instant start = Times.ofMicros(r.getLong(2));
                Instant end = Times.ofMicros(r.getLong(3));
                double value = r.getDouble(4);
                boolean missing = r.wasNull();
                out.add(missing || Figure.Status.valueOf(r.getString(5)) == Figure.Status.NO_DATA
                        ? Figure.noData(r.getString(1), start, end) : Figure.ok(r.getString(1), start, end, value));
            }
        }
        return out;
    }

    /** The newest {@code limit} transitions (of one deployment, or all), newest first. */
    public List<Event> events(Optional<String> deployment, int limit) {
        requireNonNull(deployment, "deployment is null");
        if (limit < 1 || limit > MAX_EVENTS) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "An alert history limit is 1 to " + MAX_EVENTS
                    + ", not [" + limit + "]", Map.of("field", "limit"));
        }
        return selectEvents("read the alert history", (deployment.isPresent() ? " WHERE deployment = ?" : "")
                + " ORDER BY seq DESC LIMIT " + limit, deployment.map(d -> new Object[] {d}).orElse(new Object[0]));
    }

    /** The transitions not yet handed to the delivery, oldest first, at most {@code limit}. */
    List<Event> undelivered(int limit) {
        return selectEvents("read the undelivered alert transitions", " WHERE delivered = 0 ORDER BY seq LIMIT " + limit);
    }

    /** Records that transition {@code seq} was handed to the delivery. */
    void delivered(long seq) {
        transaction("mark alert transition " + seq + " delivered",
                c -> update(c, "UPDATE monitoring_alert_events SET delivered = 1 WHERE seq = ?", seq));
    }

    private List<Event> selectEvents(String what, String where, Object... values) {
        return sql(what, () -> {
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT seq, deployment, rule_id, figure, from_phase, to_phase,"
                         + " value, comparison, threshold, for_windows, severity, window_start, window_end, at"
                         + " FROM monitoring_alert_events" + where)) {
                for (int i = 0; i < values.length; i++) {
                    s.setObject(i + 1, values[i]);
                }
                List<Event> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        double value = r.getDouble(7);
                        value = r.wasNull() ? Double.NaN : value;
                        out.add(new Event(r.getLong(1), r.getString(2), new AlertEvaluator.Transition(r.getString(3),
                                r.getString(4), AlertEvaluator.Phase.valueOf(r.getString(5)),
                                AlertEvaluator.Phase.valueOf(r.getString(6)), value, r.getString(8), r.getDouble(9),
                                r.getInt(10), AlertRule.Severity.valueOf(r.getString(11)),
                                Times.ofMicros(r.getLong(12)), Times.ofMicros(r.getLong(13)),
                                Times.ofMicros(r.getLong(14)))));
                    }
                }
                return out;
            }
        });
    }

    /** Every deployment's rule states. */
    public Map<String, List<AlertEvaluator.State>> states() {
        return sql("read the alert states", () -> {
            try (Connection c = database.connection()) {
                return allStates(c, false);
            }
        });
    }

    /**
     * Deletes the figures of windows that ended before {@code before} (a retention the wiring applies
     * from its periodic tick; the figures table otherwise grows by one row per figure per window).
     * Returns how many were deleted. Rule states and the alert history are kept.
     */
    public int pruneFigures(Instant before) {
        requireNonNull(before, "before is null");
        return transaction("prune figures before " + before,
                c -> update(c, "DELETE FROM monitoring_figures WHERE window_end < ?", Times.toMicros(before)));
    }

    // ---------------------------------------------------------------- detectors

    @Override
    public Optional<Saved> read(String deployment, String detector) {
        return sql("read detector " + detector + " of " + deployment, () -> {
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT state, fed_through, detected FROM monitoring_detector_states"
                         + " WHERE deployment = ? AND detector = ?")) {
                s.setString(1, deployment);
                s.setString(2, detector);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Saved(r.getBytes(1), Times.ofMicros(r.getLong(2)), r.getInt(3) == 1))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void write(String deployment, String detector, Saved saved) {
        requireNonNull(saved, "saved is null");
        sql("write detector " + detector + " of " + deployment, () -> database.inTransaction(c -> {
            update(c, "DELETE FROM monitoring_detector_states WHERE deployment = ? AND detector = ?", deployment, detector);
            update(c, "INSERT INTO monitoring_detector_states (deployment, detector, state, fed_through, detected)"
                    + " VALUES (?, ?, ?, ?, ?)", deployment, detector, saved.state(), Times.toMicros(saved.fedThrough()),
                    saved.detected() ? 1 : 0);
            return null;
        }));
    }

    // ---------------------------------------------------------------- writes, for Alerts

    /** Work in one write transaction, SQL failures as STORE_FAILURE. */
    <T> T transaction(String what, SqlDatabase.Work<T> work) {
        return sql(what, () -> database.inTransaction(work));
    }

    static List<StoredRule> rules(Connection c) throws SQLException {
        List<StoredRule> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, figure, comparison, threshold, for_windows, severity,"
                + " created_by, created_at FROM monitoring_alert_rules ORDER BY id");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(new StoredRule(new AlertRule(r.getString(1), r.getString(2),
                        AlertRule.Comparison.valueOf(r.getString(3)), r.getDouble(4), r.getInt(5),
                        AlertRule.Severity.valueOf(r.getString(6))), r.getString(7), Times.ofMicros(r.getLong(8))));
            }
        }
        return out;
    }

    /**
     * Adds the rule unless its id is taken. One statement decides (the primary key, through ON
     * CONFLICT, which SQLite and PostgreSQL both read), so of two servers adding the same id at once
     * exactly one wins and the other is told the id is taken, not a constraint's failure.
     */
    static boolean insertRule(Connection c, StoredRule stored) throws SQLException {
        AlertRule rule = stored.rule();
        return update(c, "INSERT INTO monitoring_alert_rules (id, figure, comparison, threshold, for_windows, severity,"
                + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", rule.id(),
                rule.figure(), rule.comparison().name(), rule.threshold(), rule.forWindows(), rule.severity().name(),
                stored.createdBy(), Times.toMicros(stored.createdAt())) == 1;
    }

    static boolean deleteRule(Connection c, String id) throws SQLException {
        return update(c, "DELETE FROM monitoring_alert_rules WHERE id = ?", id) > 0;
    }

    /**
     * The deployment's rule states, locked to the end of the transaction on PostgreSQL (SQLite's
     * write transaction holds the database): an advisory lock on the name covers a deployment that
     * has no row yet.
     */
    List<AlertEvaluator.State> lockedStates(Connection c, String deployment) throws SQLException {
        if (database.dialect() == SqlDialect.POSTGRESQL) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                s.setString(1, "seer.monitoring_alerts:" + deployment);
                s.execute();
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT states FROM monitoring_alert_states WHERE deployment = ?")) {
            s.setString(1, deployment);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? AlertEvaluator.decode(r.getBytes(1)) : List.of();
            }
        }
    }

    /** Every deployment's states; {@code lock}: each deployment's lock taken, in name order (no deadlock with an evaluation). */
    Map<String, List<AlertEvaluator.State>> allStates(Connection c, boolean lock) throws SQLException {
        List<String> deployments = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT deployment FROM monitoring_alert_states ORDER BY deployment");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                deployments.add(r.getString(1));
            }
        }
        Map<String, List<AlertEvaluator.State>> out = new TreeMap<>();
        for (String deployment : deployments) {
            if (lock) {
                out.put(deployment, lockedStates(c, deployment));
            } else {
                try (PreparedStatement s = c.prepareStatement("SELECT states FROM monitoring_alert_states WHERE deployment = ?")) {
                    s.setString(1, deployment);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            out.put(deployment, AlertEvaluator.decode(r.getBytes(1)));
                        }
                    }
                }
            }
        }
        return out;
    }

    static void writeStates(Connection c, String deployment, Collection<AlertEvaluator.State> states, Instant now)
            throws SQLException {
        update(c, "DELETE FROM monitoring_alert_states WHERE deployment = ?", deployment);
        update(c, "INSERT INTO monitoring_alert_states (deployment, states, updated_at) VALUES (?, ?, ?)", deployment,
                AlertEvaluator.encode(states), Times.toMicros(now));
    }

    /** Replaces the figures of the windows these figures belong to, so a window evaluated again is not counted twice. */
    static void writeFigures(Connection c, String deployment, List<Figure> figures) throws SQLException {
        for (Figure f : figures) {
            update(c, "DELETE FROM monitoring_figures WHERE deployment = ? AND window_start = ? AND name = ?", deployment,
                    Times.toMicros(f.windowStart()), f.name());
            update(c, "INSERT INTO monitoring_figures (deployment, window_start, window_end, name, value, status)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", deployment, Times.toMicros(f.windowStart()), Times.toMicros(f.windowEnd()),
                    f.name(), f.value(), f.status().name());
        }
    }

    static void writeEvent(Connection c, String deployment, AlertEvaluator.Transition t) throws SQLException {
        update(c, "INSERT INTO monitoring_alert_events (deployment, rule_id, figure, from_phase, to_phase, value, comparison,"
                + " threshold, for_windows, severity, window_start, window_end, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                deployment, t.ruleId(), t.figure(), t.from().name(), t.to().name(), t.value(), t.comparison(), t.threshold(),
                t.forWindows(), t.severity().name(), Times.toMicros(t.windowStart()), Times.toMicros(t.windowEnd()),
                Times.toMicros(t.at()));
    }

    /** Binds values in order; a non-finite double is NULL (SQLite would store NaN as NULL anyway). */
    private static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof Double d && !Double.isFinite(d)) {
                    s.setNull(i + 1, Types.DOUBLE);
                } else {
                    s.setObject(i + 1, values[i]);
                }
            }
            return s.executeUpdate();
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
