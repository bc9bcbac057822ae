package dev.seer.registry.tracking;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.store.SqlDatabase;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.RegistrySchema;
import dev.seer.registry.RegistrySql;
import dev.seer.registry.search.RunSearch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Experiment tracking in the metadata store: experiments, runs with their lifecycle, parameters
 * (written once), tags, metrics with their whole history and the latest value per key (which
 * search filters and orders on), parent and child runs, and provenance. Each change is one
 * transaction and then one audit entry, written before the call returns.
 *
 * <p>MLflow's conventions are kept where its clients rely on them: ids (decimal experiment ids,
 * {@code "0"} the Default experiment; 32-hex run ids), times in epoch milliseconds, the run name
 * mirrored in the {@code mlflow.runName} tag and the parent in {@code mlflow.parentRunId}, and
 * logging refused only on a deleted run.
 */
public final class TrackingStore {
    public static final String DEFAULT_EXPERIMENT = "0";
    public static final String RUN_NAME_TAG = "mlflow.runName";
    public static final String PARENT_TAG = "mlflow.parentRunId";
    /** MLflow's limits on one log-batch call. */
    static final int MAX_BATCH_METRICS = 1000;
    static final int MAX_BATCH_PARAMS = 100;
    static final int MAX_BATCH_TAGS = 100;

    private final SqlDatabase database;
    private final AuditSink audit;
    private final Clock clock;

    public TrackingStore(SqlDatabase database, AuditSink audit, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        RegistrySchema.migrate(database);
        write("Creating the Default experiment", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO experiments (experiment_id, name, artifact_location,"
                    + " lifecycle_stage, creation_time, last_update_time) VALUES (0, 'Default', ?, 'active', ?, ?)"
                    + " ON CONFLICT DO NOTHING")) {
                long now = clock.millis();
                s.setString(1, artifactLocation(DEFAULT_EXPERIMENT));
                s.setLong(2, now);
                s.setLong(3, now);
                return s.executeUpdate();
            }
        });
    }

    /** A new run: in an experiment, optionally named, started now unless given, with tags, a parent and provenance. */
    public record NewRun(String experimentId, Optional<String> name, String userId, Optional<Instant> started,
            Map<String, String> tags, Optional<String> parentId, Optional<RunProvenance> provenance) {
        public NewRun {
            requireNonNull(experimentId, "experimentId is null");
            requireNonNull(name, "name is null");
            requireNonNull(userId, "userId is null");
            requireNonNull(started, "started is null");
            tags = Map.copyOf(tags);
            requireNonNull(parentId, "parentId is null");
            requireNonNull(provenance, "provenance is null");
        }
    }

    /** What to log to a run in one call: metrics (any number of points), parameters and tags. */
    public record Batch(List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
        public Batch {
            metrics = List.copyOf(metrics);
            params = new LinkedHashMap<>(params);
            tags = new LinkedHashMap<>(tags);
        }
    }

    public Experiment createExperiment(String name, Optional<String> artifactLocation, Map<String, String> tags,
            String actor) {
        Names.name(name, "Experiment");
        tags.forEach((k, v) -> Names.value(v, Names.MAX_TAG_VALUE, "Tag " + Names.key(k, "Tag")));
        String id = write("Creating experiment [" + name + "]", c -> {
            if (experimentId(c, name).isPresent()) {
                throw new SeerException(RegistryErrorCode.ALREADY_EXISTS, "Experiment [" + name + "] already exists",
                        Map.of("experiment", name));
            }
            long next;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(experiment_id), 0) + 1 FROM experiments");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                next = rs.getLong(1);
            }
            long now = clock.millis();
            Rows.update(c, "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time,"
                    + " last_update_time) VALUES (?, ?, ?, 'active', ?, ?)", next, name,
                    artifactLocation.orElse(artifactLocation(Long.toString(next))), now, now);
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                Rows.update(c, "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)", next, tag.getKey(),
                        tag.getValue());
            }
            return Long.toString(next);
        });
        audited(actor, "experiment.created", "experiment", id, Json.object().put("name", name));
        return experiment(id);
    }

    public Experiment experiment(String id) {
        long key = experimentKey(id);
        return read("Reading experiment " + id, c -> Rows.experiments(c, "WHERE experiment_id = ?", key)).stream()
                .findFirst().orElseThrow(() -> notFound("Experiment [" + id + "] does not exist", "experiment", id));
    }

    public Optional<Experiment> experimentByName(String name) {
        return read("Reading experiment [" + name + "]", c -> Rows.experiments(c, "WHERE name = ?", name)).stream()
                .findFirst();
    }

    /** Sets tag {@code key} of an experiment (replacing its value), as MLflow's {@code set-experiment-tag}; not on a deleted one. */
    public void setExperimentTag(String experimentId, String key, String value, String actor) {
        Names.value(value, Names.MAX_TAG_VALUE, "Tag " + Names.key(key, "Tag"));
        Experiment experiment = experiment(experimentId);
        if (experiment.lifecycle() == Lifecycle.DELETED) {
            throw new SeerException(RegistryErrorCode.INVALID_STATE, "Experiment [" + experiment.name() + "] is deleted;"
                    + " restore it before changing it", Map.of("experiment", experiment.id()));
        }
        long id = experimentKey(experimentId);
        write("Setting tag [" + key + "] of experiment " + experimentId, c -> {
            Rows.update(c, "DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", id, key);
            return Rows.update(c, "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)", id, key, value);
        });
        audited(actor, "experiment.tag_set", "experiment", experimentId, Json.object().put("key", key));
    }

    /** Every experiment, active ones only unless {@code withDeleted}, by id. */
    public List<Experiment> experiments(boolean withDeleted) {
        return read("Listing experiments", c -> Rows.experiments(c, withDeleted ? "" : "WHERE lifecycle_stage = 'active'"));
    }

    public Run createRun(NewRun request, String actor) {
        Experiment experiment = experiment(request.experimentId());
        if (experiment.lifecycle() == Lifecycle.DELETED) {
            throw new SeerException(RegistryErrorCode.INVALID_STATE, "Experiment [" + experiment.name() + "] is deleted;"
                    + " restore it before starting runs in it", Map.of("experiment", experiment.id()));
        }
        request.tags().forEach((k, v) -> Names.value(v, Names.MAX_TAG_VALUE, "Tag " + Names.key(k, "Tag")));
        String id = UUID.randomUUID().toString().replace("-", "");
        String name = request.name().or(() -> Optional.ofNullable(request.tags().get(RUN_NAME_TAG)))
                .filter(n -> !n.isBlank()).orElse("run-" + id.substring(0, 8));
        Optional<String> parent = request.parentId().or(() -> Optional.ofNullable(request.tags().get(PARENT_TAG)));
        Map<String, String> tags = new LinkedHashMap<>(request.tags());
        tags.put(RUN_NAME_TAG, name);
        parent.ifPresent(p -> tags.put(PARENT_TAG, p));
        Instant started = request.started().orElse(clock.instant());
        write("Creating a run in experiment " + experiment.id(), c -> {
            parent.ifPresent(p -> requireRun(c, p));
            Rows.update(c, "INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time,"
                    + " lifecycle_stage, artifact_uri, parent_run_id, provenance) VALUES (?, ?, ?, ?, 'RUNNING', ?, NULL,"
                    + " 'active', ?, ?, ?)", id, Long.parseLong(experiment.id()), name, request.userId(),
                    started.toEpochMilli(), artifactLocation(experiment.id()) + "/" + id + "/artifacts", parent.orElse(null),
                    request.provenance().map(p -> Json.write(RunProvenance.CODEC.encode(p))).orElse(null));
            Rows.upsertTags(c, id, tags);
            return null;
        });
        audited(actor, "run.created", "run", id, Json.object().put("experiment_id", experiment.id()).put("name", name)
                .put("parent_run_id", parent.orElse(null)));
        return run(id);
    }

    public Run run(String id) {
        List<Run> runs = runs(List.of(id));
        if (runs.isEmpty()) {
            throw notFound("Run [" + id + "] does not exist", "run", id);
        }
        return runs.get(0);
    }

    /** The runs with these ids, in this order; ids that do not exist are left out. */
    public List<Run> runs(List<String> ids) {
        return read("Reading runs", c -> Rows.runs(c, ids));
    }

    /** A page of runs a search found, in its order, and the token of the next page if there is one. */
    public record RunPage(List<Run> runs, Optional<String> nextPageToken) {
        public RunPage {
            runs = List.copyOf(runs);
            requireNonNull(nextPageToken, "nextPageToken is null");
        }
    }

    /** Runs the search and reads the runs of its page. */
    public RunPage search(RunSearch search) {
        RunSearch.RunPage page = search.execute(database);
        return new RunPage(runs(page.runIds()), page.nextPageToken());
    }

    /** Sets a run's status (an end time comes with a terminal one, now unless given) or its name. */
    public Run updateRun(String id, Optional<RunStatus> status, Optional<Instant> ended, Optional<String> name,
            String actor) {
        name.ifPresent(n -> Names.name(n, "Run"));
        write("Updating run " + id, c -> {
            requireActive(c, id);
            if (status.isPresent()) {
                // boxed on both sides: a conditional of long and Long would unbox the null of a running run
                Long end = status.get().terminal() ? Long.valueOf(ended.orElse(clock.instant()).toEpochMilli())
                        : ended.map(Instant::toEpochMilli).orElse(null);
                Rows.update(c, "UPDATE runs SET status = ?, end_time = ? WHERE run_id = ?", status.get().name(), end, id);
            }
            if (name.isPresent()) {
                Rows.update(c, "UPDATE runs SET run_name = ? WHERE run_id = ?", name.get(), id);
                Rows.upsertTags(c, id, Map.of(RUN_NAME_TAG, name.get()));
            }
            return null;
        });
        ObjectNode payload = Json.object();
        status.ifPresent(s -> payload.put("status", s.name()));
        name.ifPresent(n -> payload.put("name", n));
        audited(actor, "run.updated", "run", id, payload);
        return run(id);
    }

    /**
     * Logs metrics, parameters and tags to a run in one transaction. A parameter is written once:
     * the same value again is accepted, another value is refused (and nothing of the batch is kept).
     */
    public void logBatch(String runId, Batch batch, String actor) {
        check(batch);
        write("Logging to run " + runId, c -> {
            requireActive(c, runId);
            Rows.insertParams(c, runId, batch.params());
            if (batch.tags().containsKey(PARENT_TAG)) {
                requireRun(c, batch.tags().get(PARENT_TAG));
                Rows.update(c, "UPDATE runs SET parent_run_id = ? WHERE run_id = ?", batch.tags().get(PARENT_TAG), runId);
            }
            if (batch.tags().containsKey(RUN_NAME_TAG)) {
                Rows.update(c, "UPDATE runs SET run_name = ? WHERE run_id = ?", batch.tags().get(RUN_NAME_TAG), runId);
            }
            Rows.upsertTags(c, runId, batch.tags());
            Rows.insertMetrics(c, runId, batch.metrics());
            return null;
        });
        ObjectNode payload = Json.object().put("metrics", batch.metrics().size());
        batch.params().keySet().forEach(payload.putArray("params")::add);
        batch.tags().keySet().forEach(payload.putArray("tags")::add);
        audited(actor, "run.logged", "run", runId, payload);
    }

    public void deleteTag(String runId, String key, String actor) {
        int removed = write("Deleting tag [" + key + "] of run " + runId, c -> {
            requireActive(c, runId);
            return Rows.update(c, "DELETE FROM tags WHERE run_id = ? AND key = ?", runId, key);
        });
        if (removed == 0) {
            throw notFound("Run " + runId + " has no tag [" + key + "]", "tag", key);
        }
        audited(actor, "run.tag_deleted", "run", runId, Json.object().put("key", key));
    }

    /** Every logged value of {@code key} for a run, by step then time. */
    public List<Metric> metricHistory(String runId, String key) {
        Names.key(key, "Metric"); // no metric can have a key that could not be logged
        return read("Reading metric [" + key + "] of run " + runId, c -> {
            requireRun(c, runId);
            return Rows.history(c, runId, key);
        });
    }

    /** Marks a run deleted (kept, restorable) or active again. */
    public void setLifecycle(String runId, Lifecycle lifecycle, String actor) {
        write("Changing run " + runId, c -> {
            requireRun(c, runId);
            return Rows.update(c, "UPDATE runs SET lifecycle_stage = ? WHERE run_id = ?", lifecycle.id(), runId);
        });
        audited(actor, lifecycle == Lifecycle.DELETED ? "run.deleted" : "run.restored", "run", runId, Json.object());
    }

    private static void check(Batch batch) {
        if (batch.metrics().size() > MAX_BATCH_METRICS || batch.params().size() > MAX_BATCH_PARAMS
                || batch.tags().size() > MAX_BATCH_TAGS) {
            throw Names.invalid("A batch holds at most " + MAX_BATCH_METRICS + " metrics, " + MAX_BATCH_PARAMS
                    + " parameters and " + MAX_BATCH_TAGS + " tags, not " + batch.metrics().size() + ", "
                    + batch.params().size() + " and " + batch.tags().size(), "batch");
        }
        batch.metrics().forEach(m -> Names.key(m.key(), "Metric"));
        batch.params().forEach((k, v) -> Names.value(v, Names.MAX_PARAM_VALUE, "Parameter " + Names.key(k, "Parameter")));
        batch.tags().forEach((k, v) -> Names.value(v, Names.MAX_TAG_VALUE, "Tag " + Names.key(k, "Tag")));
    }

    /** Refuses logging to a deleted run, and to one that does not exist. */
    private static void requireActive(Connection c, String runId) throws SQLException {
        if (Rows.lifecycle(c, runId).orElseThrow(() -> notFound("Run [" + runId + "] does not exist", "run", runId))
                == Lifecycle.DELETED) {
            throw new SeerException(RegistryErrorCode.INVALID_STATE, "Run [" + runId + "] is deleted; restore it before"
                    + " changing it", Map.of("run", runId));
        }
    }

    private static void requireRun(Connection c, String runId) {
        try {
            if (Rows.lifecycle(c, runId).isEmpty()) {
                throw notFound("Run [" + runId + "] does not exist", "run", runId);
            }
        } catch (SQLException e) {
            throw failure("Reading run " + runId, e);
        }
    }

    private static Optional<Long> experimentId(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT experiment_id FROM experiments WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Experiment ids are decimal; anything else names no experiment. */
    private static long experimentKey(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw notFound("Experiment [" + id + "] does not exist: experiment ids are numbers", "experiment", id);
        }
    }

    /** Artifacts of experiment {@code id} go through the server's proxy, as MLflow's tracking server serves them. */
    static String artifactLocation(String experimentId) {
        return "mlflow-artifacts:/" + experimentId;
    }

    private void audited(String actor, String action, String kind, String id, ObjectNode payload) {
        audit.record(new AuditRecord(actor, action, kind, id, payload)).join();
    }

    private <T> T write(String what, SqlDatabase.Work<T> work) {
        return RegistrySql.write(database, what, work);
    }

    private <T> T read(String what, SqlDatabase.Work<T> work) {
        return RegistrySql.read(database, what, work);
    }

    static SeerException notFound(String message, String kind, String id) {
        return new SeerException(RegistryErrorCode.NOT_FOUND, message, Map.of(kind, id));
    }

    static SeerException failure(String what, SQLException e) {
        return RegistrySql.failure(what, e);
    }
}
