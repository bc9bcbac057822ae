package dev.seer.training.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every test against the reference values of make_fixtures.py (statsmodels 0.13.5, SciPy 1.10.1,
 * and the O(m·n) DeLong definition in numpy). p-values are compared relatively, so that a far tail
 * (1e-40) must keep its digits, not just be "about 0".
 */
class ReferenceValuesTest {
    private static JsonNode fixtures;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ReferenceValuesTest.class.getResourceAsStream("fixtures.json")) {
            fixtures = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void mcnemarExactMatchesStatsmodels() {
        for (JsonNode c : fixtures.get("mcnemar")) {
            TestResult result = McNemar.exact(c.get("onlyA").asLong(), c.get("onlyB").asLong(), c.get("n").asLong());
            assertThat(result.statistic()).as("statistic %s", c).isEqualTo(c.get("exactStatistic").asDouble());
            assertThat(result.pValue()).as("p %s", c).isCloseTo(c.get("exactP").asDouble(), relative(1e-11));
            assertThat(result.effect()).as("effect %s", c).isCloseTo(c.get("effect").asDouble(), within(1e-15));
            assertThat(result.low()).as("low %s", c).isCloseTo(c.get("low95").asDouble(), within(1e-12));
            assertThat(result.high()).as("high %s", c).isCloseTo(c.get("high95").asDouble(), within(1e-12));
            TestResult at90 = McNemar.exact(c.get("onlyA").asLong(), c.get("onlyB").asLong(), c.get("n").asLong(), 0.90);
            assertThat(at90.low()).as("low90 %s", c).isCloseTo(c.get("low90").asDouble(), within(1e-12));
            assertThat(at90.high()).as("high90 %s", c).isCloseTo(c.get("high90").asDouble(), within(1e-12));
        }
    }

    @Test
    void mcnemarChiSquareMatchesStatsmodels() {
        for (JsonNode c : fixtures.get("mcnemar")) {
            if (!c.has("chiCorrectedP")) {
                continue;
            }
            long b = c.get("onlyA").asLong();
            long d = c.get("onlyB").asLong();
            long n = c.get("n").asLong();
            TestResult corrected = McNemar.chiSquare(b, d, n, true, 0.95);
            TestResult plain = McNemar.chiSquare(b, d, n, false, 0.95);
            assertThat(corrected.statistic()).as("%s", c)
                    .isCloseTo(c.get("chiCorrectedStatistic").asDouble(), within(1e-12));
            assertThat(corrected.pValue()).as("%s", c).isCloseTo(c.get("chiCorrectedP").asDouble(), relative(1e-11));
            assertThat(plain.statistic()).as("%s", c).isCloseTo(c.get("chiPlainStatistic").asDouble(), within(1e-12));
            assertThat(plain.pValue()).as("%s", c).isCloseTo(c.get("chiPlainP").asDouble(), relative(1e-11));
        }
    }

    @Test
    void holmMatchesStatsmodels() {
        for (JsonNode c : fixtures.get("holm")) {
            double[] p = doubles(c.get("p"));
            double alpha = c.get("alpha").asDouble();
            assertThat(Holm.adjust(p)).as("%s", c).containsExactly(doubles(c.get("adjusted")), offset(1e-15));
            boolean[] expected = new boolean[p.length];
            for (int i = 0; i < p.length; i++) {
                expected[i] = c.get("reject").get(i).asBoolean();
            }
            assertThat(Holm.reject(p, alpha)).as("%s", c).containsExactly(expected);
        }
    }

    @Test
    void nadeauBengioMatchesTheFormulaWithScipy() {
        for (JsonNode c : fixtures.get("nadeauBengio")) {
            TestResult result = NadeauBengio.test(doubles(c.get("differences")), c.get("ratio").asDouble(),
                    c.get("confidence").asDouble());
            assertThat(result.statistic()).as("%s", c).isCloseTo(c.get("t").asDouble(), within(1e-10));
            assertThat(result.pValue()).as("%s", c).isCloseTo(c.get("p").asDouble(), relative(1e-9));
            assertThat(result.effect()).as("%s", c).isCloseTo(c.get("effect").asDouble(), within(1e-15));
            assertThat(result.low()).as("%s", c).isCloseTo(c.get("low").asDouble(), within(1e-12));
            assertThat(result.high()).as("%s", c).isCloseTo(c.get("high").asDouble(), within(1e-12));
        }
    }

    /**
     * Against 40-digit quantiles from mpmath (scipy 1.10's t.ppf is off by up to 5e-9 relative, so the
     * script does not use it) and the closed forms for one and two degrees of freedom (all to 1e-12 relative).
     */
    @Test
    void studentQuantilesMatchHighPrecisionAndTheClosedForms() {
        for (JsonNode c : fixtures.get("studentQuantiles")) {
            assertThat(Distributions.studentCritical(c.get("confidence").asDouble(), c.get("df").asDouble()))
                    .as("%s", c).isCloseTo(c.get("t").asDouble(), relative(1e-12));
        }
        for (double confidence : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
            double p = 0.5 + confidence / 2;
            assertThat(Distributions.studentCritical(confidence, 1))
                    .isCloseTo(Math.tan(Math.PI * (p - 0.5)), relative(1e-12));
            assertThat(Distributions.studentCritical(confidence, 2))
                    .isCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), relative(1e-12));
        }
    }

    @Test
    void deLongMidranksMatchTheQuadraticDefinition() {
        for (JsonNode c : fixtures.get("delong")) {
            boolean[] positive = booleans(c.get("positive"));
            double[] a = doubles(c.get("scoresA"));
            double[] b = doubles(c.get("scoresB"));
            TestResult result = DeLong.compare(positive, a, b, c.get("confidence").asDouble());
            assertThat(DeLong.auc(positive, a)).isCloseTo(c.get("aucA").asDouble(), within(1e-14));
            assertThat(DeLong.auc(positive, b)).isCloseTo(c.get("aucB").asDouble(), within(1e-14));
            assertThat(result.statistic()).as("z %s", c).isCloseTo(c.get("z").asDouble(), within(1e-10));
            assertThat(result.pValue()).as("p %s", c).isCloseTo(c.get("p").asDouble(), relative(1e-9));
            assertThat(result.effect()).isCloseTo(c.get("effect").asDouble(), within(1e-14));
            assertThat(result.low()).isCloseTo(c.get("low").asDouble(), within(1e-12));
            assertThat(result.high()).isCloseTo(c.get("high").asDouble(), within(1e-12));
        }
    }

    /** The hand-computed, tie-laden example of the notes (section 3.3), to its printed digits. */
    @Test
    void deLongReproducesTheNotesExample() {
        boolean[] positive = {true, true, true, true, true, false, false, false, false, false, false};
        double[] a = {0.9, 0.8, 0.7, 0.6, 0.4, 0.7, 0.5, 0.3, 0.2, 0.1, 0.4};
        double[] b = {0.6, 0.9, 0.5, 0.5, 0.3, 0.8, 0.5, 0.4, 0.1, 0.2, 0.6};
        TestResult result = DeLong.compare(positive, a, b, 0.95);
        assertThat(result.effect()).isCloseTo(13.0 / 15 - 0.65, within(1e-15));
        assertThat(result.statistic()).isCloseTo(2.022872, within(5e-7));
        assertThat(result.pValue()).isCloseTo(0.043086, within(5e-7));
    }

    /** AssertJ's percentage offset, given as a relative tolerance. */
    private static Percentage relative(double tolerance) {
        return Percentage.withPercentage(tolerance * 100);
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static boolean[] booleans(JsonNode array) {
        boolean[] values = new boolean[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asBoolean();
        }
        return values;
    }
}
