package dev.seer.serving.feedback;

import dev.seer.models.OutputKind;
import dev.seer.serving.feedback.LoggedPredictions.Logged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A prediction log in memory: predictions with the entity each was made for. */
final class FakeLog implements LoggedPredictions {
    private record Entry(Logged logged, Map<String, String> entity, String shadowOf) {}

    private final List<Entry> entries = new ArrayList<>();
    private int next = 1;

    /** Logs a prediction and returns it (id {@code pred_<n>}). */
    synchronized Logged add(Map<String, String> entity, String deployment, String arm, Instant time, OutputKind kind,
            double... output) {
        Logged logged = new Logged("pred_" + next++, time, deployment, arm, "churn", arm.equals("champion") ? 3 : 4, kind,
                output);
        entries.add(new Entry(logged, Map.copyOf(entity), null));
        return logged;
    }

    /** Logs a prediction as given; {@code shadowOf} is null for an answered one. */
    synchronized void put(Logged logged, Map<String, String> entity, String shadowOf) {
        entries.add(new Entry(logged, Map.copyOf(entity), shadowOf));
    }

    /** Logs the shadow prediction scored beside {@code answered} (same time, deployment and entity). */
    synchronized Logged addShadow(Logged answered, OutputKind kind, double... output) {
        Logged logged = new Logged("pred_" + next++, answered.time(), answered.deployment(), "shadow", "churn", 5, kind, output);
        Map<String, String> entity = entries.stream().filter(e -> e.logged().equals(answered)).findFirst().orElseThrow().entity();
        entries.add(new Entry(logged, entity, answered.id()));
        return logged;
    }

    @Override
    public synchronized Optional<Logged> byId(String id) {
        return entries.stream().map(Entry::logged).filter(l -> l.id().equals(id)).findFirst();
    }

    @Override
    public synchronized Optional<Logged> latestBefore(Map<String, String> entity, String deployment, Instant at) {
        return entries.stream()
                .filter(e -> e.shadowOf() == null && e.entity().equals(entity) && e.logged().deployment().equals(deployment)
                        && !e.logged().time().isAfter(at))
                .map(Entry::logged)
                .max(Comparator.comparing(Logged::time));
    }

    @Override
    public synchronized List<Logged> shadowsOf(String predictionId) {
        return entries.stream().filter(e -> predictionId.equals(e.shadowOf())).map(Entry::logged).toList();
    }
}
