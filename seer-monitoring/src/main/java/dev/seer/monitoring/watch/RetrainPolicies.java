package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.store.SqlDatabase;
import dev.seer.monitoring.MonitoringErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The retraining policies (one per deployment, replaced as a whole by {@link #put}) and the runs
 * they made, in the metadata store's tables of schema {@value #COMPONENT}. The runs are what a
 * restart needs: the last one's start is where a schedule and a cooldown count from.
 */
public final class RetrainPolicies {
    static final String COMPONENT = "monitoring_retraining";
    static final int SCHEMA = 1;

    private static final String POLICY_COLUMNS = "deployment, triggers, every_seconds, lookback_seconds, action,"
            + " challenger_percent, min_rows, cooldown_seconds, set_at, set_by";
    private static final String RUN_COLUMNS = "id, deployment, trigger_name, started_at, finished_at, status, dataset,"
            + " run_id, model_version, gate_passed, outcome, error";

    /** A policy with who set it and when: a schedule's first run is due one period after it was set. */
    public record Stored(RetrainPolicy policy, Instant setAt, String setBy) {}

    private final SqlDatabase database;
    private final Clock clock;

    public RetrainPolicies(SqlDatabase database, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        database.migrate(COMPONENT, SCHEMA);
    }

    /** Sets the deployment's policy, replacing the one it had. */
    public Stored put(RetrainPolicy policy, String actor) {
        requireNonNull(policy, "policy is null");
        requireNonNull(actor, "actor is null");
        Instant now = clock.instant();
        sql("store the retraining policy of " + policy.deployment(), () -> database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM retraining_policies WHERE deployment = ?")) {
                s.setString(1, policy.deployment());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO retraining_policies (" + POLICY_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, policy.deployment());
                s.setString(2, String.join(",", policy.triggers()));
                if (policy.every().isPresent()) {
                    s.setLong(3, policy.every().get().toSeconds());
                } else {
                    s.setNull(3, Types.BIGINT);
                }
                s.setLong(4, policy.lookback().toSeconds());
                s.setString(5, policy.action().id());
                s.setInt(6, policy.challengerPercent());
                s.setInt(7, policy.minRows());
                s.setLong(8, policy.cooldown().toSeconds());
                s.setLong(9, Times.toMicros(now));
                s.setString(10, actor);
                s.executeUpdate();
            }
            return null;
        }));
        return get(policy.deployment()).orElseThrow();
    }

    /** The deployment's policy, if it has one. */
    public Optional<Stored> get(String deployment) {
        List<Stored> found = policies("WHERE deployment = ?", deployment);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every policy, by deployment. */
    public List<Stored> list() {
        return policies("", null);
    }

    /** Removes the deployment's policy (its runs stay, as the record of what was done); whether it had one. */
    public boolean remove(String deployment) {
        return sql("remove the retraining policy of " + deployment, () -> database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM retraining_policies WHERE deployment = ?")) {
                s.setString(1, deployment);
                return s.executeUpdate() > 0;
            }
        }));
    }

    /**
     * The policies with a schedule whose next run is due at {@code now}: one period after the last
     * run started or after the policy was set, whichever is later.
     */
    public List<RetrainPolicy> due(Instant now) {
        List<RetrainPolicy> due = new ArrayList<>();
        for (Stored stored : list()) {
            Optional<Duration> every = stored.policy().every();
            if (every.isEmpty()) {
                continue;
            }
            // a policy set (or changed) now first runs one period later, whatever ran before it
            Instant from = last(stored.policy().deployment()).map(RetrainRun::started).filter(s -> s.isAfter(stored.setAt()))
                    .orElse(stored.setAt());
            if (!from.plus(every.get()).isAfter(now)) {
                due.add(stored.policy());
            }
        }
        return due;
    }

    /** Whether a run of the deployment started less than its policy's cooldown before {@code now}. */
    public boolean coolingDown(RetrainPolicy policy, Instant now) {
        return last(policy.deployment()).filter(r -> r.started().plus(policy.cooldown()).isAfter(now)).isPresent();
    }

    /** Records a run as it is now: inserted the first time, replaced after. */
    public void record(RetrainRun run) {
        requireNonNull(run, "run is null");
        sql("record retraining run " + run.id(), () -> database.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM retraining_runs WHERE id = ?")) {
                s.setString(1, run.id());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO retraining_runs (" + RUN_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, run.id());
                s.setString(2, run.deployment());
                s.setString(3, run.trigger());
                s.setLong(4, Times.toMicros(run.started()));
                if (run.finished().isPresent()) {
                    s.setLong(5, Times.toMicros(run.finished().get()));
                } else {
                    s.setNull(5, Types.BIGINT);
                }
                s.setString(6, run.status().id());
                s.setString(7, run.dataset().orElse(null));
                s.setString(8, run.runId().orElse(null));
                s.setString(9, run.modelVersion().orElse(null));
                if (run.gatePassed().isPresent()) {
                    s.setInt(10, run.gatePassed().get() ? 1 : 0);
                } else {
                    s.setNull(10, Types.INTEGER);
                }
                s.setString(11, run.outcome());
                s.setString(12, run.error());
                s.executeUpdate();
            }
            return null;
        }));
    }

    /** The deployment's runs, the latest first, at most {@code limit}. */
    public List<RetrainRun> runs(String deployment, int limit) {
        if (limit < 1) {
            throw RetrainPolicy.invalid("limit", "must be at least 1, not [" + limit + "]");
        }
        return sql("read the retraining runs of " + deployment, () -> {
            List<RetrainRun> runs = new ArrayList<>();
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM retraining_runs"
                         + " WHERE deployment = ? ORDER BY started_at DESC, id DESC LIMIT ?")) {
                s.setString(1, deployment);
                s.setInt(2, limit);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        runs.add(run(r));
                    }
                }
            }
            return runs;
        });
    }

    /** The deployment's latest run, if it ever ran. */
    public Optional<RetrainRun> last(String deployment) {
        return runs(deployment, 1).stream().findFirst();
    }

    private List<Stored> policies(String where, String deployment) {
        return sql("read retraining policies", () -> {
            List<Stored> found = new ArrayList<>();
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT " + POLICY_COLUMNS + " FROM retraining_policies " + where
                         + " ORDER BY deployment")) {
                if (deployment != null) {
                    s.setString(1, deployment);
                }
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(policy(r));
                    }
                }
            }
            return found;
        });
    }

    private static Stored policy(ResultSet r) throws SQLException {
        String triggers = r.getString(2);
        long every = r.getLong(3);
        Optional<Duration> schedule = r.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(every));
        RetrainPolicy policy = new RetrainPolicy(r.getString(1), triggers.isEmpty() ? Set.of()
                : Set.copyOf(Arrays.asList(triggers.split(","))), schedule, Duration.ofSeconds(r.getLong(4)),
                RetrainPolicy.Action.parse(r.getString(5), "action"), r.getInt(6), r.getInt(7),
                Duration.ofSeconds(r.getLong(8)));
        return new Stored(policy, Times.ofMicros(r.getLong(9)), r.getString(10));
    }

    private static RetrainRun run(ResultSet r) throws SQLException {
        long finished = r.getLong(5);
        Optional<Instant> finishedAt = r.wasNull() ? Optional.empty() : Optional.of(Times.ofMicros(finished));
        int gate = r.getInt(10);
        Optional<Boolean> passed = r.wasNull() ? Optional.empty() : Optional.of(gate == 1);
        return new RetrainRun(r.getString(1), r.getString(2), r.getString(3), Times.ofMicros(r.getLong(4)), finishedAt,
                RetrainRun.Status.valueOf(r.getString(6).toUpperCase(Locale.ROOT)),
                Optional.ofNullable(r.getString(7)), Optional.ofNullable(r.getString(8)),
                Optional.ofNullable(r.getString(9)), passed, r.getString(11), r.getString(12));
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
