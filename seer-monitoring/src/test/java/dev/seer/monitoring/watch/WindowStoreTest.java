package dev.seer.monitoring.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.profile.Profile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WindowStoreTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final WatchedColumns COLUMNS = new WatchedColumns(List.of("spend", "tenure"), OutputShape.SCORE);

    static ClosedWindow window(String deployment, Instant start, int rows, double shift) {
        Profile profile = Profile.create(COLUMNS.schema());
        Reservoir reservoir = Reservoir.create(COLUMNS.width(), 100, 7);
        for (int i = 0; i < rows; i++) {
            double[] row = {i + shift, i * 2.0, i % 2};
            profile.update(new Object[] {row[0], row[1], row[2]});
            reservoir.offer(row);
        }
        return new ClosedWindow(deployment, start, start.plus(Duration.ofHours(1)), rows, COLUMNS, profile, reservoir);
    }

    abstract static class Cases extends MetadataBackend {
        WindowStore store;

        Cases(Kind kind) {
            super(kind);
        }

        void open() {
            store = new WindowStore(openDatabase());
        }

        @Test
        void aWindowReadsBackAsStoredAndASecondCopyKeepsTheFirst() {
            open();
            ClosedWindow first = window("churn", T0, 30, 0);
            assertThat(store.save(first)).isTrue();
            assertThat(store.save(window("churn", T0, 5, 100))).isFalse();

            ClosedWindow read = store.window("churn", T0).orElseThrow();
            assertThat(read.rows()).isEqualTo(30);
            assertThat(read.start()).isEqualTo(T0);
            assertThat(read.end()).isEqualTo(T0.plus(Duration.ofHours(1)));
            assertThat(read.columns()).isEqualTo(COLUMNS);
            assertThat(read.profile().toBytes()).isEqualTo(first.profile().toBytes());
            assertThat(read.reservoir().toBytes()).isEqualTo(first.reservoir().toBytes());
            assertThat(store.window("churn", T0.plusSeconds(1))).isEmpty();
            assertThat(store.window("fraud", T0)).isEmpty();
        }

        @Test
        void windowsAreListedByStartInAHalfOpenRangeAndTheLastEndIsKnown() {
            open();
            assertThat(store.lastClosedEnd("churn")).isEmpty();
            for (int h : new int[] {3, 0, 1}) {
                store.save(window("churn", T0.plus(Duration.ofHours(h)), 1 + h, 0));
            }
            store.save(window("fraud", T0.plus(Duration.ofHours(7)), 2, 0));

            assertThat(store.between("churn", T0, T0.plus(Duration.ofHours(3))).stream().map(ClosedWindow::rows))
                    .containsExactly(1L, 2L);
            assertThat(store.between("churn", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofDays(1)))
                    .stream().map(ClosedWindow::start)).containsExactly(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(3)));
            assertThat(store.lastClosedEnd("churn")).contains(T0.plus(Duration.ofHours(4)));
            assertThat(store.lastClosedEnd("fraud")).contains(T0.plus(Duration.ofHours(8)));
            assertThat(store.deployments()).containsExactly("churn", "fraud");
        }

        @Test
        void aReferenceIsReplacedWholeUnderItsIdWithOrWithoutLabelledRows() {
            open();
            ClosedWindow rows = window("churn", T0, 20, 0);
            String id = "churn_train:3/train@churn:2";
            Labelled labelled = new Labelled(new double[] {0.1, 0.9, 0.4}, new double[] {0, 1, 1});
            store.saveReference(new Reference(id, COLUMNS, rows.profile(), rows.reservoir(), Optional.of(labelled)));
            Reference read = store.reference(id).orElseThrow();
            assertThat(read.columns()).isEqualTo(COLUMNS);
            assertThat(read.profile().toBytes()).isEqualTo(rows.profile().toBytes());
            assertThat(read.reservoir().toBytes()).isEqualTo(rows.reservoir().toBytes());
            assertThat(read.labelled().orElseThrow().scores()).containsExactly(0.1, 0.9, 0.4);
            assertThat(read.labelled().orElseThrow().outcomes()).containsExactly(0, 1, 1);

            ClosedWindow other = window("churn", T0, 3, 50);
            WatchedColumns regression = new WatchedColumns(List.of("spend", "tenure"), OutputShape.VALUE);
            store.saveReference(new Reference(id, regression, other.profile(), other.reservoir(), Optional.empty()));
            Reference replaced = store.reference(id).orElseThrow();
            assertThat(replaced.columns()).isEqualTo(regression);
            assertThat(replaced.reservoir().seen()).isEqualTo(3);
            assertThat(replaced.labelled()).isEmpty();
            assertThat(store.reference("churn_train:4/train@churn:3")).isEmpty();
        }

        @Test
        void namesOutsideTheAllowListAreRefusedNamingTheField() {
            open();
            assertThatThrownBy(() -> store.between("Churn'; DROP TABLE x", T0, T0)).isInstanceOfSatisfying(SeerException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT);
                assertThat(e.details()).containsEntry("field", "deployment");
            });
            assertThatThrownBy(() -> store.reference("a b")).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.details()).containsEntry("field", "reference"));
        }
    }

    @Nested
    class OnSqlite extends Cases {
        OnSqlite() {
            super(Kind.SQLITE);
        }
    }

    @Nested
    class OnPostgres extends Cases {
        OnPostgres() {
            super(Kind.POSTGRESQL);
        }
    }
}
