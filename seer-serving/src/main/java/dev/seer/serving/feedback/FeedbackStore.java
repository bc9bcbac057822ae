package dev.seer.serving.feedback;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;
import dev.seer.core.Ids;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.store.SqlDatabase;
import dev.seer.models.OutputKind;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.feedback.Feedback.ByEntity;
import dev.seer.serving.feedback.Feedback.ById;
import dev.seer.serving.feedback.LoggedPredictions.Logged;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Feedback joined to the predictions it labels, in the metadata store (its own schema, component
 * {@code feedback}).
 *
 * <p>The join happens when feedback arrives: the prediction is looked up in the log (by id, or the
 * entity's latest prediction of the deployment at or before the given time) and the outcome is
 * stored beside a copy of what metrics need of the prediction. A delayed outcome joins like any
 * other: the log keeps its predictions, so days later is the same look-up as seconds later.
 *
 * <p>One prediction has at most one outcome (the table's primary key). Recording the same outcome
 * again, from any source, is answered {@link Status#DUPLICATE} and counts once; a different outcome
 * for a labelled prediction is {@link ServingErrorCode#FEEDBACK_CONFLICT}, and the first stays.
 * Racing writers of one prediction are settled by the key: exactly one insert wins, the other reads
 * what won and answers duplicate or conflict.
 *
 * <p>Feedback can never arrive before its prediction when it names an id, since an id is only
 * answered once its prediction is durable in the log: an id the log does not know is wrong (or
 * from another installation) and is {@link ServingErrorCode#UNKNOWN_PREDICTION}. By entity, the
 * join is resolved once, against the log as it stands: a time later than now is refused, because
 * the entity's latest prediction before it could still change; an entity with no prediction at or
 * before the time is a not-found naming the entity (send it again once predicted, if that was the
 * cause). A prediction being made in the very millisecond of {@code at} may be missed in favour
 * of the one before it; senders label "the prediction in force at T" with a T in the past.
 *
 * <p>An outcome for an answered prediction is also recorded, in the same transaction, for the
 * shadow predictions scored beside it ({@link LoggedPredictions#shadowsOf}), so the shadow arm has
 * live metrics on exactly the traffic the answered arms saw. Shadows are never labelled on their
 * own (their ids are never answered and by entity only answered predictions are looked up); a
 * shadow whose model cannot take the outcome (another output kind) is left out, and one already
 * labelled keeps its outcome.
 *
 * <p>A {@link Learner} (online models) is given every outcome a transaction newly records, in that
 * transaction, so what it learns commits or rolls back with the outcomes: each outcome is learnt
 * from exactly once.
 *
 * <p>Every call that records something writes one audit entry, waited for: {@code
 * feedback.recorded} for one outcome, {@code feedback.batch_recorded} for a bulk load (with its
 * counts), so a file of a million outcomes is one entry, not a million.
 */
public final class FeedbackStore {
    /** The newest migration this code reads and writes. */
    public static final int SCHEMA = 1;

    private static final int MAX_SOURCE_LENGTH = 200;

    /** What became of one outcome. */
    public enum Status {
        /** Joined and counted. */
        RECORDED,
        /** The prediction already had this outcome: counted once, nothing changed. */
        DUPLICATE,
        /** Not recorded (a bulk row only; a single call throws instead): see the row's error. */
        REFUSED
    }

    /**
     * The answer to one recorded outcome: which prediction it joined, whether it was new, and the
     * shadow predictions of that request that this call labelled with the same outcome.
     */
    public record Result(String predictionId, Status status, String deployment, String arm, Instant predictedAt,
            List<String> shadows) {
        public Result {
            shadows = List.copyOf(shadows);
        }
    }

    /** One bulk row's result; {@code row} is its number as the caller counts (first row = {@code firstRow}). */
    public record RowResult(int row, Optional<String> predictionId, Status status, Optional<ErrorCode> error,
            String message, List<String> shadows) {
        public RowResult {
            shadows = List.copyOf(shadows);
        }
    }

    /** A bulk load's results, one per row in order. */
    public record BatchResult(List<RowResult> rows) {
        public BatchResult {
            rows = List.copyOf(rows);
        }

        public long count(Status status) {
            return rows.stream().filter(r -> r.status() == status).count();
        }
    }

    /**
     * A joined (output, outcome) pair, ordered by prediction time: what live metrics are computed
     * from and what a sequential test consumes outcome by outcome.
     */
    @SuppressWarnings("ArrayRecordComponent")
    public record Pair(String predictionId, Instant predictedAt, Instant observedAt, Instant recordedAt, String arm,
            String model, int version, OutputKind kind, double[] output, double outcome) {}

    /**
     * An outcome newly recorded for an answered prediction, with the shadow predictions of the same
     * request that it labelled too (answered first): one request, one outcome.
     */
    public record Labelled(List<Logged> predictions, double outcome, Instant recordedAt) {
        public Labelled {
            predictions = List.copyOf(predictions);
            requireNonNull(recordedAt, "recordedAt is null");
        }
    }

    /**
     * What learns from outcomes as they are recorded (online models). It is called inside the
     * transaction that records them, on its connection, with every outcome the transaction records
     * in order, so what it writes commits or rolls back with them: an outcome is learnt from
     * exactly when it is recorded, and a duplicate, recorded before, is never given again.
     */
    @FunctionalInterface
    public interface Learner {
        Learner NONE = (connection, labelled) -> { };

        void learn(Connection connection, List<Labelled> labelled) throws SQLException;
    }

    private final SqlDatabase database;
    private final LoggedPredictions predictions;
    private final AuditSink audit;
    private final Clock clock;
    private final Ids ids;
    private final Learner learner;

    public FeedbackStore(SqlDatabase database, LoggedPredictions predictions, AuditSink audit, Clock clock) {
        this(database, predictions, audit, clock, Learner.NONE);
    }

    public FeedbackStore(SqlDatabase database, LoggedPredictions predictions, AuditSink audit, Clock clock,
            Learner learner) {
        this.database = requireNonNull(database, "database is null");
        this.predictions = requireNonNull(predictions, "predictions is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.learner = requireNonNull(learner, "learner is null");
        this.ids = new Ids(clock);
        database.migrate("feedback", SCHEMA);
    }

    /**
     * Joins one outcome to its prediction and records it.
     *
     * @throws SeerException {@code UNKNOWN_PREDICTION} (no such id, or no prediction for the entity),
     *         {@code FEEDBACK_CONFLICT} (another outcome is recorded), {@code INVALID_FEEDBACK}
     */
    public Result record(Feedback feedback, String actor) {
        requireNonNull(feedback, "feedback is null");
        requireNonNull(actor, "actor is null");
        Instant now = clock.instant();
        Joined joined = join(feedback, now);
        Result result = sql("record feedback for prediction " + joined.prediction().id(),
                () -> database.inTransaction(c -> {
                    List<Labelled> labelled = new ArrayList<>(1);
                    Result written = write(c, joined, now, actor, labelled);
                    learner.learn(c, labelled);
                    return written;
                }));
        if (result.status() == Status.RECORDED || !result.shadows().isEmpty()) {
            audit.record(new AuditRecord(actor, "feedback.recorded", "prediction", result.predictionId(),
                    payload(joined, result))).join();
        }
        return result;
    }

    /**
     * Records many outcomes (a file, a topic's batch) in one transaction. A row that cannot be
     * joined, is invalid or conflicts is refused with its number and the reason; the others are
     * recorded. A failure of the store or the log fails the whole call and records nothing.
     *
     * @param firstRow the number the caller gives the first row (1 for a file's first data row)
     */
    public BatchResult recordAll(List<Feedback> feedback, int firstRow, String actor) {
        requireNonNull(feedback, "feedback is null");
        requireNonNull(actor, "actor is null");
        Instant now = clock.instant();
        List<Object> joinedOrRefused = new ArrayList<>(feedback.size());
        for (int i = 0; i < feedback.size(); i++) {
            try {
                joinedOrRefused.add(join(requireNonNull(feedback.get(i), "feedback row is null"), now));
            } catch (SeerException e) {
                joinedOrRefused.add(refusal(firstRow + i, Optional.empty(), e));
            }
        }
        List<RowResult> results = sql("record " + feedback.size() + " feedback rows", () -> database.inTransaction(c -> {
            List<RowResult> rows = new ArrayList<>(joinedOrRefused.size());
            List<Labelled> labelled = new ArrayList<>();
            for (int i = 0; i < joinedOrRefused.size(); i++) {
                rows.add(joinedOrRefused.get(i) instanceof Joined joined
                        ? writeRow(c, joined, firstRow + i, now, actor, labelled) : (RowResult) joinedOrRefused.get(i));
            }
            learner.learn(c, labelled);
            return rows;
        }));
        BatchResult batch = new BatchResult(results);
        if (batch.count(Status.RECORDED) > 0 || shadowCount(batch) > 0) {
            audit.record(new AuditRecord(actor, "feedback.batch_recorded", "feedback_batch", ids.next("fbb"),
                    batchPayload(batch, joinedOrRefused, firstRow))).join();
        }
        return batch;
    }

    /**
     * The joined pairs of {@code deployment} (one arm, or all) whose predictions were made in
     * [{@code from}, {@code to}), by prediction time then id. Pairs of a prediction-time window
     * keep arriving for as long as outcomes are delayed. A sequential test that wants outcomes in
     * the order they arrived sorts by {@link Pair#recordedAt()} (ties by id).
     */
    public List<Pair> pairs(String deployment, Optional<String> arm, Instant from, Instant to) {
        requireNonNull(deployment, "deployment is null");
        requireNonNull(arm, "arm is null");
        checkRange(from, to);
        String sql = "SELECT prediction_id, predicted_at, observed_at, recorded_at, arm, model, model_version, output_kind, output, outcome"
                + " FROM feedback WHERE deployment = ?" + (arm.isPresent() ? " AND arm = ?" : "")
                + " AND predicted_at >= ? AND predicted_at < ? ORDER BY predicted_at, prediction_id";
        return sql("read the feedback of deployment " + deployment, () -> {
            try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
                int p = 1;
                s.setString(p++, deployment);
                if (arm.isPresent()) {
                    s.setString(p++, arm.get());
                }
                s.setLong(p++, Times.toMicros(from));
                s.setLong(p, Times.toMicros(to));
                List<Pair> pairs = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        pairs.add(new Pair(r.getString(1), Times.ofMicros(r.getLong(2)), Times.ofMicros(r.getLong(3)),
                                Times.ofMicros(r.getLong(4)), r.getString(5), r.getString(6), r.getInt(7),
                                OutputKind.of(r.getString(8)), readOutput(r.getString(9)), r.getDouble(10)));
                    }
                }
                return pairs;
            }
        });
    }

    static void checkRange(Instant from, Instant to) {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (!from.isBefore(to)) {
            throw invalid("Time range [" + from + ", " + to + ") is empty: [from] must be before [to]", "from");
        }
    }

    /** Feedback with its prediction (and the shadows that can take its outcome) found and its values checked. */
    private record Joined(Feedback feedback, Logged prediction, List<Logged> shadows) {}

    private Joined join(Feedback feedback, Instant now) {
        String source = feedback.source();
        if (source.isBlank() || source.length() > MAX_SOURCE_LENGTH) {
            throw invalid("Feedback [source] must be 1 to " + MAX_SOURCE_LENGTH + " characters, not [" + source.length()
                    + "]", "source");
        }
        Logged prediction = feedback.target() instanceof ById byId ? byId(byId.predictionId())
                : latest((ByEntity) feedback.target(), now);
        checkOutput(prediction);
        checkOutcome(feedback.outcome(), prediction);
        if (feedback.observedAt().isBefore(prediction.time())) {
            throw invalid("Outcome observed at [" + feedback.observedAt() + "] is before prediction [" + prediction.id()
                    + "] was made at [" + prediction.time() + "]: it cannot be feedback on it", "observed_at");
        }
        return new Joined(feedback, prediction, predictions.shadowsOf(prediction.id()).stream()
                .filter(shadow -> fits(shadow, feedback.outcome())).toList());
    }

    private Logged byId(String id) {
        return predictions.byId(id).orElseThrow(() -> new SeerException(ServingErrorCode.UNKNOWN_PREDICTION,
                "No prediction has id [" + id + "]", Map.of("prediction_id", id)));
    }

    private Logged latest(ByEntity target, Instant now) {
        if (target.entity().isEmpty()) {
            throw invalid("Feedback by entity needs at least one entity key; [entity] is empty", "entity");
        }
        if (target.at().isAfter(now)) {
            throw invalid("Feedback time [" + target.at() + "] is after now [" + now + "]: the latest prediction for entity ["
                    + target.describe() + "] before it is not known yet", "at");
        }
        return predictions.latestBefore(target.entity(), target.deployment(), target.at()).orElseThrow(() ->
                new SeerException(ServingErrorCode.UNKNOWN_PREDICTION, "Deployment [" + target.deployment()
                        + "] made no prediction for entity [" + target.describe() + "] at or before [" + target.at() + "]",
                        Map.of("deployment", target.deployment(), "entity", new TreeMap<>(target.entity()),
                                "at", target.at().toString())));
    }

    // A shadow whose model cannot take this outcome (another output kind, fewer classes) is left unlabelled.
    private static boolean fits(Logged shadow, double outcome) {
        try {
            checkOutput(shadow);
            checkOutcome(outcome, shadow);
            return true;
        } catch (SeerException e) {
            return false;
        }
    }

    // Metrics pool outputs by kind, so a logged output of the wrong shape is refused here rather than failing every window.
    private static void checkOutput(Logged prediction) {
        int width = prediction.output().length;
        boolean fits = switch (prediction.kind()) {
            case PROBABILITY -> width == 1 && prediction.output()[0] >= 0 && prediction.output()[0] <= 1;
            case CLASS_PROBABILITIES -> width >= 2;
            case VALUE -> width == 1 && Double.isFinite(prediction.output()[0]);
        };
        if (!fits) {
            throw invalid("Prediction [" + prediction.id() + "] has output " + Arrays.toString(prediction.output())
                    + ", which is not a [" + prediction.kind().id() + "] output; feedback cannot be scored against it",
                    "prediction_id");
        }
    }

    private static void checkOutcome(double outcome, Logged prediction) {
        String problem = switch (prediction.kind()) {
            case PROBABILITY -> outcome == 0.0 || outcome == 1.0 ? null : "a label 0 or 1";
            case CLASS_PROBABILITIES -> outcome >= 0 && outcome < prediction.output().length && outcome == Math.rint(outcome)
                    ? null : "a class index 0 to " + (prediction.output().length - 1);
            case VALUE -> Double.isFinite(outcome) ? null : "a finite number";
        };
        if (problem != null) {
            throw invalid("Outcome [" + outcome + "] for prediction [" + prediction.id() + "] of model [" + prediction.model()
                    + "] (output kind [" + prediction.kind().id() + "]) must be " + problem, "outcome");
        }
    }

    /** Writes one outcome; a newly recorded one is added to {@code labelled}, with the shadows it labelled. */
    private Result write(Connection c, Joined joined, Instant now, String actor, List<Labelled> labelled)
            throws SQLException {
        Logged p = joined.prediction();
        Feedback f = joined.feedback();
        Status status = Status.RECORDED;
        if (!insert(c, p, f, now, actor)) {
            Existing existing = existing(c, p.id());
            if (existing.outcome() != f.outcome()) {
                throw new SeerException(ServingErrorCode.FEEDBACK_CONFLICT, "Prediction [" + p.id() + "] already has outcome ["
                        + existing.outcome() + "] (source [" + existing.source() + "], observed at [" + existing.observedAt()
                        + "]); this feedback says [" + f.outcome() + "]",
                        Map.of("prediction_id", p.id(), "recorded", existing.outcome(), "given", f.outcome()));
            }
            status = Status.DUPLICATE;
        }
        List<String> shadows = new ArrayList<>();
        List<Logged> learnt = new ArrayList<>();
        learnt.add(p);
        for (Logged shadow : joined.shadows()) {
            if (insert(c, shadow, f, now, actor)) {
                shadows.add(shadow.id());
                learnt.add(shadow);
            }
        }
        if (status == Status.RECORDED) { // a duplicate's request was learnt from when its outcome was first recorded
            labelled.add(new Labelled(learnt, f.outcome(), now));
        }
        return new Result(p.id(), status, p.deployment(), p.arm(), p.time(), shadows);
    }

    private RowResult writeRow(Connection c, Joined joined, int row, Instant now, String actor, List<Labelled> labelled)
            throws SQLException {
        Optional<String> id = Optional.of(joined.prediction().id());
        try {
            Result result = write(c, joined, now, actor, labelled);
            return new RowResult(row, id, result.status(), Optional.empty(), result.status() == Status.RECORDED
                    ? "recorded" : "duplicate: prediction [" + id.get() + "] already has this outcome", result.shadows());
        } catch (SeerException e) {
            return refusal(row, id, e);
        }
    }

    /** Store and log failures fail the whole call; anything the row itself got wrong refuses the row. */
    private static RowResult refusal(int row, Optional<String> predictionId, SeerException e) {
        if (e.category() == ErrorCategory.INTERNAL || e.category() == ErrorCategory.UNAVAILABLE) {
            throw e;
        }
        return new RowResult(row, predictionId, Status.REFUSED, Optional.of(e.errorCode()),
                "Row " + row + ": " + e.getMessage(), List.of());
    }

    private static boolean insert(Connection c, Logged p, Feedback f, Instant now, String actor) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO feedback (prediction_id, deployment, arm, model,"
                + " model_version, output_kind, output, predicted_at, outcome, observed_at, source, entity, recorded_at,"
                + " recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (prediction_id) DO NOTHING")) {
            s.setString(1, p.id());
            s.setString(2, p.deployment());
            s.setString(3, p.arm());
            s.setString(4, p.model());
            s.setInt(5, p.version());
            s.setString(6, p.kind().id());
            s.setString(7, writeOutput(p.output()));
            s.setLong(8, Times.toMicros(p.time()));
            s.setDouble(9, f.outcome());
            s.setLong(10, Times.toMicros(f.observedAt()));
            s.setString(11, f.source());
            s.setString(12, f.target() instanceof ByEntity e ? Json.canonical(Json.mapper().valueToTree(e.entity())) : null);
            s.setLong(13, Times.toMicros(now));
            s.setString(14, actor);
            return s.executeUpdate() == 1;
        }
    }

    private record Existing(double outcome, String source, Instant observedAt) {}

    private static Existing existing(Connection c, String predictionId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT outcome, source, observed_at FROM feedback WHERE prediction_id = ?")) {
            s.setString(1, predictionId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) { // only if a row could vanish between the insert and this read, which nothing here does
                    throw new SQLException("Feedback of prediction [" + predictionId + "] conflicted on insert but cannot be read");
                }
                return new Existing(r.getDouble(1), r.getString(2), Times.ofMicros(r.getLong(3)));
            }
        }
    }

    private static ObjectNode payload(Joined joined, Result result) {
        Logged p = joined.prediction();
        Feedback f = joined.feedback();
        ObjectNode payload = Json.object().put("deployment", p.deployment()).put("arm", p.arm()).put("model", p.model())
                .put("version", p.version()).put("outcome", f.outcome()).put("observed_at", f.observedAt().toString())
                .put("source", f.source());
        if (f.target() instanceof ByEntity e) {
            payload.set("entity", Json.mapper().valueToTree(new TreeMap<>(e.entity())));
            payload.put("at", e.at().toString());
        }
        ArrayNode shadows = payload.putArray("shadows");
        result.shadows().forEach(shadows::add);
        return payload;
    }

    private static JsonNode batchPayload(BatchResult batch, List<Object> joinedOrRefused, int firstRow) {
        ObjectNode payload = Json.object().put("first_row", firstRow).put("rows", batch.rows().size())
                .put("recorded", batch.count(Status.RECORDED)).put("duplicates", batch.count(Status.DUPLICATE))
                .put("refused", batch.count(Status.REFUSED)).put("shadows", shadowCount(batch));
        ObjectNode perDeployment = payload.putObject("recorded_by_deployment");
        ArrayNode sources = payload.putArray("sources");
        for (int i = 0; i < batch.rows().size(); i++) {
            if (batch.rows().get(i).status() == Status.RECORDED && joinedOrRefused.get(i) instanceof Joined joined) {
                String deployment = joined.prediction().deployment();
                perDeployment.put(deployment, perDeployment.path(deployment).asLong(0) + 1);
                String source = joined.feedback().source();
                if (sources.size() < 10 && !contains(sources, source)) {
                    sources.add(source);
                }
            }
        }
        return payload;
    }

    private static long shadowCount(BatchResult batch) {
        return batch.rows().stream().mapToLong(r -> r.shadows().size()).sum();
    }

    private static boolean contains(ArrayNode array, String text) {
        for (JsonNode node : array) {
            if (node.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static String writeOutput(double[] output) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (double v : output) {
            array.add(v);
        }
        return Json.write(array);
    }

    private static double[] readOutput(String text) {
        JsonNode array = Json.parse(text);
        double[] output = new double[array.size()];
        for (int i = 0; i < output.length; i++) {
            output[i] = array.get(i).asDouble();
        }
        return output;
    }

    static SeerException invalid(String message, String field) {
        return new SeerException(ServingErrorCode.INVALID_FEEDBACK, message, Map.of("field", field));
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
