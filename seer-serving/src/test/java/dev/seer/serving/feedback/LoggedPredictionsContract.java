package dev.seer.serving.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.models.OutputKind;
import dev.seer.serving.feedback.LoggedPredictions.Logged;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What feedback relies on from the prediction log, for every implementation of {@link
 * LoggedPredictions} to pass: a subclass logs the given predictions in its backend and returns its
 * port over them. {@link FakeLogTest} runs it against the tests' fake.
 */
public abstract class LoggedPredictionsContract {
    protected static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    protected static final Map<String, String> ALICE = Map.of("customer_id", "42");

    /** One prediction to log: what it was, for which entity, and the answered prediction it shadows (if a shadow). */
    protected record Made(Logged prediction, Map<String, String> entity, Optional<String> shadowOf) {}

    /** Logs {@code made}, in order, and returns the port over the log. */
    protected abstract LoggedPredictions log(List<Made> made);

    private final Logged first = answered("pred_1", "churn", "champion", T0, 0.2);
    private final Logged second = answered("pred_2", "churn", "challenger", T0.plus(Duration.ofHours(1)), 0.7);
    private final Logged shadow = new Logged("pred_3", T0.plus(Duration.ofHours(1)), "churn", "shadow", "churn", 9,
            OutputKind.PROBABILITY, new double[] {0.4});
    private final Logged otherDeployment = answered("pred_4", "churn-eu", "champion", T0.plus(Duration.ofHours(2)), 0.9);
    private final Logged otherEntity = answered("pred_5", "churn", "champion", T0.plus(Duration.ofHours(2)), 0.9);
    private final Logged widerEntity = answered("pred_6", "churn", "champion", T0.plus(Duration.ofHours(2)), 0.9);
    private final Logged multiclass = new Logged("pred_7", T0.plus(Duration.ofHours(3)), "tier", "champion", "tier", 2,
            OutputKind.CLASS_PROBABILITIES, new double[] {0.1, 0.6, 0.3});
    private LoggedPredictions log;

    private static Logged answered(String id, String deployment, String arm, Instant time, double p) {
        return new Logged(id, time, deployment, arm, "churn", 3, OutputKind.PROBABILITY, new double[] {p});
    }

    @BeforeEach
    void logThem() {
        log = log(List.of(
                new Made(first, ALICE, Optional.empty()),
                new Made(second, ALICE, Optional.empty()),
                new Made(shadow, ALICE, Optional.of(second.id())),
                new Made(otherDeployment, ALICE, Optional.empty()),
                new Made(otherEntity, Map.of("customer_id", "7"), Optional.empty()),
                new Made(widerEntity, Map.of("customer_id", "42", "region", "eu"), Optional.empty()),
                new Made(multiclass, ALICE, Optional.empty())));
    }

    private static void assertSame(Optional<Logged> found, Logged expected) {
        assertThat(found).isPresent();
        Logged l = found.get();
        assertThat(l.id()).isEqualTo(expected.id());
        assertThat(l.time()).isEqualTo(expected.time());
        assertThat(l.deployment()).isEqualTo(expected.deployment());
        assertThat(l.arm()).isEqualTo(expected.arm());
        assertThat(l.model()).isEqualTo(expected.model());
        assertThat(l.version()).isEqualTo(expected.version());
        assertThat(l.kind()).isEqualTo(expected.kind());
        assertThat(l.output()).containsExactly(expected.output());
    }

    @Test
    void aPredictionIsFoundByItsIdAsItWasLogged() {
        assertSame(log.byId(first.id()), first);
        assertSame(log.byId(multiclass.id()), multiclass);
        assertSame(log.byId(shadow.id()), shadow);
        assertThat(log.byId("pred_unknown")).isEmpty();
    }

    @Test
    void theLatestAnsweredPredictionOfTheDeploymentForExactlyThatEntityAtOrBeforeTheTime() {
        assertSame(log.latestBefore(ALICE, "churn", T0.plus(Duration.ofMinutes(59))), first);
        assertSame(log.latestBefore(ALICE, "churn", T0.plus(Duration.ofHours(1))), second); // at counts; the shadow never
        assertSame(log.latestBefore(ALICE, "churn", T0.plus(Duration.ofDays(30))), second); // not other deployments or entities
        assertSame(log.latestBefore(ALICE, "churn-eu", T0.plus(Duration.ofDays(30))), otherDeployment);
        assertThat(log.latestBefore(ALICE, "churn", T0.minusNanos(1000))).isEmpty();
        assertThat(log.latestBefore(Map.of("customer_id", "8"), "churn", T0.plus(Duration.ofDays(30)))).isEmpty();
        assertThat(log.latestBefore(ALICE, "nothing", T0.plus(Duration.ofDays(30)))).isEmpty();
    }

    @Test
    void theShadowsOfAnAnsweredPrediction() {
        assertThat(log.shadowsOf(second.id())).singleElement().satisfies(l -> assertSame(Optional.of(l), shadow));
        assertThat(log.shadowsOf(first.id())).isEmpty();
        assertThat(log.shadowsOf("pred_unknown")).isEmpty();
    }
}
