package dev.seer.serving.deploy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.core.features.FeatureLookup;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.scoring.Scorer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The predict path: for a deployment and rows (entity keys and/or feature values), assigns each
 * row an arm, fetches the arm models' features from the online store (values in the request
 * override), applies the deployment's missing-feature policy, scores each arm's rows in one call,
 * scores every row again with the shadow, if any, and hands all of it to the prediction log; the
 * answer exists only once the log says the batch is durable. A row's features are those of the
 * model that scored it: a challenger may take other features than its champion.
 *
 * <p>Deployments are kept live (models loaded, feature plans made) and replaced whole on a change:
 * a request reads one {@link Live} reference, so a swap under load never mixes two revisions in
 * one request and fails none.
 */
public final class Predictor {
    /** Where the predict path gets a deployed model: loaded once per version by the wiring. */
    @FunctionalInterface
    public interface ModelSource {
        LoadedModel load(ModelRef ref);
    }

    /**
     * A model ready to score: its scorer, its inputs in order, and for each input the online
     * feature ({@code view:feature}) that supplies it, or empty for an input only a request gives.
     */
    public record LoadedModel(ModelRef ref, Scorer scorer, List<String> inputs, List<Optional<String>> features) {
        public LoadedModel {
            requireNonNull(ref, "ref is null");
            requireNonNull(scorer, "scorer is null");
            inputs = List.copyOf(inputs);
            features = List.copyOf(features);
            if (inputs.size() != features.size()) {
                throw new IllegalArgumentException("one online feature (or none) per input");
            }
        }
    }

    /** Where predictions go; the future completes once they are durable. */
    @FunctionalInterface
    public interface PredictionSink {
        CompletableFuture<?> log(List<Predicted> predictions);
    }

    /** One row to score: join keys (empty: none) and given values by input or {@code view:feature} name (NaN: null). */
    public record Row(Map<String, String> entity, Map<String, Double> given) {
        public Row {
            entity = Map.copyOf(entity);
            given = Map.copyOf(given);
        }
    }

    /** Where a logged feature value came from. */
    public enum Source { GIVEN, STORE, MISSING, EXPIRED, STORE_DOWN }

    /** One input of one prediction, as scored: NaN when missing. */
    public record FeatureValue(String name, double value, Source source, Optional<Instant> eventTime) {}

    /**
     * One prediction as logged. {@code shadowOf} names the answered prediction a shadow scored
     * beside; {@code degraded} says why features were scored as missing, if they were.
     */
    public record Predicted(String id, Instant time, String deployment, long revision, Arm arm, ModelRef model,
            Map<String, String> entity, List<FeatureValue> features, double[] output, long latencyMicros,
            Optional<String> degraded, Optional<String> shadowOf) {
        /** The names of the inputs that were missing. */
        public List<String> missing() {
            return features.stream().filter(f -> Double.isNaN(f.value())).map(FeatureValue::name).toList();
        }
    }

    /** The answered predictions, in the order of the rows (shadows are logged, never answered). */
    public record Answer(Deployment deployment, List<Predicted> predictions) {}

    /** How long an answer waits for the log before it fails (and is never a 200). */
    static final long LOG_TIMEOUT_MS = 10_000;

    private final DeploymentStore deployments;
    private final ModelSource models;
    private final FeatureLookup lookup;
    private final PredictionSink log;
    private final Clock clock;
    private final Supplier<String> ids;
    private final ConcurrentHashMap<String, Live> live = new ConcurrentHashMap<>();

    /** {@code ids}: a new prediction id per call (the log's, so that ids sort by time and never repeat). */
    public Predictor(DeploymentStore deployments, ModelSource models, FeatureLookup lookup, PredictionSink log, Clock clock,
            Supplier<String> ids) {
        this.deployments = requireNonNull(deployments, "deployments is null");
        this.models = requireNonNull(models, "models is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ids = requireNonNull(ids, "ids is null");
    }

    /** Makes {@code deployment} the live form of its name, with its models loaded first; requests move to it at once. */
    public void activate(Deployment deployment) {
        Live next = Live.of(deployment, models);
        live.merge(deployment.name(), next, (old, fresh) -> fresh.deployment().revision() >= old.deployment().revision()
                ? fresh : old);
    }

    /** Loads every model of {@code deployment} without activating it: a change is checked with this before it is stored. */
    public void check(Deployment deployment) {
        Live.of(deployment, models);
    }

    /** Forgets a removed deployment. */
    public void deactivate(String name) {
        live.remove(name);
    }

    public Answer predict(String name, List<Row> rows) {
        long start = System.nanoTime();
        Live current = live(name);
        Deployment d = current.deployment();
        Instant now = clock.instant();
        int n = rows.size();
        String[] ids = new String[n];
        Arm[] arms = new Arm[n];
        for (int i = 0; i < n; i++) {
            ids[i] = this.ids.get();
            Row row = rows.get(i);
            arms[i] = ArmAssignment.assign(d, row.entity().isEmpty() ? ids[i] : entityKey(row.entity()));
        }
        current.checkGiven(rows);
        Fetched fetched = fetch(current, rows);
        List<Predicted> answered = new ArrayList<>(n);
        List<Predicted> all = new ArrayList<>(current.shadow == null ? n : 2 * n);
        Predicted[] byRow = new Predicted[n];
        for (Arm arm : List.of(Arm.CHAMPION, Arm.CHALLENGER)) {
            LoadedModel model = arm == Arm.CHAMPION ? current.champion : current.challenger;
            int[] members = new int[n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (arms[i] == arm) {
                    members[count++] = i;
                }
            }
            if (count > 0) {
                score(d, arm, model, current.positions(arm), Arrays.copyOf(members, count), rows, fetched, ids, now, start,
                        Optional.empty(), byRow, true);
            }
        }
        for (Predicted p : byRow) {
            answered.add(p);
            all.add(p);
        }
        if (current.shadow != null) {
            Predicted[] shadows = new Predicted[n];
            int[] everyRow = new int[n];
            String[] shadowIds = new String[n];
            for (int i = 0; i < n; i++) {
                everyRow[i] = i;
                shadowIds[i] = this.ids.get();
            }
            score(d, Arm.SHADOW, current.shadow, current.positions(Arm.SHADOW), everyRow, rows, fetched, shadowIds, now, start, Optional.of(ids), shadows,
                    false);
            all.addAll(List.of(shadows));
        }
        durable(log.log(all), name);
        return new Answer(d, answered);
    }

    private Live live(String name) {
        Live current = live.get(Deployment.checkName(name));
        if (current == null) {
            activate(deployments.get(name));
            current = live.get(name);
        }
        return current;
    }

    /** Waits for the log: a prediction that is not durable is never answered. */
    private static void durable(CompletableFuture<?> logged, String deployment) {
        try {
            logged.get(LOG_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeerException(ServingErrorCode.LOG_FAILURE, "Interrupted while logging predictions of [" + deployment
                    + "]; they are not answered", Map.of("deployment", deployment), e);
        } catch (TimeoutException e) {
            throw new SeerException(ServingErrorCode.OVERLOADED, "The prediction log did not make the predictions of ["
                    + deployment + "] durable within " + LOG_TIMEOUT_MS + " ms; they are not answered",
                    Map.of("deployment", deployment), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SeerException seer) {
                throw seer;
            }
            throw new SeerException(ServingErrorCode.LOG_FAILURE, "The prediction log failed on predictions of ["
                    + deployment + "]; they are not answered: " + e.getCause(), Map.of("deployment", deployment), e);
        }
    }

    private void score(Deployment d, Arm arm, LoadedModel model, int[] positions, int[] members, List<Row> rows,
            Fetched fetched, String[] ids, Instant now, long start, Optional<String[]> shadowOf, Predicted[] into,
            boolean enforceMissing) {
        int width = model.inputs().size();
        int outputs = model.scorer().signature().width();
        double[] flat = new double[members.length * width];
        List<List<FeatureValue>> used = new ArrayList<>(members.length);
        List<String> refused = new ArrayList<>();
        for (int m = 0; m < members.length; m++) {
            int row = members[m];
            List<FeatureValue> values = fetched.values(row, model, positions, rows.get(row));
            for (int f = 0; f < width; f++) {
                flat[m * width + f] = values.get(f).value();
            }
            used.add(values);
            if (enforceMissing && d.missing() == MissingPolicy.REFUSE) {
                List<String> missing = values.stream().filter(v -> Double.isNaN(v.value()) && v.source() != Source.STORE_DOWN)
                        .map(FeatureValue::name).toList();
                if (!missing.isEmpty() && refused.size() < 5) {
                    refused.add("row " + row + " lacks " + missing);
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new SeerException(ServingErrorCode.INVALID_INPUT, "Deployment [" + d.name() + "] refuses rows with missing"
                    + " features (its policy: refuse): " + String.join("; ", refused), Map.of("deployment", d.name()));
        }
        double[] out = new double[members.length * outputs];
        model.scorer().score(flat, members.length, out);
        long latency = (System.nanoTime() - start) / 1000;
        for (int m = 0; m < members.length; m++) {
            int row = members[m];
            double[] output = Arrays.copyOfRange(out, m * outputs, (m + 1) * outputs);
            into[row] = new Predicted(ids[row], now, d.name(), d.revision(), arm, model.ref(), rows.get(row).entity(),
                    used.get(m), output, latency, fetched.degraded, shadowOf.map(s -> s[row]));
        }
    }

    /** The online values of every row, for the union of the live models' features. */
    private Fetched fetch(Live current, List<Row> rows) {
        List<String> refs = current.onlineFeatures;
        Map<Integer, List<FeatureLookup.Value>> byRow = new HashMap<>();
        if (refs.isEmpty()) {
            return new Fetched(refs, byRow, Optional.empty());
        }
        // rows that name entities, grouped by their set of join keys (one lookup per group)
        Map<List<String>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).entity().isEmpty()) {
                groups.computeIfAbsent(List.copyOf(new TreeMap<>(rows.get(i).entity()).keySet()), k -> new ArrayList<>()).add(i);
            }
        }
        try {
            for (var group : groups.entrySet()) {
                Map<String, List<String>> entities = new LinkedHashMap<>();
                for (String key : group.getKey()) {
                    List<String> column = new ArrayList<>(group.getValue().size());
                    for (int i : group.getValue()) {
                        column.add(rows.get(i).entity().get(key));
                    }
                    entities.put(key, column);
                }
                List<FeatureLookup.EntityValues> found = lookup.lookup(refs, entities);
                for (int g = 0; g < group.getValue().size(); g++) {
                    byRow.put(group.getValue().get(g), found.get(g).values());
                }
            }
            return new Fetched(refs, byRow, Optional.empty());
        } catch (SeerException e) {
            if (e.errorCode().category() != ErrorCategory.UNAVAILABLE) {
                throw e;
            }
            if (current.deployment().whenStoreDown() == MissingPolicy.REFUSE) {
                throw new SeerException(ServingErrorCode.STORE_UNAVAILABLE, "Deployment [" + current.deployment().name()
                        + "] needs the online store, which is unavailable: " + e.getMessage() + " (its policy when the store"
                        + " is down: refuse)", Map.of("deployment", current.deployment().name()), e);
            }
            return new Fetched(refs, Map.of(), Optional.of("online store unavailable: " + e.getMessage()));
        }
    }

    /** The lookups of one request. */
    private record Fetched(List<String> refs, Map<Integer, List<FeatureLookup.Value>> byRow, Optional<String> degraded) {
        /**
         * Row {@code row}'s inputs for {@code model}: given, else online, else missing; {@code positions}: where each
         * input's online feature is among the fetched ones.
         */
        List<FeatureValue> values(int row, LoadedModel model, int[] positions, Row given) {
            List<FeatureLookup.Value> online = byRow.get(row);
            List<FeatureValue> values = new ArrayList<>(model.inputs().size());
            for (int f = 0; f < model.inputs().size(); f++) {
                String input = model.inputs().get(f);
                Optional<String> ref = model.features().get(f);
                Double value = given.given().get(input);
                if (value == null && ref.isPresent()) {
                    value = given.given().get(ref.get());
                }
                if (value != null) {
                    values.add(new FeatureValue(input, value, Double.isNaN(value) ? Source.MISSING : Source.GIVEN,
                            Optional.empty()));
                } else if (ref.isPresent() && degraded.isPresent() && !given.entity().isEmpty()) {
                    values.add(new FeatureValue(input, Double.NaN, Source.STORE_DOWN, Optional.empty()));
                } else if (ref.isPresent() && online != null) {
                    values.add(online(input, online.get(positions[f])));
                } else {
                    values.add(new FeatureValue(input, Double.NaN, Source.MISSING, Optional.empty()));
                }
            }
            return values;
        }

        private static FeatureValue online(String input, FeatureLookup.Value v) {
            return switch (v.status()) {
                case MISSING -> new FeatureValue(input, Double.NaN, Source.MISSING, Optional.empty());
                case EXPIRED -> new FeatureValue(input, Double.NaN, Source.EXPIRED, v.eventTime());
                case PRESENT -> new FeatureValue(input, number(input, v.value()), Source.STORE, v.eventTime());
            };
        }

        private static double number(String input, JsonNode value) {
            if (value.isNumber()) {
                return value.doubleValue();
            }
            if (value.isBoolean()) {
                return value.booleanValue() ? 1 : 0;
            }
            if (value.isNull()) {
                return Double.NaN;
            }
            throw new SeerException(ServingErrorCode.INVALID_INPUT, "Online feature for input [" + input + "] holds ["
                    + value + "], not a number", Map.of("feature", input));
        }
    }

    /** {@code k1=v1&k2=v2}, keys sorted: the same entity gives the same key however the request orders its keys. */
    static String entityKey(Map<String, String> entity) {
        StringBuilder key = new StringBuilder();
        for (var e : new TreeMap<>(entity).entrySet()) {
            if (key.length() > 0) {
                key.append('&');
            }
            key.append(e.getKey()).append('=').append(e.getValue());
        }
        return key.toString();
    }

    /** A deployment with its models loaded and the online features any of them needs. */
    private record Live(Deployment deployment, LoadedModel champion, LoadedModel challenger, LoadedModel shadow,
            List<String> onlineFeatures, java.util.Set<String> accepted, Map<Arm, int[]> positionsByArm) {
        static Live of(Deployment d, ModelSource models) {
            LoadedModel champion = models.load(d.champion());
            LoadedModel challenger = d.challenger().map(models::load).orElse(null);
            LoadedModel shadow = d.shadow().map(models::load).orElse(null);
            LinkedHashSet<String> refs = new LinkedHashSet<>();
            java.util.Set<String> accepted = new java.util.HashSet<>();
            for (LoadedModel m : Arrays.asList(champion, challenger, shadow)) {
                if (m != null) {
                    m.features().forEach(f -> f.ifPresent(refs::add));
                    accepted.addAll(m.inputs());
                    m.features().forEach(f -> f.ifPresent(accepted::add));
                }
            }
            List<String> online = List.copyOf(refs);
            Map<Arm, int[]> positions = new java.util.EnumMap<>(Arm.class);
            positions.put(Arm.CHAMPION, positions(champion, online));
            if (challenger != null) {
                positions.put(Arm.CHALLENGER, positions(challenger, online));
            }
            if (shadow != null) {
                positions.put(Arm.SHADOW, positions(shadow, online));
            }
            return new Live(d, champion, challenger, shadow, online, java.util.Set.copyOf(accepted), positions);
        }

        /** Where each of the model's inputs is among the deployment's online features, -1 for an input fetched from none. */
        private static int[] positions(LoadedModel model, List<String> online) {
            int[] at = new int[model.inputs().size()];
            for (int f = 0; f < at.length; f++) {
                at[f] = model.features().get(f).map(online::indexOf).orElse(-1);
            }
            return at;
        }

        int[] positions(Arm arm) {
            return positionsByArm.get(arm);
        }

        /** Refuses a given value no model of the deployment takes, naming the row and the feature. */
        void checkGiven(List<Row> rows) {
            for (int i = 0; i < rows.size(); i++) {
                for (String name : rows.get(i).given().keySet()) {
                    if (!accepted.contains(name)) {
                        throw new SeerException(ServingErrorCode.INVALID_INPUT, "rows[" + i + "] has feature [" + name
                                + "], which no model of deployment [" + deployment.name() + "] takes",
                                Map.of("field", "rows[" + i + "]." + name));
                    }
                }
            }
        }
    }
}
