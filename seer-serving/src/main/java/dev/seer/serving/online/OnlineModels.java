package dev.seer.serving.online;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.store.SqlDatabase;
import dev.seer.core.store.SqlDialect;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.feedback.LoggedPredictions.Logged;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The online models ({@code online_logistic}) of a home: each one's {@link FtrlProximal} state in
 * the metadata store (its own schema, component {@code online_learning}), learnt from feedback as
 * it is recorded.
 *
 * <p>As feedback's {@link FeedbackStore.Learner}, it is handed every newly recorded outcome inside
 * the transaction that records it. For each online model among the predictions an outcome labels
 * (the answered one first, then its shadows), the state is read (locked on PostgreSQL; SQLite's
 * transaction already holds the write lock), updated once with the values that prediction's model
 * saw (read from the log) and the outcome, and written back in the same transaction. So the state
 * in the store always equals a learner fed exactly the recorded outcomes in the order they were
 * recorded: a duplicate outcome, which feedback does not record again, is never learnt twice; an
 * outcome whose transaction fails is not learnt at all; and a restart, even after SIGKILL, carries
 * on from the state as committed. One outcome updates a model once even when both the answered
 * prediction and a shadow were made by versions of it. Any arm teaches the model: champion and
 * challenger predictions are real traffic, and a shadow online model learns from the traffic it
 * shadows (the way to warm one up before it answers).
 *
 * <p>Which models are online is cached per process, yet servers sharing one metadata store create
 * them apart, so a model another server created must still learn from the feedback this one
 * records. A name is looked up in the table (inside the feedback transaction) the first time this
 * process meets it; the answer is kept. "Online" is kept for good: rows are never removed. "Not
 * online" is kept for {@link #RECHECK}: the name of a logged prediction was in the registry when
 * it was predicted from, the registry never frees a name, and an online model is created only
 * under a name the registry did not have, so a predicted model without a row will not get one;
 * except a creation cut short between registering the model and storing its state (finished by
 * asking again), which the recheck bounds. So feedback on a batch-trained model costs one look-up
 * per name per {@code RECHECK}, not one per outcome.
 *
 * <p>The registry does not see this state: the wiring registers {@link FtrlProximal#snapshot()}s as
 * versions and tells {@link #snapshotted} which, and at how many updates.
 */
public final class OnlineModels implements FeedbackStore.Learner {
    /** The newest migration this code reads and writes. */
    public static final int SCHEMA = 1;
    /** The model kind, as registered models are tagged. */
    public static final String KIND = "online_logistic";

    /**
     * An online model as stored.
     *
     * @param snapshotVersion the registered version made from it last
     * @param snapshotUpdates the updates it had learnt from then
     * @param pendingFrom     when the first outcome after that snapshot was learnt, if any was
     */
    public record State(String model, FtrlProximal learner, long updates, Instant createdAt, String createdBy,
            Optional<Instant> lastLearntAt, int snapshotVersion, long snapshotUpdates, Instant snapshotAt,
            Optional<Instant> pendingFrom) {
        public State {
            requireNonNull(model, "model is null");
            requireNonNull(learner, "learner is null");
            requireNonNull(createdAt, "createdAt is null");
            requireNonNull(createdBy, "createdBy is null");
            requireNonNull(lastLearntAt, "lastLearntAt is null");
            requireNonNull(snapshotAt, "snapshotAt is null");
            requireNonNull(pendingFrom, "pendingFrom is null");
        }

        /** Outcomes learnt from since the last snapshot. */
        public long pending() {
            return updates - snapshotUpdates;
        }
    }

    /** How long a name found not online stays so before it is looked up again (see the class comment). */
    static final Duration RECHECK = Duration.ofMinutes(1);

    private static final String COLUMNS = "model, state, updates, created_at, created_by, last_learnt_at, snapshot_version,"
            + " snapshot_updates, snapshot_at, pending_from";

    private final SqlDatabase database;
    private final LoggedFeatures features;
    private final Clock clock;
    /** The names of online models: rows are never removed, so a name once seen stays true. */
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    /** Names found not online, each with when: looked up again after {@link #RECHECK}. */
    private final Map<String, Instant> notOnline = new ConcurrentHashMap<>();

    public OnlineModels(SqlDatabase database, LoggedFeatures features, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.features = requireNonNull(features, "features is null");
        this.clock = requireNonNull(clock, "clock is null");
        database.migrate("online_learning", SCHEMA);
        names();
    }

    /**
     * Records a new online model whose {@code learner} was registered as {@code version} (its first
     * snapshot). Refuses a name already online.
     */
    public State create(String model, FtrlProximal learner, int version, String actor) {
        requireNonNull(model, "model is null");
        requireNonNull(learner, "learner is null");
        requireNonNull(actor, "actor is null");
        long now = Times.toMicros(clock.instant());
        sql("create online model " + model, () -> database.inTransaction(c -> {
            if (read(c, model, false).isPresent()) {
                throw new SeerException(ServingErrorCode.ONLINE_MODEL_EXISTS, "Online model [" + model + "] already exists",
                        Map.of("model", model));
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO online_models (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL)")) {
                s.setString(1, model);
                s.setString(2, encode(learner));
                s.setLong(3, learner.updates());
                s.setLong(4, now);
                s.setString(5, actor);
                s.setInt(6, version);
                s.setLong(7, learner.updates());
                s.setLong(8, now);
                s.executeUpdate();
            }
            return null;
        }));
        names.add(model);
        notOnline.remove(model);
        return state(model);
    }

    /** Whether {@code model} is online, here or created by another server on the same store. */
    public boolean isOnline(String model) {
        if (names.contains(model)) {
            return true;
        }
        boolean stored = sql("look up online model " + model, () -> {
            try (Connection c = database.connection()) {
                return !lookUp(c, Set.of(model)).isEmpty();
            }
        });
        if (stored) {
            names.add(model);
        }
        return stored;
    }

    /** Every online model's name, sorted, as stored now (with those other servers created). */
    public List<String> names() {
        List<String> all = sql("list online models", () -> {
            List<String> stored = new ArrayList<>();
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT model FROM online_models ORDER BY model");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    stored.add(r.getString(1));
                }
            }
            return stored;
        });
        names.addAll(all);
        return all;
    }

    /** The model as committed now. */
    public State state(String model) {
        return sql("read online model " + model, () -> {
            try (Connection c = database.connection()) {
                return read(c, model, false);
            }
        }).orElseThrow(() -> new SeerException(ServingErrorCode.UNKNOWN_ONLINE_MODEL, "No online model named [" + model
                + "]; create one with: seer models create-online", Map.of("model", model)));
    }

    /**
     * Records that {@code version} was registered from the state at {@code updates} updates (what
     * {@link #state} gave). Outcomes learnt meanwhile stay pending, counted from the last one's time.
     */
    public void snapshotted(String model, int version, long updates) {
        long now = Times.toMicros(clock.instant());
        sql("record a snapshot of online model " + model, () -> database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE online_models SET snapshot_version = ?,"
                    + " snapshot_updates = ?, snapshot_at = ?, pending_from = CASE WHEN updates > ? THEN last_learnt_at"
                    + " ELSE NULL END WHERE model = ? AND snapshot_version < ?")) {
                s.setInt(1, version);
                s.setLong(2, updates);
                s.setLong(3, now);
                s.setLong(4, updates);
                s.setString(5, model);
                s.setInt(6, version);
                s.executeUpdate();
            }
            return null;
        }));
    }

    @Override
    public void learn(Connection c, List<FeedbackStore.Labelled> labelled) throws SQLException {
        // every model's state row locked first, in name order: two transactions that teach the same models lock them in
        // the same order, so they wait for each other instead of deadlocking (PostgreSQL would abort one)
        TreeSet<String> models = new TreeSet<>();
        Set<String> unknown = new HashSet<>();
        Instant now = clock.instant();
        for (FeedbackStore.Labelled outcome : labelled) {
            for (Logged prediction : outcome.predictions()) {
                String model = prediction.model();
                if (names.contains(model)) {
                    models.add(model);
                } else if (!notOnline.getOrDefault(model, Instant.MIN).isAfter(now.minus(RECHECK))) {
                    unknown.add(model);
                }
            }
        }
        if (!unknown.isEmpty()) {
            // in this transaction: a row committed before it began (a creation on another server) is seen
            Set<String> found = lookUp(c, unknown);
            for (String model : unknown) {
                if (found.contains(model)) {
                    names.add(model);
                    notOnline.remove(model);
                    models.add(model);
                } else {
                    notOnline.put(model, now);
                }
            }
        }
        Map<String, State> touched = new LinkedHashMap<>();
        for (String model : models) {
            touched.put(model, read(c, model, true).orElseThrow()); // each one was stored, and rows are never removed
        }
        for (FeedbackStore.Labelled outcome : labelled) {
            Set<String> learnt = new LinkedHashSet<>();
            for (Logged prediction : outcome.predictions()) {
                if (models.contains(prediction.model()) && learnt.add(prediction.model())) {
                    State state = touched.get(prediction.model());
                    learnFrom(state, prediction, outcome.outcome());
                    touched.put(prediction.model(), next(state, outcome.recordedAt()));
                }
            }
        }
        for (State state : touched.values()) {
            write(c, state);
        }
    }

    /** Which of {@code models} have a row. */
    private static Set<String> lookUp(Connection c, Set<String> models) throws SQLException {
        String marks = String.join(", ", Collections.nCopies(models.size(), "?"));
        try (PreparedStatement s = c.prepareStatement("SELECT model FROM online_models WHERE model IN (" + marks + ")")) {
            int i = 1;
            for (String model : models) {
                s.setString(i++, model);
            }
            Set<String> found = new HashSet<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(r.getString(1));
                }
            }
            return found;
        }
    }

    private void learnFrom(State state, Logged prediction, double outcome) {
        Map<String, Double> values = features.of(prediction.id()).orElseThrow(() -> new SeerException(
                ServingErrorCode.STORE_FAILURE, "Prediction [" + prediction.id() + "] was joined to feedback but its values"
                + " cannot be read from the log", Map.of("prediction_id", prediction.id())));
        List<String> inputs = state.learner().features();
        double[] row = new double[inputs.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = values.getOrDefault(inputs.get(i), Double.NaN);
        }
        state.learner().update(row, outcome);
    }

    private static State next(State s, Instant at) {
        return new State(s.model(), s.learner(), s.learner().updates(), s.createdAt(), s.createdBy(), Optional.of(at),
                s.snapshotVersion(), s.snapshotUpdates(), s.snapshotAt(), s.pendingFrom().or(() -> Optional.of(at)));
    }

    private Optional<State> read(Connection c, String model, boolean forUpdate) throws SQLException {
        String lock = forUpdate && database.dialect() == SqlDialect.POSTGRESQL ? " FOR UPDATE" : "";
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM online_models WHERE model = ?" + lock)) {
            s.setString(1, model);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new State(r.getString(1), FtrlProximal.restore(Base64.getDecoder().decode(r.getString(2))),
                        r.getLong(3), Times.ofMicros(r.getLong(4)), r.getString(5), instant(r, 6), r.getInt(7), r.getLong(8),
                        Times.ofMicros(r.getLong(9)), instant(r, 10)));
            }
        }
    }

    private static void write(Connection c, State state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE online_models SET state = ?, updates = ?, last_learnt_at = ?,"
                + " pending_from = ? WHERE model = ?")) {
            s.setString(1, encode(state.learner()));
            s.setLong(2, state.updates());
            s.setLong(3, Times.toMicros(state.lastLearntAt().orElseThrow()));
            s.setLong(4, Times.toMicros(state.pendingFrom().orElseThrow()));
            s.setString(5, state.model());
            s.executeUpdate();
        }
    }

    private static Optional<Instant> instant(ResultSet r, int column) throws SQLException {
        long micros = r.getLong(column);
        return r.wasNull() ? Optional.empty() : Optional.of(Times.ofMicros(micros));
    }

    private static String encode(FtrlProximal learner) {
        return Base64.getEncoder().encodeToString(learner.save());
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(String what, SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new SeerException(ServingErrorCode.STORE_FAILURE, "Could not " + what + ": " + e.getMessage(), Map.of(), e);
        }
    }
}
