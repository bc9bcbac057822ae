package dev.seer.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every statistic against the values SciPy 1.10.1 (and a transcription of Evidently) computed on
 * the same samples: seer-bench/src/main/python/drift_reference.py wrote drift/reference.json.
 */
class DriftReferenceTest {
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = DriftReferenceTest.class.getResourceAsStream("/drift/reference.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        assertThat(fixture.get("scipy").asText()).isEqualTo("1.10.1");
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static String[] strings(JsonNode array) {
        String[] out = new String[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asText();
        }
        return out;
    }

    static double number(JsonNode node) {
        return node.isTextual() ? Double.parseDouble(node.asText().replace("inf", "Infinity")
                .replace("nan", "NaN")) : node.asDouble();
    }

    /** p-values to 1e-9 relative, or 1e-12 absolute when tiny. */
    static void assertP(SoftAssertions soft, String what, double actual, double expected) {
        double tolerance = Math.max(1e-12, 1e-9 * Math.abs(expected));
        soft.assertThat(actual).as(what).isCloseTo(expected, within(tolerance));
    }

    @Test
    void kolmogorovSmirnovEqualsScipy() {
        SoftAssertions soft = new SoftAssertions();
        List<String> methods = new ArrayList<>();
        for (JsonNode c : fixture.get("numeric")) {
            String name = c.get("name").asText();
            double[] ref = Samples.cleanSorted(doubles(c.get("reference")));
            double[] cur = Samples.cleanSorted(doubles(c.get("current")));
            double[] ks = KolmogorovSmirnov.test(ref, cur);
            soft.assertThat(ks[0]).as(name + " D").isCloseTo(c.get("ks_d").asDouble(), within(1e-12));
            assertP(soft, name + " p", ks[1], c.get("ks_p").asDouble());
            methods.add(c.get("ks_method").asText());
        }
        soft.assertAll();
        assertThat(methods).contains("exact", "asymp");
    }

    @Test
    void kolmogorovDistributionEqualsKstwoOnEveryBranch() {
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode c : fixture.get("kstwo")) {
            int n = c.get("n").asInt();
            double x = c.get("x").asDouble();
            assertP(soft, "kstwo.sf(" + x + ", " + n + ")", KolmogorovDistribution.sf(n, x), c.get("sf").asDouble());
        }
        soft.assertAll();
    }

    @Test
    void distancesAndEvidentlyScoresOnNumericColumns() {
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode c : fixture.get("numeric")) {
            String name = c.get("name").asText();
            double[] ref = Samples.cleanSorted(doubles(c.get("reference")));
            double[] cur = Samples.cleanSorted(doubles(c.get("current")));
            soft.assertThat(Statistics.wasserstein(ref, cur)).as(name + " W1")
                    .isCloseTo(c.get("wasserstein").asDouble(), within(1e-9));
            soft.assertThat(Statistics.wassersteinNormed(ref, cur)).as(name + " W1 normed")
                    .isCloseTo(c.get("wasserstein_normed").asDouble(), within(1e-9));
            soft.assertThat(Samples.distinctUnion(ref, cur)).as(name + " pooled nunique")
                    .isEqualTo(c.get("pooled_distinct").asInt());
            soft.assertThat(Samples.distinct(ref)).as(name + " ref nunique").isEqualTo(c.get("ref_distinct").asInt());
            Frequencies bins = DriftTests.binned(ref, cur);
            soft.assertThat(Statistics.psi(bins.referenceShares(), bins.currentShares())).as(name + " PSI")
                    .isCloseTo(c.get("psi").asDouble(), within(1e-9));
            soft.assertThat(Statistics.jensenShannon(bins.referenceShares(), bins.currentShares())).as(name + " JS")
                    .isCloseTo(c.get("js").asDouble(), within(1e-9));
            Frequencies values = Frequencies.perValue(ref, cur);
            double[] chi = Statistics.chiSquare(values);
            soft.assertThat(chi[0]).as(name + " chi2").isCloseTo(number(c.get("chi2_stat")),
                    within(1e-9 * Math.max(1, Math.abs(chi[0]))));
            assertP(soft, name + " chi2 p", chi[1], number(c.get("chi2_p")));
            double[] z = Statistics.zTest(values);
            double expectedZ = number(c.get("z_stat"));
            if (!Double.isNaN(expectedZ)) {
                soft.assertThat(Math.abs(z[0])).as(name + " |z|").isCloseTo(Math.abs(expectedZ), within(1e-9));
                assertP(soft, name + " z p", z[1], number(c.get("z_p")));
            }
        }
        soft.assertAll();
    }

    @Test
    void evidentlyScoresOnCategoricalColumns() {
        SoftAssertions soft = new SoftAssertions();
        DriftTests tests = DriftTests.builder().test("c", DriftTest.PSI).build();
        for (JsonNode c : fixture.get("categorical")) {
            String name = c.get("name").asText();
            String[] ref = strings(c.get("reference"));
            String[] cur = strings(c.get("current"));
            soft.assertThat(tests.categorical("c", ref, cur).statistic()).as(name + " PSI")
                    .isCloseTo(c.get("psi").asDouble(), within(1e-9));
            DriftTests js = DriftTests.builder().test("c", DriftTest.JENSEN_SHANNON).build();
            soft.assertThat(js.categorical("c", ref, cur).statistic()).as(name + " JS")
                    .isCloseTo(c.get("js").asDouble(), within(1e-9));
            DriftTests chi = DriftTests.builder().test("c", DriftTest.CHI_SQUARE).build();
            assertP(soft, name + " chi2 p", chi.categorical("c", ref, cur).pValue(), number(c.get("chi2_p")));
            DriftTests z = DriftTests.builder().test("c", DriftTest.Z).build();
            assertP(soft, name + " z p", z.categorical("c", ref, cur).pValue(), number(c.get("z_p")));
        }
        soft.assertAll();
    }

    @Test
    void benjaminiHochbergEqualsStatsmodels() {
        double[] adjusted = BenjaminiHochberg.adjust(doubles(fixture.get("bh").get("p")));
        double[] expected = doubles(fixture.get("bh").get("adjusted"));
        for (int i = 0; i < expected.length; i++) {
            assertThat(adjusted[i]).as("adjusted p " + i).isCloseTo(expected[i], within(1e-15));
        }
    }
}
