package dev.seer.serving.log;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Times;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Which logged predictions to read: every condition given must hold. The entity matches when the
 * prediction has every key given with the same value. Time is {@code [from, to)}. Results come in
 * log order (the order they were made durable, nearly time order), or the reverse with
 * {@code descending} ({@link #newestFirst()}), at most {@code limit} of them.
 *
 * @param shadow whether to read only shadows (true) or only answered predictions (false); empty: both
 */
public record PredictionQuery(Optional<String> deployment, Optional<String> arm, Optional<String> model,
        OptionalInt modelVersion, Map<String, String> entity, Optional<Instant> from, Optional<Instant> to,
        Optional<Boolean> shadow, boolean descending, int limit) {
    public PredictionQuery {
        requireNonNull(shadow, "shadow is null");
        requireNonNull(deployment, "deployment is null");
        requireNonNull(arm, "arm is null");
        requireNonNull(model, "model is null");
        requireNonNull(modelVersion, "modelVersion is null");
        entity = Map.copyOf(entity);
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
    }

    /** Everything, no limit (an export); add conditions and a limit with the {@code with} methods. */
    public static PredictionQuery all() {
        return new PredictionQuery(Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, Integer.MAX_VALUE);
    }

    public PredictionQuery withDeployment(String name) {
        return new PredictionQuery(Optional.of(name), arm, model, modelVersion, entity, from, to, shadow, descending, limit);
    }

    public PredictionQuery withArm(String name) {
        return new PredictionQuery(deployment, Optional.of(name), model, modelVersion, entity, from, to, shadow, descending, limit);
    }

    public PredictionQuery withModel(String name, OptionalInt version) {
        return new PredictionQuery(deployment, arm, Optional.of(name), version, entity, from, to, shadow, descending, limit);
    }

    public PredictionQuery withEntity(Map<String, String> keys) {
        Map<String, String> all = new TreeMap<>(entity);
        all.putAll(keys);
        return new PredictionQuery(deployment, arm, model, modelVersion, all, from, to, shadow, descending, limit);
    }

    public PredictionQuery between(Optional<Instant> start, Optional<Instant> end) {
        return new PredictionQuery(deployment, arm, model, modelVersion, entity, start, end, shadow, descending, limit);
    }

    public PredictionQuery withLimit(int n) {
        return new PredictionQuery(deployment, arm, model, modelVersion, entity, from, to, shadow, descending, n);
    }

    /** Only answered predictions (false) or only shadows (true). */
    public PredictionQuery withShadow(boolean shadows) {
        return new PredictionQuery(deployment, arm, model, modelVersion, entity, from, to, Optional.of(shadows), descending, limit);
    }

    /** The newest first: with a limit of 1, the latest match, reading back only as far as it. */
    public PredictionQuery newestFirst() {
        return new PredictionQuery(deployment, arm, model, modelVersion, entity, from, to, shadow, true, limit);
    }

    boolean matches(Prediction p) {
        return deployment.map(p.deployment()::equals).orElse(true)
                && arm.map(p.arm()::equals).orElse(true)
                && model.map(p.model()::equals).orElse(true)
                && (modelVersion.isEmpty() || modelVersion.getAsInt() == p.modelVersion())
                && from.map(f -> !p.time().isBefore(f)).orElse(true)
                && to.map(t -> p.time().isBefore(t)).orElse(true)
                && shadow.map(b -> b == p.shadow()).orElse(true)
                && entity.entrySet().stream().allMatch(e -> e.getValue().equals(p.entity().get(e.getKey())));
    }

    /** Whether a segment may hold a match, from its summary alone. */
    boolean mayMatch(Segment.Summary s) {
        if (s.count() == 0) {
            return false;
        }
        return deployment.map(s.deployments()::contains).orElse(true)
                && model.map(s.models()::contains).orElse(true)
                && from.map(f -> s.maxTime() >= Times.toMicros(f)).orElse(true)
                && to.map(t -> s.minTime() < Times.toMicros(t)).orElse(true);
    }
}
