package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.models.OutputKind;
import dev.seer.monitoring.watch.ClosedWindow;
import dev.seer.monitoring.watch.MonitoringOptions;
import dev.seer.monitoring.watch.OutputShape;
import dev.seer.monitoring.watch.ProfileUpdater;
import dev.seer.monitoring.watch.WatchedColumns;
import dev.seer.monitoring.watch.WindowStore;
import dev.seer.serving.log.LogOptions;
import dev.seer.serving.log.Prediction;
import dev.seer.serving.log.PredictionLog;
import dev.seer.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorFeedTest {
    static final Instant H9 = Instant.parse("2026-12-04T09:00:00Z");
    static final MonitoringOptions OPTIONS = MonitoringOptions.DEFAULTS;

    @TempDir
    Path home;

    final MutableClock clock = new MutableClock(H9);
    MetadataDatabase database;
    AuditLog audit;
    PredictionLog log;
    WindowStore store;
    final List<ClosedWindow> handed = new ArrayList<>();

    @BeforeEach
    void open() {
        database = MetadataDatabase.open(new MetadataConfig("", "", "", 4), home);
        audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
        log = PredictionLog.open(home.resolve("predictions"), LogOptions.DEFAULT.withSegmentBytes(8192), audit, clock);
        store = new WindowStore(database);
    }

    @AfterEach
    void close() {
        log.close();
        audit.close();
        database.close();
    }

    MonitorFeed feed() {
        // every model here is a binary classifier but "churn-reg", a regression
        return new MonitorFeed(log, store, new ProfileUpdater(store, OPTIONS),
                p -> p.model().equals("churn-reg") ? OutputKind.VALUE : OutputKind.PROBABILITY, OPTIONS, handed::add, clock);
    }

    /** Appends, one request per append: an answered prediction of {@code arm} and, for every third, a shadow beside it. */
    void append(String deployment, String arm, Instant time, double spend) {
        String id = log.nextId();
        List<Prediction> request = new ArrayList<>();
        request.add(prediction(id, deployment, arm, time, spend, false, Optional.empty()));
        if ((long) spend % 3 == 0) {
            request.add(prediction(log.nextId(), deployment, "shadow", time, spend, true, Optional.of(id)));
        }
        log.append(request).join();
    }

    static Prediction prediction(String id, String deployment, String arm, Instant time, double spend, boolean shadow,
            Optional<String> shadowOf) {
        return new Prediction(id, time, deployment, arm, "churn-xgb", 1, Map.of("customer_id", "c1"),
                List.of(Prediction.Feature.given("spend", spend), Prediction.Feature.given("tenure", spend / 2)),
                new double[] {spend / 100}, 120, shadow, "", shadowOf);
    }

    /** {@code n} champion predictions of {@code deployment} spread over the hour starting at {@code hour}. */
    void fill(String deployment, Instant hour, int n) {
        for (int i = 0; i < n; i++) {
            append(deployment, "champion", hour.plusSeconds(60 + i * 300L), i);
        }
    }

    @Test
    void aWindowWhoseJudgementFailedIsJudgedAgainAtTheNextTickOnceAndAHyphenatedDeploymentIsWatched() {
        List<String> judged = new ArrayList<>();
        int[] failures = {1};
        MonitorFeed feed = new MonitorFeed(log, store, new ProfileUpdater(store, OPTIONS), p -> OutputKind.PROBABILITY,
                OPTIONS, w -> {
                    if (failures[0]-- > 0) {
                        throw new IllegalStateException("the metadata store blinked");
                    }
                    judged.add(w.deployment() + "@" + w.start() + "x" + w.rows());
                }, clock);
        fill("fraud-v2", H9, 4);
        Instant closed = H9.plus(Duration.ofHours(1)).plusSeconds(11);
        assertThat(feed.tick(closed)).hasSize(1);
        assertThat(judged).as("the first judgement failed").isEmpty();
        assertThat(store.window("fraud-v2", H9)).as("stored all the same").isPresent();
        feed.tick(closed.plusSeconds(1));
        assertThat(judged).containsExactly("fraud-v2@" + H9 + "x4");
        feed.tick(closed.plusSeconds(2));
        assertThat(judged).as("judged once").hasSize(1);
        assertThat(feed.skipped()).isZero();
    }

    @Test
    void eachWindowHoldsTheChampionsAnsweredPredictionsOnceAcrossARestart() {
        MonitorFeed before = feed();
        fill("churn", H9, 5);
        append("churn", "challenger", H9.plusSeconds(30), 7);
        fill("fraud", H9, 2);
        assertThat(before.tick(H9.plusSeconds(1800))).isEmpty();
        assertThat(before.tick(H9.plusSeconds(1801))).isEmpty();

        fill("churn", H9.plus(Duration.ofHours(1)), 7);
        // 10:00:05: churn's 09:00 window closed by its first 10:00 prediction, fraud's by the clock after its grace
        assertThat(before.tick(H9.plus(Duration.ofHours(1)).plusSeconds(5))).extracting(ClosedWindow::deployment,
                ClosedWindow::rows).containsExactly(tuple("churn", 5L));
        assertThat(before.tick(H9.plus(Duration.ofHours(1)).plusSeconds(10))).extracting(ClosedWindow::deployment,
                ClosedWindow::rows).containsExactly(tuple("fraud", 2L));
        ClosedWindow churn9 = store.window("churn", H9).orElseThrow();
        assertThat(churn9.columns()).isEqualTo(new WatchedColumns(List.of("spend", "tenure"), OutputShape.SCORE));
        assertThat(churn9.reservoir().column(2)).containsExactly(0, 0.01, 0.02, 0.03, 0.04);
        before.close(); // "crash": churn's 10:00 window was open, never stored

        fill("churn", H9.plus(Duration.ofHours(2)), 3); // appended while no feed ran
        clock.set(H9.plus(Duration.ofHours(3)).plusSeconds(30));
        handed.clear();
        MonitorFeed after = feed();
        List<ClosedWindow> rebuilt = after.tick(clock.instant());
        assertThat(rebuilt).extracting(ClosedWindow::deployment, ClosedWindow::start, ClosedWindow::rows).containsExactly(
                tuple("churn", H9.plus(Duration.ofHours(1)), 7L),
                tuple("churn", H9.plus(Duration.ofHours(2)), 3L));
        assertThat(handed).isEqualTo(rebuilt);
        assertThat(after.tick(clock.instant().plusSeconds(1))).as("nothing twice").isEmpty();

        assertThat(store.between("churn", H9, H9.plus(Duration.ofDays(1)))).extracting(ClosedWindow::rows)
                .containsExactly(5L, 7L, 3L);
        assertThat(store.between("fraud", H9, H9.plus(Duration.ofDays(1)))).extracting(ClosedWindow::rows)
                .containsExactly(2L);

        // the live feed goes on from where catching up stopped
        append("churn", "champion", clock.instant().plusSeconds(1), 1);
        append("churn", "champion", H9.plus(Duration.ofMinutes(90)), 1); // a straggler of a stored window: late, dropped
        after.tick(clock.instant().plusSeconds(2));
        assertThat(after.late()).isEqualTo(1);
        List<ClosedWindow> ahead = after.tick(H9.plus(Duration.ofHours(5)));
        assertThat(ahead).extracting(ClosedWindow::start, ClosedWindow::rows).containsExactly(
                tuple(H9.plus(Duration.ofHours(3)), 1L));
    }

    @Test
    void catchingUpReachesNoFurtherBackThanItsBound() {
        fill("churn", H9, 4);
        clock.set(H9.plus(Duration.ofDays(8)));
        fill("churn", clock.instant(), 2);
        MonitorFeed feed = feed();
        List<ClosedWindow> closed = feed.tick(clock.instant().plus(Duration.ofHours(2)));
        assertThat(closed).extracting(ClosedWindow::rows).containsExactly(2L);
        assertThat(store.window("churn", H9)).isEmpty();
    }

    @Test
    void outputsReduceToOneValuePerPrediction() {
        assertThat(MonitorFeed.output(OutputKind.PROBABILITY, new double[] {0.8})).isEqualTo(0.8);
        assertThat(MonitorFeed.output(OutputKind.PROBABILITY, new double[] {0.2, 0.8})).isEqualTo(0.8);
        assertThat(MonitorFeed.output(OutputKind.VALUE, new double[] {41.5})).isEqualTo(41.5);
        assertThat(MonitorFeed.output(OutputKind.CLASS_PROBABILITIES, new double[] {0.2, 0.5, 0.3})).isEqualTo(1);
    }
}
