package dev.seer.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.store.SqlDatabase;
import dev.seer.core.store.SqlDialect;
import dev.seer.monitoring.MonitoringErrorCode;
import java.sql.Connection;
import java.sql.SQLException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileUpdaterTest extends MetadataBackend {
    static final Instant H9 = Instant.parse("2026-12-01T09:00:00Z");
    static final WatchedColumns COLUMNS = new WatchedColumns(List.of("spend", "tenure"), OutputShape.SCORE);
    static final MonitoringOptions OPTIONS = new MonitoringOptions(Duration.ofHours(1), Duration.ofSeconds(10), 50,
            Duration.ofDays(7));

    WindowStore store;

    ProfileUpdaterTest() {
        super(Kind.SQLITE);
    }

    ProfileUpdater updater() {
        if (store == null) {
            store = new WindowStore(openDatabase());
        }
        return new ProfileUpdater(store, OPTIONS);
    }

    static Observation at(String deployment, Instant time, double spend) {
        return new Observation(deployment, time, new double[] {spend, spend * 2}, spend / 100);
    }

    @Test
    void windowsAreWholeEpochAlignedHoursClosedOnlyOnceTheirGraceHasPassed() {
        ProfileUpdater u = updater();
        for (int i = 0; i < 30; i++) {
            u.observe(COLUMNS, at("churn", H9.plusSeconds(20 + i * 60L), i));
        }
        u.observe(COLUMNS, at("fraud", H9.plusSeconds(3599), 1));

        assertThat(u.open("churn").orElseThrow().rows()).isEqualTo(30);
        assertThat(u.open("churn").orElseThrow().start()).isEqualTo(H9);
        assertThat(u.closeDue(H9.plus(Duration.ofHours(1)).plusSeconds(9))).isEmpty();
        assertThat(store.window("churn", H9)).isEmpty();

        List<ClosedWindow> closed = u.closeDue(H9.plus(Duration.ofHours(1)).plusSeconds(10));
        assertThat(closed).extracting(ClosedWindow::deployment, ClosedWindow::rows).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("churn", 30L), org.assertj.core.groups.Tuple.tuple("fraud", 1L));
        ClosedWindow churn = store.window("churn", H9).orElseThrow();
        assertThat(churn.end()).isEqualTo(H9.plus(Duration.ofHours(1)));
        assertThat(churn.profile().numeric("spend").count()).isEqualTo(30);
        assertThat(churn.profile().numeric("spend").max()).isEqualTo(29);
        assertThat(churn.reservoir().size()).isEqualTo(30);
        assertThat(u.open("churn")).isEmpty();
        assertThat(u.closeDue(H9.plus(Duration.ofHours(5)))).as("each window is handed out once").isEmpty();
        assertThat(store.lastClosedEnd("churn")).contains(H9.plus(Duration.ofHours(1)));
    }

    @Test
    void anObservationOfALaterWindowClosesTheOpenOneAndOneOfAClosedWindowIsLate() {
        ProfileUpdater u = updater();
        u.observe(COLUMNS, at("churn", H9.plusSeconds(10), 1));
        u.observe(COLUMNS, at("churn", H9.plusSeconds(20), 2));
        u.observe(COLUMNS, at("churn", H9.plus(Duration.ofMinutes(150)), 3)); // 11:30: skips the empty 10:00 window
        u.observe(COLUMNS, at("churn", H9.plusSeconds(30), 4)); // its window closed
        u.observe(COLUMNS, at("churn", H9.plus(Duration.ofMinutes(70)), 5)); // 10:10, before the open 11:00 window

        assertThat(u.late()).isEqualTo(2);
        assertThat(store.window("churn", H9).orElseThrow().rows()).as("stored as it closed").isEqualTo(2);
        assertThat(u.open("churn").orElseThrow().start()).isEqualTo(H9.plus(Duration.ofHours(2)));
        assertThat(u.open("churn").orElseThrow().rows()).isEqualTo(1);
        List<ClosedWindow> closed = u.closeDue(H9.plus(Duration.ofHours(2)));
        assertThat(closed).extracting(ClosedWindow::start).containsExactly(H9);
        assertThat(store.between("churn", H9, H9.plus(Duration.ofDays(1)))).hasSize(1);
    }

    @Test
    void newColumnsCloseTheWindowEarlyWithTheOldOnesAndOpenOneEndingOnTheHour() {
        ProfileUpdater u = updater();
        WatchedColumns v2 = new WatchedColumns(List.of("spend", "tenure", "age"), OutputShape.SCORE);
        u.observe(COLUMNS, at("churn", H9.plusSeconds(60), 1));
        Instant change = H9.plus(Duration.ofMinutes(25));
        u.observe(v2, new Observation("churn", change, new double[] {1, 2, 40}, 0.3));
        u.observe(v2, new Observation("churn", change.plusSeconds(1), new double[] {1, 2, 41}, 0.4));

        ClosedWindow early = store.window("churn", H9).orElseThrow();
        assertThat(early.columns()).isEqualTo(COLUMNS);
        assertThat(early.end()).isEqualTo(change);
        assertThat(early.rows()).isEqualTo(1);
        ClosedWindow now = u.open("churn").orElseThrow();
        assertThat(now.columns()).isEqualTo(v2);
        assertThat(now.start()).isEqualTo(change);
        assertThat(now.end()).isEqualTo(H9.plus(Duration.ofHours(1)));
        assertThat(now.rows()).isEqualTo(2);
        assertThat(now.reservoir().width()).isEqualTo(4);

        List<ClosedWindow> closed = u.closeDue(H9.plus(Duration.ofHours(2)));
        assertThat(closed).extracting(ClosedWindow::start).containsExactly(H9, change);
    }

    @Test
    void aWindowRebuiltAfterARestartIsTheSameAndNotHandedOutTwice() {
        ProfileUpdater before = updater();
        ProfileUpdater twin = updater();
        for (int i = 0; i < 200; i++) {
            before.observe(COLUMNS, at("churn", H9.plusSeconds(i * 10L), i));
            twin.observe(COLUMNS, at("churn", H9.plusSeconds(i * 10L), i));
        }
        // the same observations give the same window, sample included (the reservoir is seeded by deployment and start)
        ClosedWindow open = twin.open("churn").orElseThrow();
        ClosedWindow live = before.closeDue(H9.plus(Duration.ofHours(2))).get(0);
        assertThat(live.reservoir().size()).isEqualTo(50);
        assertThat(open.reservoir().toBytes()).isEqualTo(live.reservoir().toBytes());
        assertThat(open.profile().numeric("spend").count()).isEqualTo(live.profile().numeric("spend").count());
        assertThat(open.profile().numeric("spend").quantile(0.5)).isEqualTo(live.profile().numeric("spend").quantile(0.5));
        assertThat(twin.closeDue(H9.plus(Duration.ofHours(2)))).as("already stored by the other").isEmpty();

        ProfileUpdater after = updater();
        assertThat(after.closedThrough("churn")).isEqualTo(H9.plus(Duration.ofHours(1)));
        for (int i = 0; i < 200; i++) {
            after.observe(COLUMNS, at("churn", H9.plusSeconds(i * 10L), i));
        }
        assertThat(after.late()).as("the stored window's observations").isEqualTo(200);
        assertThat(after.closeDue(H9.plus(Duration.ofHours(2)))).isEmpty();
        assertThat(store.window("churn", H9).orElseThrow().rows()).isEqualTo(200);
    }

    /** The metadata store, failing every write while {@code down}: how a database outage looks to the updater. */
    static final class Flaky implements SqlDatabase {
        final SqlDatabase real;
        boolean down;

        Flaky(SqlDatabase real) {
            this.real = real;
        }

        @Override
        public SqlDialect dialect() {
            return real.dialect();
        }

        @Override
        public Connection connection() throws SQLException {
            return real.connection();
        }

        @Override
        public <T> T inTransaction(Work<T> work) throws SQLException {
            if (down) {
                throw new SQLException("the database is down");
            }
            return real.inTransaction(work);
        }

        @Override
        public void migrate(String component, int version) {
            real.migrate(component, version);
        }
    }

    @Test
    void aWindowTheStoreFailedToTakeIsStoredAndHandedOutOnceItRecovers() {
        Flaky database = new Flaky(openDatabase());
        store = new WindowStore(database);
        ProfileUpdater u = new ProfileUpdater(store, OPTIONS);
        u.observe(COLUMNS, at("churn", H9.plusSeconds(5), 1));
        database.down = true;
        u.observe(COLUMNS, at("churn", H9.plus(Duration.ofMinutes(61)), 2)); // closes 09:00: its store fails, not the observation
        u.observe(COLUMNS, at("churn", H9.plus(Duration.ofMinutes(62)), 3));
        assertThatThrownBy(() -> u.closeDue(H9.plus(Duration.ofMinutes(63)))).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.STORE_FAILURE));
        assertThat(u.open("churn").orElseThrow().rows()).isEqualTo(2);

        database.down = false;
        assertThat(u.closeDue(H9.plus(Duration.ofMinutes(64)))).extracting(ClosedWindow::start, ClosedWindow::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(H9, 1L));
        assertThat(u.closeDue(H9.plus(Duration.ofMinutes(65)))).isEmpty();
        assertThat(store.window("churn", H9).orElseThrow().rows()).isEqualTo(1);
    }

    @Test
    void aClassOutputIsProfiledAsCategoriesAndSampledAsItsIndex() {
        ProfileUpdater u = updater();
        WatchedColumns classes = new WatchedColumns(List.of("x"), OutputShape.CLASS);
        for (int i = 0; i < 9; i++) {
            u.observe(classes, new Observation("iris", H9.plusSeconds(i), new double[] {i}, i % 3));
        }
        ClosedWindow w = u.open("iris").orElseThrow();
        assertThat(w.profile().categorical(WatchedColumns.OUTPUT).count()).isEqualTo(9);
        assertThat(w.reservoir().column(1)).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2);
    }
}
