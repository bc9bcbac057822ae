package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.models.OutputKind;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Arm;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.DeploymentStore;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.experiment.ArmHealth;
import dev.seer.serving.experiment.Decision;
import dev.seer.serving.experiment.Direction;
import dev.seer.serving.experiment.Guardrails;
import dev.seer.serving.experiment.Msprt;
import dev.seer.serving.experiment.MsprtSettings;
import dev.seer.serving.experiment.Outcome;
import dev.seer.serving.experiment.Promotion;
import dev.seer.serving.experiment.Verdict;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.log.PredictionLog;
import dev.seer.serving.log.PredictionQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The champion–challenger experiment of a deployment: every joined outcome since the split began
 * (the deployment's current revision) is fed, in prediction-time order, to an mSPRT (always-valid
 * p-values, so the test may be read after every outcome), the challenger's health (its latency
 * from the log) is held against the guardrails, and {@link Promotion} decides. Applying a decision
 * is a deployment change: PROMOTE moves the model's {@code champion} alias to the challenger
 * through the registry (a protected alias needs the version's check, the gate) and makes the
 * challenger the deployment's champion; ROLLBACK drops the challenger. Each step is audited.
 *
 * <p>The per-outcome value: for a probability or class-probabilities output, whether the
 * prediction was right (Bernoulli, higher is better); for a value, the squared error (lower is
 * better).
 */
final class Experiments {
    /** What the experiment is judged by. */
    record Settings(double alpha, double effect, int minSamples, Guardrails guardrails) {}

    /** The decision with the figures it rests on. */
    record Judged(Deployment deployment, Decision decision, ArmHealth challenger, long outcomes) {}

    private final DeploymentStore deployments;
    private final FeedbackStore feedback;
    private final PredictionLog log;
    private final ModelRegistry models;
    private final AuditSink audit;
    private final Clock clock;

    Experiments(DeploymentStore deployments, FeedbackStore feedback, PredictionLog log, ModelRegistry models, AuditSink audit,
            Clock clock) {
        this.deployments = requireNonNull(deployments, "deployments is null");
        this.feedback = requireNonNull(feedback, "feedback is null");
        this.log = requireNonNull(log, "log is null");
        this.models = requireNonNull(models, "models is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Judged judge(String name, Settings settings) {
        Deployment d = deployments.get(name);
        ModelRef challenger = d.challenger().orElseThrow(() -> new SeerException(ServingErrorCode.INVALID_DEPLOYMENT,
                "Deployment [" + name + "] has no challenger: there is no experiment to judge", Map.of("deployment", name)));
        Instant since = d.changedAt();
        Instant now = clock.instant().plusMillis(1);
        List<FeedbackStore.Pair> pairs = feedback.pairs(name, Optional.empty(), since, now);
        OutputKind kind = pairs.isEmpty() ? OutputKind.PROBABILITY : pairs.get(0).kind();
        Outcome outcome = kind == OutputKind.VALUE ? Outcome.CONTINUOUS : Outcome.BERNOULLI;
        Direction direction = kind == OutputKind.VALUE ? Direction.LOWER_IS_BETTER : Direction.HIGHER_IS_BETTER;
        Msprt test = new Msprt(new MsprtSettings(outcome, settings.alpha(), settings.effect(), settings.minSamples()));
        long used = 0;
        for (FeedbackStore.Pair p : pairs) {
            boolean isChampion = p.model().equals(d.champion().model()) && p.version() == d.champion().version()
                    && p.arm().equals(Arm.CHAMPION.id());
            boolean isChallenger = p.model().equals(challenger.model()) && p.version() == challenger.version()
                    && p.arm().equals(Arm.CHALLENGER.id());
            if (!isChampion && !isChallenger) {
                continue; // another revision's, or the shadow's
            }
            double value = value(p);
            if (isChampion) {
                test.addChampion(value);
            } else {
                test.addChallenger(value);
            }
            used++;
        }
        ArmHealth health = health(name, challenger, since, now);
        Decision decision = new Promotion(direction, settings.guardrails()).decide(test.result(), health);
        return new Judged(d, decision, health, used);
    }

    /** Judges, then applies a PROMOTE or ROLLBACK as a change of the deployment; CONTINUE changes nothing. */
    Judged apply(String name, Settings settings, String actor) {
        Judged judged = judge(name, settings);
        Deployment d = judged.deployment();
        Verdict verdict = judged.decision().verdict();
        audit.record(new AuditRecord(actor, "deployment.experiment_decided", "deployment", name, Json.object()
                .put("verdict", verdict.name().toLowerCase(java.util.Locale.ROOT)).put("reason", judged.decision().reason())
                .put("revision", d.revision()).put("outcomes", judged.outcomes())
                .put("p_value", judged.decision().test().pValue()))).join();
        if (verdict == Verdict.CONTINUE) {
            return judged;
        }
        ModelRef champion = d.champion();
        if (verdict == Verdict.PROMOTE) {
            ModelRef challenger = d.challenger().orElseThrow();
            models.setAlias(challenger.model(), TrainingOperations.CHAMPION, challenger.version(), "deployment " + name
                    + ": " + judged.decision().reason(), Optional.empty(), actor);
            champion = challenger;
        }
        Deployment changed = deployments.put(new DeploymentStore.Change(name, champion, Optional.empty(), 0, Optional.empty(),
                d.missing(), d.whenStoreDown(), d.stream()), Optional.of(d.revision()), actor);
        return new Judged(changed, judged.decision(), judged.challenger(), judged.outcomes());
    }

    private static double value(FeedbackStore.Pair p) {
        double[] out = p.output();
        return switch (p.kind()) {
            case VALUE -> (out[0] - p.outcome()) * (out[0] - p.outcome());
            case PROBABILITY -> ((out[0] > 0.5 ? 1 : 0) == (int) p.outcome()) ? 1 : 0;
            case CLASS_PROBABILITIES -> argmax(out) == (int) p.outcome() ? 1 : 0;
        };
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The challenger's requests and p99 latency since the split began, from the log (a failed request is never logged).
     * Two passes over the range, the second keeping only the slowest 1% in a heap, so a long experiment's millions of
     * predictions are never held at once. The second pass stops after the first pass's count: the log is read in its
     * order and only grows at its end, so both passes see the same predictions even while more are logged.
     */
    private ArmHealth health(String name, ModelRef challenger, Instant since, Instant now) {
        PredictionQuery made = PredictionQuery.all().withDeployment(name).withArm(Arm.CHALLENGER.id())
                .withModel(challenger.model(), java.util.OptionalInt.of(challenger.version()))
                .between(Optional.of(since), Optional.of(now));
        long counted = log.forEach(made, p -> { });
        if (counted == 0) {
            return new ArmHealth(0, 0, Double.NaN);
        }
        int n = (int) Math.min(counted, Integer.MAX_VALUE);
        // the nearest-rank p99 of n values (index ceil(0.99 n) - 1 ascending) is the (n - ceil(0.99 n) + 1)-th largest
        int slowest = n - (int) Math.ceil(0.99 * n) + 1;
        java.util.PriorityQueue<Long> top = new java.util.PriorityQueue<>(slowest + 1);
        log.forEach(made.withLimit(n), p -> {
            top.add(p.latencyMicros());
            if (top.size() > slowest) {
                top.poll();
            }
        });
        return new ArmHealth(n, 0, top.peek() / 1000.0);
    }
}
