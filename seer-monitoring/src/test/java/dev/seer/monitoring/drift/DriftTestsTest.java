package dev.seer.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftTestsTest {
    // the samples of docs/design/monitoring-research.md §2.5 and §8
    static final double[] A = {0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64,
        -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47};
    static final double[] B = {2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27};

    @Test
    void researchWorkedNumbers() {
        double[] a = Samples.cleanSorted(A);
        double[] b = Samples.cleanSorted(B);
        assertThat(KolmogorovSmirnov.test(a, b)).containsExactly(0.3466666666666667, 0.17101910843581153);
        assertThat(KolmogorovSmirnov.test(new double[] {1, 2, 3}, new double[] {4, 5, 6})[1])
                .isCloseTo(0.1, within(1e-15));
        assertThat(Statistics.wasserstein(new double[] {0, 1, 3}, new double[] {5, 6, 8})).isEqualTo(5.0);
        assertThat(Statistics.wasserstein(a, b)).isCloseTo(0.8469333333333331, within(1e-15));
        assertThat(Statistics.wassersteinNormed(a, b)).isCloseTo(0.7776568762904106, within(1e-15));
        assertThat(Statistics.jensenShannon(new double[] {1, 0, 0}, new double[] {0, 1, 0}))
                .isCloseTo(0.8325546111576977, within(1e-15));
        assertThat(Statistics.jensenShannon(new double[] {.5, .5, 0}, new double[] {0, .1, .9}))
                .isCloseTo(0.7469797975180145, within(1e-15));
        double[] chi = Statistics.chiSquare(Frequencies.of(new long[] {16, 16, 16, 16, 16, 8},
                new long[] {16, 18, 16, 14, 12, 12}));
        assertThat(chi[0]).isCloseTo(3.5, within(1e-12));
        assertThat(chi[1]).isCloseTo(0.6233876277495822, within(1e-12));
        // §8: a category seen only in the current sample
        assertThat(Statistics.chiSquare(Frequencies.of(new long[] {3, 4, 2, 1, 0}, new long[] {2, 3, 4, 0, 1})))
                .containsExactly(Double.POSITIVE_INFINITY, 0.0);
        double[] chi4 = Statistics.chiSquare(Frequencies.of(new long[] {3, 4, 2, 1}, new long[] {2, 3, 4, 1}));
        assertThat(chi4[0]).isCloseTo(2.583333333333333, within(1e-12));
        assertThat(chi4[1]).isCloseTo(0.46041892356259073, within(1e-12));
        // §8: Sturges binning of the pooled 40 values into 7 bins
        Frequencies bins = DriftTests.binned(a, b);
        assertThat(bins.reference).containsExactly(2, 1, 6, 9, 5, 2, 0);
        assertThat(bins.current).containsExactly(0, 0, 2, 5, 4, 3, 1);
        assertThat(Statistics.psi(bins.referenceShares(), bins.currentShares()))
                .isCloseTo(1.3998789261863265, within(1e-12));
        assertThat(Statistics.jensenShannon(bins.referenceShares(), bins.currentShares()))
                .isCloseTo(0.2972346545961993, within(1e-12));
        String[] ref = "aaabbbbccd".split("");
        String[] cur = "aabbbcccce".split("");
        assertThat(DriftTests.builder().test("c", DriftTest.PSI).build().categorical("c", ref, cur).statistic())
                .isCloseTo(1.5881136589086147, within(1e-12));
        assertThat(DriftTests.builder().test("c", DriftTest.JENSEN_SHANNON).build().categorical("c", ref, cur)
                .statistic()).isCloseTo(0.30809442817750254, within(1e-12));
    }

    @Test
    void defaultChoiceFollowsEvidently() {
        assertThat(DriftTest.defaultFor(true, 1000, 6)).isEqualTo(DriftTest.KS);
        assertThat(DriftTest.defaultFor(true, 1000, 5)).isEqualTo(DriftTest.CHI_SQUARE);
        assertThat(DriftTest.defaultFor(true, 1000, 3)).isEqualTo(DriftTest.CHI_SQUARE);
        assertThat(DriftTest.defaultFor(true, 1000, 2)).isEqualTo(DriftTest.Z);
        assertThat(DriftTest.defaultFor(false, 1000, 100)).isEqualTo(DriftTest.CHI_SQUARE);
        assertThat(DriftTest.defaultFor(false, 1000, 2)).isEqualTo(DriftTest.Z);
        assertThat(DriftTest.defaultFor(true, 1001, 6)).isEqualTo(DriftTest.WASSERSTEIN);
        assertThat(DriftTest.defaultFor(true, 1001, 5)).isEqualTo(DriftTest.JENSEN_SHANNON);
        assertThat(DriftTest.defaultFor(false, 1001, 100)).isEqualTo(DriftTest.JENSEN_SHANNON);
        assertThat(DriftTest.defaultFor(false, 1001, 2)).isEqualTo(DriftTest.JENSEN_SHANNON);
    }

    @Test
    void sizeRuleCountsCleanedReferenceRowsAndPooledValues() {
        DriftTests tests = DriftTests.defaults();
        double[] ref = new double[1001];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = i % 3;
        }
        ref[0] = Double.NaN;
        // 1000 rows once NaN is dropped: small; 3 values in reference, 6 pooled: KS
        ColumnDrift small = tests.numeric("x", ref, new double[] {3, 4, 5});
        assertThat(small.test()).isEqualTo(DriftTest.KS);
        assertThat(small.referenceSize()).isEqualTo(1000);
        ref[0] = Double.POSITIVE_INFINITY;
        assertThat(tests.numeric("x", ref, new double[] {0, 1}).test()).isEqualTo(DriftTest.CHI_SQUARE);
        ref[0] = 1;
        assertThat(tests.numeric("x", ref, new double[] {0, 1}).test()).isEqualTo(DriftTest.JENSEN_SHANNON);
    }

    @Test
    void thresholdsAndDirection() {
        assertThat(DriftTest.KS.drifted(0.05, 0.05)).isTrue();
        assertThat(DriftTest.CHI_SQUARE.drifted(0.05, 0.05)).isFalse();
        assertThat(DriftTest.Z.drifted(0.0499, 0.05)).isTrue();
        assertThat(DriftTest.WASSERSTEIN.drifted(0.1, 0.1)).isTrue();
        assertThat(DriftTest.PSI.drifted(0.0999, 0.1)).isFalse();
        assertThat(DriftTest.JENSEN_SHANNON.defaultThreshold()).isEqualTo(0.1);
        assertThat(DriftTest.KS.defaultThreshold()).isEqualTo(0.05);

        // research §2.5: KS p = 0.171 — no drift at 0.05, drift at a configured 0.2
        ColumnDrift dflt = DriftTests.defaults().numeric("a", A, B);
        assertThat(dflt.test()).isEqualTo(DriftTest.KS);
        assertThat(dflt.drifted()).isFalse();
        ColumnDrift loose = DriftTests.builder().threshold("a", 0.2).build().numeric("a", A, B);
        assertThat(loose.threshold()).isEqualTo(0.2);
        assertThat(loose.drifted()).isTrue();
        // PSI 1.40 drifts at its default 0.1, not at a configured 2
        assertThat(DriftTests.builder().test("a", DriftTest.PSI).build().numeric("a", A, B).drifted()).isTrue();
        ColumnDrift psi = DriftTests.builder().test("a", DriftTest.PSI, 2).build().numeric("a", A, B);
        assertThat(psi.drifted()).isFalse();
        assertThat(psi.pValue()).isNaN();
        assertThat(psi.score()).isEqualTo(psi.statistic());
    }

    @Test
    void noDataInsteadOfAnException() {
        ColumnDrift numeric = DriftTests.defaults().numeric("x", new double[] {Double.NaN, Double.NEGATIVE_INFINITY},
                new double[] {1, 2});
        assertThat(numeric.status()).isEqualTo(ColumnDrift.Status.NO_DATA);
        assertThat(numeric.drifted()).isFalse();
        assertThat(numeric.referenceSize()).isZero();
        assertThat(numeric.currentSize()).isEqualTo(2);
        ColumnDrift categorical = DriftTests.defaults().categorical("c", new String[] {"a"}, new String[] {null});
        assertThat(categorical.status()).isEqualTo(ColumnDrift.Status.NO_DATA);
        DatasetDrift dataset = DriftTests.defaults().dataset(List.of(numeric, categorical));
        assertThat(dataset.testedColumns()).isZero();
        assertThat(dataset.drifted()).isFalse();
    }

    @Test
    void badSettingsAreClearErrors() {
        assertThatThrownBy(() -> DriftTests.builder().test("c", DriftTest.KS).build()
                .categorical("c", new String[] {"a"}, new String[] {"b"}))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INCOMPATIBLE))
                .hasMessageContaining("[c]");
        assertThatThrownBy(() -> DriftTests.builder().threshold("x", -1))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> DriftTests.builder().driftShare(0))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void benjaminiHochbergAdjustsOnlyPValueTestsOfOneReport() {
        DriftTests bh = DriftTests.builder().test("psi", DriftTest.PSI).build();
        DriftTests raw = DriftTests.builder().test("psi", DriftTest.PSI).falseDiscoveryControl(false).build();
        List<ColumnDrift> columns = new ArrayList<>();
        Random random = new Random(7);
        for (int f = 0; f < 20; f++) {
            double[] ref = new double[300];
            double[] cur = new double[200];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = random.nextGaussian();
            }
            for (int i = 0; i < cur.length; i++) {
                cur[i] = random.nextGaussian() + (f == 0 ? 0.5 : 0);
            }
            columns.add(bh.numeric("f" + f, ref, cur));
        }
        columns.add(bh.numeric("psi", A, B));
        DatasetDrift adjusted = bh.dataset(columns);
        DatasetDrift evidently = raw.dataset(columns);
        assertThat(adjusted.falseDiscoveryControl()).isTrue();
        double[] p = columns.subList(0, 20).stream().mapToDouble(ColumnDrift::pValue).toArray();
        double[] expected = BenjaminiHochberg.adjust(p);
        for (int f = 0; f < 20; f++) {
            ColumnDrift c = adjusted.columns().get(f);
            assertThat(c.pValue()).isEqualTo(p[f]);
            assertThat(c.adjustedPValue()).isEqualTo(expected[f]).isGreaterThanOrEqualTo(p[f]);
            assertThat(c.drifted()).isEqualTo(expected[f] <= 0.05);
            assertThat(evidently.columns().get(f).adjustedPValue()).isEqualTo(p[f]);
        }
        // the distance column is untouched by the adjustment
        assertThat(adjusted.columns().get(20)).isEqualTo(columns.get(20));
        assertThat(adjusted.columns().get(0).drifted()).isTrue();
        assertThat(adjusted.driftedColumns()).isLessThanOrEqualTo(evidently.driftedColumns());
        assertThat(adjusted.share()).isEqualTo((double) adjusted.driftedColumns() / 21);
        assertThat(adjusted.drifted()).isFalse();
    }

    @Test
    void driftShareRule() {
        ColumnDrift yes = DriftTests.builder().test("a", DriftTest.PSI).build().numeric("a", A, B);
        ColumnDrift no = DriftTests.builder().test("a", DriftTest.PSI, 5).build().numeric("a", A, B);
        assertThat(DriftTests.defaults().dataset(List.of(yes, no)).drifted()).isTrue();
        assertThat(DriftTests.defaults().dataset(List.of(yes, no, no)).drifted()).isFalse();
        assertThat(DriftTests.builder().driftShare(0.3).build().dataset(List.of(yes, no, no)).drifted()).isTrue();
    }

    @Test
    void aNaNPValueIsNeitherCountedNorSpreadByTheAdjustment() {
        double[] adjusted = BenjaminiHochberg.adjust(new double[] {0.01, Double.NaN, 0.04, 0.03});
        assertThat(adjusted[1]).isNaN();
        // statsmodels' fdr_bh over the three real p-values: 0.03, 0.04, 0.04
        assertThat(adjusted[0]).isCloseTo(0.03, within(1e-15));
        assertThat(adjusted[2]).isCloseTo(0.04, within(1e-15));
        assertThat(adjusted[3]).isCloseTo(0.04, within(1e-15));
    }
}
