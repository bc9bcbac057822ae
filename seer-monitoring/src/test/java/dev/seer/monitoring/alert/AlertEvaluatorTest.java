package dev.seer.monitoring.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertEvaluator.Phase;
import dev.seer.monitoring.alert.AlertEvaluator.Result;
import dev.seer.monitoring.alert.AlertEvaluator.State;
import dev.seer.monitoring.alert.AlertEvaluator.Transition;
import dev.seer.monitoring.alert.AlertRule.Comparison;
import dev.seer.monitoring.alert.AlertRule.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state machine window by window: persistence, resolution, no data, acknowledgement, patterns, byte form. */
class AlertEvaluatorTest {
    private static final Instant START = Instant.parse("2026-12-04T00:00:00Z");
    private static final String SPEND = "churn/drift/spend/wasserstein_normed";
    private static final String AGE = "churn/drift/age/wasserstein_normed";
    private static final AlertRule PERSISTENT = new AlertRule("spend-drift", SPEND, Comparison.GT, 0.1, 3, Severity.CRITICAL);

    private List<State> states = List.of();
    private int window;

    private static Instant windowStart(int window) {
        return START.plus(Duration.ofHours(window));
    }

    private static Clock clockAt(int window) {
        return Clock.fixed(windowStart(window + 1).plusSeconds(5), ZoneOffset.UTC);
    }

    private static Figure ok(String name, int window, double value) {
        return Figure.ok(name, windowStart(window), windowStart(window + 1), value);
    }

    /** Evaluates the next window with the figures given as name/value pairs (a null value is NO_DATA). */
    private Result next(List<AlertRule> rules, Object... namesAndValues) {
        List<Figure> figures = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            Double value = (Double) namesAndValues[i + 1];
            figures.add(value == null ? Figure.noData(name, windowStart(window), windowStart(window + 1)) : ok(name, window, value));
        }
        Result result = AlertEvaluator.evaluate(rules, states, figures, clockAt(window));
        states = result.states();
        window++;
        return result;
    }

    private State only() {
        assertThat(states).hasSize(1);
        return states.get(0);
    }

    @Test
    void firesOnTheThirdConsecutiveWindowNotBefore() {
        List<AlertRule> rules = List.of(PERSISTENT);
        assertThat(next(rules, SPEND, 0.2).transitions()).singleElement()
                .extracting(Transition::from, Transition::to).containsExactly(Phase.INACTIVE, Phase.PENDING);
        assertThat(only().run()).isEqualTo(1);
        assertThat(next(rules, SPEND, 0.3).transitions()).isEmpty();
        assertThat(only().phase()).isEqualTo(Phase.PENDING);

        Result third = next(rules, SPEND, 0.15);

        assertThat(only().phase()).isEqualTo(Phase.FIRING);
        Transition fired = third.transitions().get(0);
        assertThat(fired.from()).isEqualTo(Phase.PENDING);
        assertThat(fired.to()).isEqualTo(Phase.FIRING);
        assertThat(fired.value()).isEqualTo(0.15);
        assertThat(fired.windowStart()).isEqualTo(windowStart(2));
        assertThat(fired.at()).isEqualTo(clockAt(2).instant());
        assertThat(only().since()).isEqualTo(clockAt(2).instant());
        assertThat(next(rules, SPEND, 0.4).transitions()).as("still firing, no new transition").isEmpty();
    }

    @Test
    void aFalseWindowResetsTheRunBeforeItFires() {
        List<AlertRule> rules = List.of(PERSISTENT);
        next(rules, SPEND, 0.2);
        next(rules, SPEND, 0.2);
        assertThat(next(rules, SPEND, 0.05).transitions()).singleElement()
                .extracting(Transition::from, Transition::to).containsExactly(Phase.PENDING, Phase.INACTIVE);
        next(rules, SPEND, 0.2);
        next(rules, SPEND, 0.2);
        assertThat(only().phase()).isEqualTo(Phase.PENDING);
        next(rules, SPEND, 0.2);
        assertThat(only().phase()).isEqualTo(Phase.FIRING);
    }

    @Test
    void resolvesOnTheFirstWindowWhereTheRuleNoLongerHolds() {
        List<AlertRule> rules = List.of(new AlertRule("auc-low", "churn/performance/estimated/roc_auc", Comparison.LE, 0.7));
        assertThat(next(rules, "churn/performance/estimated/roc_auc", 0.7).transitions()).singleElement()
                .extracting(Transition::from, Transition::to).containsExactly(Phase.INACTIVE, Phase.FIRING);

        Result resolved = next(rules, "churn/performance/estimated/roc_auc", 0.71);

        assertThat(resolved.transitions()).singleElement().extracting(Transition::from, Transition::to)
                .containsExactly(Phase.FIRING, Phase.RESOLVED);
        assertThat(only().phase()).isEqualTo(Phase.RESOLVED);
        assertThat(next(rules, "churn/performance/estimated/roc_auc", 0.8).transitions()).isEmpty();
        assertThat(next(rules, "churn/performance/estimated/roc_auc", 0.5).transitions()).singleElement()
                .extracting(Transition::from, Transition::to).containsExactly(Phase.RESOLVED, Phase.FIRING);
    }

    @Test
    void noDataWindowsNeitherFireNorResolve() {
        List<AlertRule> rules = List.of(PERSISTENT);
        next(rules, SPEND, 0.2);
        next(rules, SPEND, 0.2);
        assertThat(next(rules, SPEND, null).transitions()).isEmpty();
        assertThat(only()).extracting(State::phase, State::run, State::noData).containsExactly(Phase.PENDING, 2, true);
        assertThat(next(rules).transitions()).as("an absent figure is no data too").isEmpty();
        assertThat(only().phase()).isEqualTo(Phase.PENDING);

        next(rules, SPEND, 0.2);
        assertThat(only()).extracting(State::phase, State::noData).containsExactly(Phase.FIRING, false);
        for (int i = 0; i < 5; i++) {
            assertThat(next(rules, SPEND, null).transitions()).isEmpty();
        }
        assertThat(only()).extracting(State::phase, State::noData).containsExactly(Phase.FIRING, true);
        assertThat(only().lastValue()).isEqualTo(0.2);
    }

    @Test
    void anAcknowledgementLastsUntilTheAlertResolves() {
        List<AlertRule> rules = List.of(new AlertRule("spend", SPEND, Comparison.GT, 0.1));
        next(rules, SPEND, 0.2);
        Clock ackClock = Clock.fixed(windowStart(1).plusSeconds(60), ZoneOffset.UTC);

        states = AlertEvaluator.ack(states, "spend", null, "ana", "looking into the new campaign", ackClock);

        assertThat(only().acknowledged()).isTrue();
        assertThat(only().acknowledgement().by()).isEqualTo("ana");
        assertThat(only().acknowledgement().at()).isEqualTo(ackClock.instant());
        next(rules, SPEND, 0.3);
        assertThat(only().acknowledged()).as("still firing, still acknowledged").isTrue();
        next(rules, SPEND, 0.05);
        assertThat(only()).extracting(State::phase, State::acknowledged).containsExactly(Phase.RESOLVED, false);
        next(rules, SPEND, 0.3);
        assertThat(only()).extracting(State::phase, State::acknowledged).containsExactly(Phase.FIRING, false);
    }

    @Test
    void onlyAFiringAlertOfAKnownRuleIsAcknowledged() {
        List<AlertRule> rules = List.of(PERSISTENT);
        next(rules, SPEND, 0.2);
        Clock clock = clockAt(5);

        assertThatThrownBy(() -> AlertEvaluator.ack(states, "spend-drift", null, "ana", "", clock))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("[spend-drift] is not firing");
        assertThatThrownBy(() -> AlertEvaluator.ack(states, "nope", null, "ana", "", clock))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME));
        assertThatThrownBy(() -> AlertEvaluator.ack(states, "spend-drift", null, "ana", "x".repeat(AlertEvaluator.MAX_NOTE + 1),
                clock)).isInstanceOf(SeerException.class).hasMessageContaining("[note]");
        assertThatThrownBy(() -> AlertEvaluator.ack(states, "spend-drift", null, " ", "", clock))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.details()).containsEntry("field", "by"));
    }

    @Test
    void aPatternRuleTracksEachMatchingFigureSeparately() {
        List<AlertRule> rules = List.of(new AlertRule("any-drift", "churn/drift/*/wasserstein_normed", Comparison.GE, 0.1, 2, Severity.WARNING));
        String otherStatistic = "churn/drift/spend/psi";
        next(rules, SPEND, 0.2, AGE, 0.01, otherStatistic, 9.0);
        next(rules, SPEND, 0.2, AGE, 0.3, otherStatistic, 9.0);

        assertThat(states).extracting(State::figure, State::phase, State::run)
                .containsExactly(tuple(AGE, Phase.PENDING, 1),
                        tuple(SPEND, Phase.FIRING, 2));
        Result third = next(rules, SPEND, 0.01, AGE, 0.3);
        assertThat(third.transitions()).extracting(Transition::figure, Transition::to)
                .containsExactly(tuple(AGE, Phase.FIRING),
                        tuple(SPEND, Phase.RESOLVED));

        states = AlertEvaluator.ack(states, "any-drift", AGE, "ana", "", clockAt(9));
        assertThat(states).extracting(State::figure, State::acknowledged)
                .containsExactly(tuple(AGE, true), tuple(SPEND, false));
    }

    @Test
    void evaluatingTheSameWindowTwiceChangesNothing() {
        List<AlertRule> rules = List.of(PERSISTENT);
        List<Figure> figures = List.of(ok(SPEND, 0, 0.2));
        Result first = AlertEvaluator.evaluate(rules, List.of(), figures, clockAt(0));
        Result again = AlertEvaluator.evaluate(rules, first.states(), figures, clockAt(0).withZone(ZoneOffset.UTC));

        assertThat(again.transitions()).isEmpty();
        assertThat(again.states()).isEqualTo(first.states());
        assertThat(AlertEvaluator.evaluate(rules, List.of(), figures, clockAt(0))).isEqualTo(first);
    }

    @Test
    void statesOfARemovedRuleAreDroppedAndDuplicateFiguresRefused() {
        next(List.of(PERSISTENT), SPEND, 0.2);
        assertThat(next(List.of(), SPEND, 0.2).states()).isEmpty();

        assertThatThrownBy(() -> AlertEvaluator.evaluate(List.of(PERSISTENT), List.of(), List.of(ok(SPEND, 0, 0.1), ok(SPEND, 0, 0.2)), clockAt(0)))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("[" + SPEND + "] appears twice");
    }

    @Test
    void statesReadBackFromTheirByteForm() {
        List<AlertRule> rules = List.of(new AlertRule("any-drift", "churn/drift/*/wasserstein_normed", Comparison.GT, 0.1, 2, Severity.INFO));
        next(rules, SPEND, 0.2, AGE, 0.2);
        next(rules, SPEND, 0.2, AGE, null);
        states = AlertEvaluator.ack(states, "any-drift", SPEND, "ana", "née à Zürich", clockAt(7));

        byte[] bytes = AlertEvaluator.encode(states);

        assertThat(AlertEvaluator.decode(bytes)).isEqualTo(states);
        assertThat(AlertEvaluator.decode(AlertEvaluator.encode(List.of()))).isEmpty();
        for (byte[] corrupt : List.of(new byte[0], Arrays.copyOf(bytes, bytes.length - 1), Arrays.copyOf(bytes, bytes.length + 1),
                new byte[] {'S', 'A', 2, 0, 0, 0, 0}, new byte[] {'S', 'D', 1, 0, 0, 0, 0})) {
            assertThatThrownBy(() -> AlertEvaluator.decode(corrupt))
                    .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.CORRUPT_STATE));
        }
        byte[] badPhase = bytes.clone();
        int phaseAt = 3 + 4 + 2 + "any-drift".length() + 2 + AGE.length();
        badPhase[phaseAt] = 9;
        assertThatThrownBy(() -> AlertEvaluator.decode(badPhase)).hasMessageContaining("phase [9]");
    }
}
