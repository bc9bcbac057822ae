package dev.seer.monitoring.alert;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertRule.Severity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates alert rules when a window closes. Pure: the states go in, the new states and the
 * transitions come out, and the only time read is the clock passed in (stamped on transitions and
 * acknowledgements), so the server can persist states, replay a window and get the same answer.
 *
 * <p>The state machine follows Prometheus's alerting rules (inactive, pending, firing), counted in
 * windows: a window where the rule holds adds one to its run; the run reaching {@code for} fires;
 * a window where it does not hold ends the run (a firing alert resolves, a pending one goes back
 * to inactive). A NO_DATA window, or a window where a tracked figure is absent, is neither: the
 * state and the run are kept and the {@code noData} flag is set, so a monitor that stops receiving
 * data does not silently resolve its alerts, nor fire new ones. A figure of a window that is not
 * later than the state's last window is ignored, so evaluating the same window twice is harmless.
 * Each figure a pattern rule matches has its own state, keyed by rule id and figure name.
 */
public final class AlertEvaluator {
    public enum Phase { INACTIVE, PENDING, FIRING, RESOLVED }

    /** Who acknowledged a firing alert, when and why; cleared when the alert resolves. */
    public record Acknowledgement(String by, String note, Instant at) {
        public Acknowledgement {
            requireNonNull(by, "by is null");
            requireNonNull(note, "note is null");
            requireNonNull(at, "at is null");
        }
    }

    /**
     * The state of one rule on one figure. {@code run} counts the consecutive windows with data
     * where the rule held; {@code since} is when the phase was entered; {@code lastWindowEnd} the
     * end of the last window evaluated (null before the first).
     */
    public record State(String ruleId, String figure, Phase phase, int run, boolean noData, double lastValue,
            Instant since, Instant lastWindowEnd, Acknowledgement acknowledgement) {
        public State {
            requireNonNull(ruleId, "ruleId is null");
            requireNonNull(figure, "figure is null");
            requireNonNull(phase, "phase is null");
            if (run < 0) {
                throw new IllegalArgumentException("run is negative");
            }
            if (acknowledgement != null && phase != Phase.FIRING) {
                throw new IllegalArgumentException("only a firing alert is acknowledged");
            }
        }

        static State initial(String ruleId, String figure) {
            return new State(ruleId, figure, Phase.INACTIVE, 0, false, Double.NaN, null, null, null);
        }

        public boolean acknowledged() {
            return acknowledgement != null;
        }

        String key() {
            return ruleId + '\n' + figure;
        }
    }

    /** A change of phase, for the log, the audit trail and webhooks. Carries no secrets: no URLs, no credentials. */
    public record Transition(String ruleId, String figure, Phase from, Phase to, double value, String comparison,
            double threshold, int forWindows, Severity severity, Instant windowStart, Instant windowEnd, Instant at) {
        public Transition {
            requireNonNull(ruleId, "ruleId is null");
            requireNonNull(figure, "figure is null");
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(severity, "severity is null");
            requireNonNull(at, "at is null");
        }

        /** The webhook payload: a flat JSON object with sorted keys, schema version 1. */
        public String toJson() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("version", 1);
            fields.put("rule", ruleId);
            fields.put("figure", figure);
            fields.put("from", from.name().toLowerCase(Locale.ROOT));
            fields.put("to", to.name().toLowerCase(Locale.ROOT));
            fields.put("value", value);
            fields.put("comparison", comparison);
            fields.put("threshold", threshold);
            fields.put("for", forWindows);
            fields.put("severity", severity.label());
            fields.put("window_start", windowStart.toString());
            fields.put("window_end", windowEnd.toString());
            fields.put("at", at.toString());
            return Json.write(fields);
        }
    }

    /** The states after a window (sorted by rule id, then figure) and the transitions it caused, in the same order. */
    public record Result(List<State> states, List<Transition> transitions) {
        public Result {
            states = List.copyOf(states);
            transitions = List.copyOf(transitions);
        }
    }

    private AlertEvaluator() {}

    /**
     * Evaluates {@code rules} on the figures of one closed window. States of rules no longer in
     * {@code rules} are dropped; figures no rule matches are ignored.
     */
    public static Result evaluate(List<AlertRule> rules, Collection<State> states, Collection<Figure> figures, Clock clock) {
        requireNonNull(rules, "rules is null");
        requireNonNull(states, "states is null");
        requireNonNull(figures, "figures is null");
        requireNonNull(clock, "clock is null");
        Instant now = clock.instant();
        Map<String, Figure> byName = new HashMap<>();
        for (Figure figure : figures) {
            if (byName.put(figure.name(), figure) != null) {
                throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT,
                        "Figure [" + figure.name() + "] appears twice in one window", Map.of("figure", figure.name()));
            }
        }
        Map<String, AlertRule> rulesById = new HashMap<>();
        for (AlertRule rule : rules) {
            if (rulesById.put(rule.id(), rule) != null) {
                throw Errors.invalid("id", "[" + rule.id() + "] is used by two rules");
            }
        }
        TreeMap<String, State> next = new TreeMap<>();
        for (State state : states) {
            if (rulesById.containsKey(state.ruleId()) && rulesById.get(state.ruleId()).matches(state.figure())) {
                next.put(state.key(), state);
            }
        }
        for (AlertRule rule : rules) {
            for (Figure figure : byName.values()) {
                if (rule.matches(figure.name())) {
                    next.putIfAbsent(rule.id() + '\n' + figure.name(), State.initial(rule.id(), figure.name()));
                }
            }
        }
        List<State> out = new ArrayList<>(next.size());
        List<Transition> transitions = new ArrayList<>();
        for (State state : next.values()) {
            Figure figure = byName.get(state.figure());
            State updated = step(rulesById.get(state.ruleId()), state, figure, now, transitions);
            out.add(updated);
        }
        return new Result(out, transitions);
    }

    private static State step(AlertRule rule, State state, Figure figure, Instant now, List<Transition> transitions) {
        if (figure == null || figure.status() == Figure.Status.NO_DATA) {
            return withNoData(state);
        }
        if (state.lastWindowEnd() != null && !figure.windowEnd().isAfter(state.lastWindowEnd())) {
            return state; // this window (or an older one) was already evaluated
        }
        boolean holds = rule.holds(figure.value());
        int run = holds ? state.run() + 1 : 0;
        Phase to;
        if (holds) {
            to = run >= rule.forWindows() ? Phase.FIRING : Phase.PENDING;
        } else {
            to = state.phase() == Phase.FIRING || state.phase() == Phase.RESOLVED ? Phase.RESOLVED : Phase.INACTIVE;
        }
        boolean changed = to != state.phase();
        if (changed) {
            transitions.add(new Transition(rule.id(), figure.name(), state.phase(), to, figure.value(),
                    rule.comparison().symbol(), rule.threshold(), rule.forWindows(), rule.severity(),
                    figure.windowStart(), figure.windowEnd(), now));
        }
        return new State(rule.id(), figure.name(), to, run, false, figure.value(), changed ? now : state.since(),
                figure.windowEnd(), to == Phase.FIRING ? state.acknowledgement() : null);
    }

    private static State withNoData(State state) {
        return new State(state.ruleId(), state.figure(), state.phase(), state.run(), true, state.lastValue(),
                state.since(), state.lastWindowEnd(), state.acknowledgement());
    }

    /** Longest {@code by} and {@code note} of an acknowledgement, in characters (each at most 3 bytes in the saved form). */
    static final int MAX_BY = 200;
    static final int MAX_NOTE = 4000;

    /**
     * Acknowledges the firing alerts of rule {@code ruleId} (every figure of a pattern rule, or only
     * {@code figure} when it is not null). The acknowledgement lasts until the alert resolves.
     * UNKNOWN_NAME when the rule has no state; INVALID_ARGUMENT when none of its alerts is firing.
     */
    public static List<State> ack(Collection<State> states, String ruleId, String figure, String by, String note, Clock clock) {
        requireNonNull(states, "states is null");
        requireNonNull(ruleId, "ruleId is null");
        requireNonNull(clock, "clock is null");
        if (by == null || by.isBlank()) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "An acknowledgement names who gives it ([by] is empty)",
                    Map.of("field", "by"));
        }
        // bounded: the saved states write each as a modified-UTF-8 string, which holds at most 65,535 bytes
        if (by.length() > MAX_BY) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "[by] is longer than " + MAX_BY + " characters",
                    Map.of("field", "by"));
        }
        if (note != null && note.length() > MAX_NOTE) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "[note] is longer than " + MAX_NOTE
                    + " characters", Map.of("field", "note"));
        }
        Acknowledgement acknowledgement = new Acknowledgement(by, note == null ? "" : note, clock.instant());
        List<State> out = new ArrayList<>(states.size());
        boolean known = false;
        int acknowledged = 0;
        for (State state : states) {
            boolean selected = state.ruleId().equals(ruleId) && (figure == null || state.figure().equals(figure));
            known |= selected;
            if (selected && state.phase() == Phase.FIRING) {
                acknowledged++;
                state = new State(state.ruleId(), state.figure(), state.phase(), state.run(), state.noData(), state.lastValue(),
                        state.since(), state.lastWindowEnd(), acknowledgement);
            }
            out.add(state);
        }
        String target = "[" + ruleId + "]" + (figure == null ? "" : " on figure [" + figure + "]");
        if (!known) {
            throw new SeerException(MonitoringErrorCode.UNKNOWN_NAME, "No alert of rule " + target, Map.of("rule", ruleId));
        }
        if (acknowledged == 0) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "Alert rule " + target + " is not firing; only a firing alert is acknowledged",
                    Map.of("rule", ruleId));
        }
        return out;
    }

    /** The versioned byte form of states, for the server to store. */
    public static byte[] encode(Collection<State> states) {
        return StateCodec.encode(states);
    }

    /** Reads {@link #encode}'s form back; anything else is CORRUPT_STATE. */
    public static List<State> decode(byte[] bytes) {
        return StateCodec.decode(bytes);
    }
}
