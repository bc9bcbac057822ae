package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.AlertRule;
import dev.seer.monitoring.alert.AlertRules;
import dev.seer.monitoring.alert.Figure;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Alert rules and their states, kept in {@link AlertStore}. A closed window's figures are stored,
 * the rules evaluated on them against the stored states ({@link AlertEvaluator}), and the new
 * states and the transitions written, all in one transaction; only after the commit is each
 * transition handed to the {@link AlertDelivery} (log, audit, webhooks), so nothing is announced
 * that a crash would forget. Evaluating a window again changes nothing (the evaluator ignores a
 * window that is not newer than a state's last one, and the figures are replaced).
 *
 * <p>Rules name a deployment in their figure's first segment, or {@code *} for every deployment.
 * Adding and removing rules and acknowledging alerts are audited here ({@code alert.rule_added},
 * {@code alert.rule_removed}, {@code alert.acknowledged}); transitions are audited by the delivery.
 */
public final class Alerts {
    /** Undelivered transitions read at a time. */
    private static final int PENDING_BATCH = 100;
    /** One alert: a rule's state on one figure of one deployment. */
    public record Alert(String deployment, AlertRule rule, AlertEvaluator.State state) {
        public Alert {
            requireNonNull(deployment, "deployment is null");
            requireNonNull(rule, "rule is null");
            requireNonNull(state, "state is null");
        }
    }

    private final AlertStore store;
    private final AuditSink audit;
    private final AlertDelivery delivery;
    private final Clock clock;

    public Alerts(AlertStore store, AuditSink audit, AlertDelivery delivery, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.delivery = requireNonNull(delivery, "delivery is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Adds a rule; UNKNOWN_NAME (with near names) when its figure is not one of {@code knownFigures}
     * (the monitor's {@link Monitor#knownFigures}), RULE_EXISTS when its id is taken.
     */
    public AlertStore.StoredRule addRule(AlertRule rule, Set<String> knownFigures, String actor) {
        requireNonNull(actor, "actor is null");
        AlertRules.check(rule, knownFigures);
        AlertStore.StoredRule stored = new AlertStore.StoredRule(rule, actor, clock.instant());
        boolean added = store.transaction("add alert rule " + rule.id(), c -> AlertStore.insertRule(c, stored));
        if (!added) {
            throw new SeerException(MonitoringErrorCode.RULE_EXISTS, "Alert rule [" + rule.id() + "] exists already",
                    Map.of("field", "id", "rule", rule.id()));
        }
        audit.record(new AuditRecord(actor, "alert.rule_added", "alert_rule", rule.id(), Json.parse(Json.write(ruleFields(rule)))))
                .join();
        return stored;
    }

    /** Removes a rule (UNKNOWN_NAME if there is none); its states go at the next window, its history stays. */
    public void removeRule(String id, String actor) {
        requireNonNull(id, "id is null");
        requireNonNull(actor, "actor is null");
        boolean removed = store.transaction("remove alert rule " + id, c -> AlertStore.deleteRule(c, id));
        if (!removed) {
            throw unknownRule(id);
        }
        audit.record(new AuditRecord(actor, "alert.rule_removed", "alert_rule", id, null)).join();
    }

    public List<AlertStore.StoredRule> rules() {
        return store.rules();
    }

    /**
     * Stores one window's figures of {@code deployment}, evaluates the rules that can match them,
     * stores the new states and the transitions, then delivers every transition not yet delivered
     * ({@link #deliverPending}), these included.
     */
    public List<AlertEvaluator.Transition> evaluate(String deployment, List<Figure> figures) {
        requireNonNull(deployment, "deployment is null");
        requireNonNull(figures, "figures is null");
        for (Figure f : figures) {
            if (!f.name().startsWith(deployment + "/")) {
                throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "Figure [" + f.name()
                        + "] is not a figure of deployment [" + deployment + "]", Map.of("field", "figure"));
            }
        }
        Instant now = clock.instant();
        AlertEvaluator.Result result = store.transaction("evaluate the alerts of " + deployment, c -> {
            List<AlertRule> rules = new ArrayList<>();
            for (AlertStore.StoredRule stored : AlertStore.rules(c)) {
                if (appliesTo(stored.rule(), deployment)) {
                    rules.add(stored.rule());
                }
            }
            List<AlertEvaluator.State> states = store.lockedStates(c, deployment);
            AlertEvaluator.Result evaluated = AlertEvaluator.evaluate(rules, states, figures, Clock.fixed(now, clock.getZone()));
            AlertStore.writeFigures(c, deployment, figures);
            AlertStore.writeStates(c, deployment, evaluated.states(), now);
            for (AlertEvaluator.Transition t : evaluated.transitions()) {
                AlertStore.writeEvent(c, deployment, t);
            }
            return evaluated;
        });
        deliverPending();
        return result.transitions();
    }

    /**
     * Hands every stored transition not yet delivered to the delivery, oldest first, and marks each
     * once handed: an outbox, so a server stopped between a window's commit and its delivery
     * delivers it at its next evaluation or start (at least once: a stop between the hand-over and
     * the mark delivers it twice). The first that fails stops the round, keeping the order, and is
     * thrown; it is tried again next time.
     *
     * @return the transitions delivered
     */
    public synchronized int deliverPending() {
        int handed = 0;
        List<AlertStore.Event> pending;
        while (!(pending = store.undelivered(PENDING_BATCH)).isEmpty()) {
            for (AlertStore.Event e : pending) {
                delivery.deliver(e.transition());
                store.delivered(e.seq());
                handed++;
            }
        }
        return handed;
    }

    private static boolean appliesTo(AlertRule rule, String deployment) {
        String first = rule.figure().substring(0, rule.figure().indexOf('/'));
        return first.equals("*") || first.equals(deployment);
    }

    /**
     * The current alerts of every deployment, of one phase or all, firing first, then pending,
     * resolved, inactive; within a phase by rule, deployment and figure. States of removed rules are left out.
     */
    public List<Alert> list(Optional<AlertEvaluator.Phase> phase) {
        requireNonNull(phase, "phase is null");
        Map<String, AlertRule> rules = new LinkedHashMap<>();
        store.rules().forEach(s -> rules.put(s.rule().id(), s.rule()));
        List<Alert> out = new ArrayList<>();
        store.states().forEach((deployment, states) -> {
            for (AlertEvaluator.State state : states) {
                AlertRule rule = rules.get(state.ruleId());
                if (rule != null && rule.matches(state.figure()) && phase.map(p -> p == state.phase()).orElse(true)) {
                    out.add(new Alert(deployment, rule, state));
                }
            }
        });
        out.sort(Comparator.comparingInt((Alert a) -> order(a.state().phase())).thenComparing(a -> a.rule().id())
                .thenComparing(Alert::deployment).thenComparing(a -> a.state().figure()));
        return out;
    }

    private static int order(AlertEvaluator.Phase phase) {
        return switch (phase) {
            case FIRING -> 0;
            case PENDING -> 1;
            case RESOLVED -> 2;
            case INACTIVE -> 3;
        };
    }

    /**
     * Acknowledges the firing alerts of a rule (on one figure, or every figure it fires on when
     * {@code figure} is null), until they resolve. UNKNOWN_NAME for a rule that does not exist or
     * has no alert on the figure; INVALID_ARGUMENT when none of them fires, or {@code by} or
     * {@code note} is empty or too long. Returns the acknowledged alerts.
     */
    public List<Alert> ack(String ruleId, String figure, String by, String note) {
        requireNonNull(ruleId, "ruleId is null");
        Instant now = clock.instant();
        Clock fixed = Clock.fixed(now, clock.getZone());
        List<Alert> acknowledged = store.transaction("acknowledge alert rule " + ruleId, c -> {
            AlertRule rule = AlertStore.rules(c).stream().map(AlertStore.StoredRule::rule)
                    .filter(r -> r.id().equals(ruleId)).findFirst().orElseThrow(() -> unknownRule(ruleId));
            Map<String, List<AlertEvaluator.State>> all = store.allStates(c, true);
            List<Alert> done = new ArrayList<>();
            boolean known = false;
            List<AlertEvaluator.State> notFiring = null;
            for (Map.Entry<String, List<AlertEvaluator.State>> entry : all.entrySet()) {
                List<AlertEvaluator.State> states = entry.getValue();
                boolean selected = states.stream().anyMatch(s -> s.ruleId().equals(ruleId)
                        && (figure == null || s.figure().equals(figure)));
                if (!selected) {
                    continue;
                }
                known = true;
                boolean firing = states.stream().anyMatch(s -> s.ruleId().equals(ruleId)
                        && (figure == null || s.figure().equals(figure)) && s.phase() == AlertEvaluator.Phase.FIRING);
                if (!firing) {
                    notFiring = states;
                    continue;
                }
                List<AlertEvaluator.State> updated = AlertEvaluator.ack(states, ruleId, figure, by, note, fixed);
                AlertStore.writeStates(c, entry.getKey(), updated, now);
                for (int i = 0; i < updated.size(); i++) {
                    if (updated.get(i).acknowledgement() != states.get(i).acknowledgement()) {
                        done.add(new Alert(entry.getKey(), rule, updated.get(i)));
                    }
                }
            }
            if (!known) {
                // AlertEvaluator's own message and code for a rule without alerts (and its checks of by and note)
                AlertEvaluator.ack(List.of(), ruleId, figure, by, note, fixed);
            }
            if (done.isEmpty() && notFiring != null) {
                // AlertEvaluator's own refusal of an alert that is not firing (INVALID_ARGUMENT)
                AlertEvaluator.ack(notFiring, ruleId, figure, by, note, fixed);
            }
            return done;
        });
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("figures", acknowledged.stream().map(a -> a.state().figure()).toList());
        payload.put("note", note == null ? "" : note);
        audit.record(new AuditRecord(by, "alert.acknowledged", "alert_rule", ruleId, Json.parse(Json.write(payload)))).join();
        return acknowledged;
    }

    /** The newest {@code limit} transitions, newest first (see {@link AlertStore#events}). */
    public List<AlertStore.Event> history(Optional<String> deployment, int limit) {
        return store.events(deployment, limit);
    }

    private static Map<String, Object> ruleFields(AlertRule rule) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("figure", rule.figure());
        fields.put("comparison", rule.comparison().symbol());
        fields.put("threshold", rule.threshold());
        fields.put("for", rule.forWindows());
        fields.put("severity", rule.severity().label());
        return fields;
    }

    private static SeerException unknownRule(String id) {
        return new SeerException(MonitoringErrorCode.UNKNOWN_NAME, "No alert rule [" + id + "]", Map.of("rule", id));
    }
}
