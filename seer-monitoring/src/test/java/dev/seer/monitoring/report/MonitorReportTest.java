package dev.seer.monitoring.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.profile.Profile;
import dev.seer.monitoring.report.MonitorReport.Bin;
import dev.seer.monitoring.report.MonitorReport.Histogram;
import dev.seer.monitoring.report.MonitorReport.Item;
import dev.seer.monitoring.report.MonitorReport.TopItems;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MonitorReportTest {
    private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void histogramSharesBinsAndSumsToOne() {
        Random random = new Random(1);
        Histogram h = (Histogram) MonitorReport.Distribution.numeric(
                Fixtures.profile("x", Fixtures.normal(random, 1000, 0)).numeric("x"),
                Fixtures.profile("x", Fixtures.normal(random, 500, 3)).numeric("x"));
        assertThat(h.bins()).hasSize(Distributions.sturges(1500)).hasSize(12);
        assertThat(h.bins().stream().mapToDouble(Bin::referenceShare).sum()).isCloseTo(1, within(1e-9));
        assertThat(h.bins().stream().mapToDouble(Bin::currentShare).sum()).isCloseTo(1, within(1e-9));
        for (int i = 1; i < h.bins().size(); i++) {
            assertThat(h.bins().get(i).lower()).isEqualTo(h.bins().get(i - 1).upper());
        }
        // the current sample sits 3 standard deviations higher: its mass is in the upper bins
        assertThat(h.bins().get(0).currentShare()).isZero();
        assertThat(h.bins().get(h.bins().size() - 1).referenceShare()).isZero();
        assertThat(h.currentMean()).isCloseTo(3, within(0.2));
    }

    @Test
    void histogramOfAConstantOrEmptySide() {
        Histogram constant = (Histogram) MonitorReport.Distribution.numeric(
                Fixtures.profile("x", new double[] {2, 2, 2}).numeric("x"),
                Fixtures.profile("x", new double[0]).numeric("x"));
        assertThat(constant.bins()).containsExactly(new Bin(2, 2, 1.0, Double.NaN));
        Histogram empty = (Histogram) MonitorReport.Distribution.numeric(
                Fixtures.profile("x", new double[] {Double.NaN}).numeric("x"),
                Fixtures.profile("x", new double[0]).numeric("x"));
        assertThat(empty.bins()).isEmpty();
        assertThat(empty.referenceMissing()).isEqualTo(1);
    }

    @Test
    void topItemsRankByTheLargerShareAndPoolTheRest() {
        Profile ref = Profile.create(List.of(Profile.Column.categorical("c")));
        Profile cur = Profile.create(List.of(Profile.Column.categorical("c")));
        ref.updateColumn("c", new String[] {"a", "a", "a", "b", "b", "c", "d", null});
        cur.updateColumn("c", new String[] {"e", "e", "e", "e", "a", "b"});
        TopItems t = (TopItems) MonitorReport.Distribution.categorical(ref.categorical("c"), cur.categorical("c"), 3);
        assertThat(t.items()).extracting(Item::value).containsExactly("e", "a", "b");
        assertThat(t.items().get(0).referenceShare()).isZero();
        assertThat(t.items().get(0).currentShare()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(t.referenceOther()).isCloseTo(2.0 / 7, within(1e-12));
        assertThat(t.currentOther()).isCloseTo(0, within(1e-12));
        assertThat(t.referenceMissing()).isEqualTo(1);
    }

    @Test
    void featuresAreSortedAndStatusFollowsTheData() {
        MonitorReport empty = MonitorReport.builder("d", FROM, TO).build();
        assertThat(empty.status()).isEqualTo(MonitorReport.Status.NO_DATA);
        assertThat(empty.features()).isEmpty();
        MonitorReport report = Fixtures.realistic(5, true);
        assertThat(report.status()).isEqualTo(MonitorReport.Status.OK);
        List<String> names = report.features().stream().map(MonitorReport.Feature::name).toList();
        assertThat(names).isSorted().hasSize(Fixtures.NUMERIC.size() + Fixtures.CATEGORICAL.size());
        assertThat(report.windows()).extracting(MonitorReport.Window::from).isSorted();
        assertThat(report.features()).allSatisfy(f -> assertThat(f.drift()).isNotNull())
                .allSatisfy(f -> assertThat(f.distribution()).isNotNull());
    }

    @Test
    void badInputIsAClearError() {
        assertThatThrownBy(() -> MonitorReport.builder("d", TO, FROM))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("[2026-12-02T00:00:00Z] must be before");
        Profile ref = Profile.create(List.of(Profile.Column.numeric("a"), Profile.Column.numeric("b")));
        Profile cur = Profile.create(List.of(Profile.Column.numeric("a"), Profile.Column.categorical("b")));
        assertThatThrownBy(() -> MonitorReport.builder("d", FROM, TO).profiles(ref, cur))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INCOMPATIBLE))
                .hasMessage("Column [b] of the reference is NUMERIC in the reference and CATEGORICAL in the current profile");
        Profile extra = Profile.create(List.of(Profile.Column.numeric("a"), Profile.Column.numeric("b"),
                Profile.Column.numeric("z")));
        assertThatThrownBy(() -> MonitorReport.builder("d", FROM, TO).profiles(ref, extra))
                .hasMessage("Column [z] of the current profile is missing from the reference");
        assertThatThrownBy(() -> MonitorReport.builder("d", FROM, TO).window(FROM, FROM, null, null))
                .isInstanceOf(SeerException.class);
    }
}
