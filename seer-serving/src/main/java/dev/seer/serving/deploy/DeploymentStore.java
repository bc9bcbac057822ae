package dev.seer.serving.deploy;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.store.SqlDatabase;
import dev.seer.core.store.SqlDialect;
import dev.seer.serving.ServingErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deployments in the metadata store (their own schema, component {@code deployments}). Each change
 * is one transaction that writes the whole new form and a revision row, then one audit entry
 * ({@code deployment.changed}, {@code deployment.removed}) waited for; a change names the revision
 * it replaces, so two operators changing one deployment at once cannot overwrite each other
 * unseen (the second gets a conflict).
 */
public final class DeploymentStore {
    /** The newest migration this code reads and writes. */
    public static final int SCHEMA = 1;

    /** A change: everything but the revision and who made it when. */
    public record Change(String name, ModelRef champion, Optional<ModelRef> challenger, int challengerPercent,
            Optional<ModelRef> shadow, MissingPolicy missing, MissingPolicy whenStoreDown, Optional<StreamBinding> stream) {
        /** A change to a deployment that scores no stream. */
        public Change(String name, ModelRef champion, Optional<ModelRef> challenger, int challengerPercent,
                Optional<ModelRef> shadow, MissingPolicy missing, MissingPolicy whenStoreDown) {
            this(name, champion, challenger, challengerPercent, shadow, missing, whenStoreDown, Optional.empty());
        }
    }

    private final SqlDatabase database;
    private final AuditSink audit;
    private final Clock clock;

    public DeploymentStore(SqlDatabase database, AuditSink audit, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        database.migrate("deployments", SCHEMA);
    }

    /**
     * Creates or replaces a deployment as a whole.
     *
     * @param expectedRevision the current revision this change replaces (0: it must not exist now); empty: whatever is there
     */
    public Deployment put(Change change, Optional<Long> expectedRevision, String actor) {
        Instant now = clock.instant();
        Deployment written = sql("deploy " + change.name(), () -> database.inTransaction(c -> {
            Revisions revisions = revisions(c, change.name());
            long current = revisions.current();
            if (expectedRevision.isPresent() && expectedRevision.get() != current) {
                throw new SeerException(ServingErrorCode.DEPLOYMENT_CONFLICT, "Deployment [" + change.name() + "] is at revision "
                        + current + ", not " + expectedRevision.get() + ": it changed meanwhile; read it again",
                        Map.of("deployment", change.name(), "revision", current));
            }
            Deployment d = new Deployment(change.name(), change.champion(), change.challenger(), change.challengerPercent(),
                    change.shadow(), change.missing(), change.whenStoreDown(), revisions.last() + 1, now, actor, change.stream());
            String spec = Json.write(Deployment.CODEC.encode(d));
            writeRevision(c, d.name(), d.revision(), spec, now, actor);
            if (current == 0) {
                update(c, "INSERT INTO deployments (name, revision, spec) VALUES (?, ?, ?)", d.name(), d.revision(), spec);
            } else {
                update(c, "UPDATE deployments SET revision = ?, spec = ? WHERE name = ?", d.revision(), spec, d.name());
            }
            return d;
        }));
        audit.record(new AuditRecord(actor, "deployment.changed", "deployment", written.name(),
                Deployment.CODEC.encode(written))).join();
        return written;
    }

    /** Removes a deployment; its revisions stay, ending with a removal. */
    public void remove(String name, String actor) {
        Instant now = clock.instant();
        long removed = sql("remove deployment " + name, () -> database.inTransaction(c -> {
            Revisions revisions = revisions(c, name);
            if (revisions.current() == 0) {
                throw unknown(name);
            }
            writeRevision(c, name, revisions.last() + 1, null, now, actor);
            update(c, "DELETE FROM deployments WHERE name = ?", name);
            return revisions.last() + 1;
        }));
        audit.record(new AuditRecord(actor, "deployment.removed", "deployment", name,
                Json.object().put("revision", removed))).join();
    }

    public Deployment get(String name) {
        return find(name).orElseThrow(() -> unknown(name));
    }

    public Optional<Deployment> find(String name) {
        Deployment.checkName(name);
        return sql("read deployment " + name, () -> {
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT spec FROM deployments WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(Deployment.CODEC.decode(Json.parse(r.getString(1)))) : Optional.empty();
                }
            }
        });
    }

    /** Every current deployment, by name. */
    public List<Deployment> list() {
        return sql("list deployments", () -> {
            List<Deployment> all = new ArrayList<>();
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT spec FROM deployments ORDER BY name");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    all.add(Deployment.CODEC.decode(Json.parse(r.getString(1))));
                }
            }
            return all;
        });
    }

    /** The deployment as it stood at {@code at}: empty if it did not exist then (or had been removed). */
    public Optional<Deployment> at(String name, Instant at) {
        Deployment.checkName(name);
        return sql("read deployment " + name + " at " + at, () -> {
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT spec FROM deployment_revisions WHERE name = ? AND changed_at <= ?"
                         + " ORDER BY revision DESC LIMIT 1")) {
                s.setString(1, name);
                s.setLong(2, at.toEpochMilli());
                try (ResultSet r = s.executeQuery()) {
                    return r.next() && r.getString(1) != null ? Optional.of(Deployment.CODEC.decode(Json.parse(r.getString(1))))
                            : Optional.empty();
                }
            }
        });
    }

    /** Every revision of a deployment, oldest first; a removal is an empty form. */
    public List<Optional<Deployment>> history(String name) {
        Deployment.checkName(name);
        return sql("read the history of deployment " + name, () -> {
            List<Optional<Deployment>> all = new ArrayList<>();
            try (Connection c = database.connection();
                 PreparedStatement s = c.prepareStatement("SELECT spec FROM deployment_revisions WHERE name = ? ORDER BY revision")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String spec = r.getString(1);
                        all.add(spec == null ? Optional.empty() : Optional.of(Deployment.CODEC.decode(Json.parse(spec))));
                    }
                }
            }
            if (all.isEmpty()) {
                throw unknown(name);
            }
            return all;
        });
    }

    /** Where a deployment's numbering stands: its current revision (0 if it does not exist now) and the last one written. */
    private record Revisions(long current, long last) {}

    /**
     * Reads {@code name}'s revisions under a write lock held to the end of the transaction: SQLite's
     * transaction already holds the database's; on PostgreSQL a row lock cannot cover a deployment
     * that does not exist yet, so a transaction-scoped advisory lock on the name serialises its writers.
     */
    private Revisions revisions(Connection c, String name) throws SQLException {
        if (database.dialect() == SqlDialect.POSTGRESQL) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                s.setString(1, "seer.deployment:" + name);
                s.execute();
            }
        }
        long current = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT revision FROM deployments WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                current = r.next() ? r.getLong(1) : 0;
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(revision) FROM deployment_revisions WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return new Revisions(current, r.next() ? r.getLong(1) : 0);
            }
        }
    }

    private static void writeRevision(Connection c, String name, long revision, String spec, Instant at, String actor)
            throws SQLException {
        update(c, "INSERT INTO deployment_revisions (name, revision, spec, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)",
                name, revision, spec, at.toEpochMilli(), actor);
    }

    private static void update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }

    static SeerException unknown(String name) {
        return new SeerException(ServingErrorCode.UNKNOWN_DEPLOYMENT, "No deployment named [" + name + "]",
                Map.of("deployment", name));
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
