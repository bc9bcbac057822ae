package dev.seer.monitoring.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertRule.Comparison;
import dev.seer.monitoring.alert.AlertRule.Severity;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rule validation (every error names its field) and the check against the figures the monitor knows. */
class AlertRulesTest {
    private static final Set<String> KNOWN = Set.of("churn/drift/spend/wasserstein_normed", "churn/drift/age/wasserstein_normed",
            "churn/drift/spend/psi", "churn/performance/estimated/roc_auc", "fraud/drift/amount/ks_pvalue");

    private static Map<String, Object> rule(Object... keysAndValues) {
        Map<String, Object> fields = new HashMap<>(Map.of("id", "spend-drift", "figure", "churn/drift/spend/wasserstein_normed",
                "comparison", ">", "threshold", 0.1));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] == null) {
                fields.remove((String) keysAndValues[i]);
            } else {
                fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return fields;
    }

    private static void refused(Map<String, Object> fields, String field) {
        assertThatThrownBy(() -> AlertRules.parse(fields))
                .as(fields.toString())
                .isInstanceOfSatisfying(SeerException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.INVALID_ARGUMENT);
                    assertThat(e.details()).containsEntry("field", field);
                })
                .hasMessageContaining("[" + field + "]");
    }

    @Test
    void readsARuleWithItsDefaults() {
        AlertRule rule = AlertRules.parse(rule());
        assertThat(rule).isEqualTo(new AlertRule("spend-drift", "churn/drift/spend/wasserstein_normed", Comparison.GT, 0.1, 1, Severity.WARNING));
        assertThat(AlertRules.parse(rule("for", 3, "severity", "Critical", "comparison", "<=")))
                .extracting(AlertRule::forWindows, AlertRule::severity, AlertRule::comparison)
                .containsExactly(3, Severity.CRITICAL, Comparison.LE);
    }

    @Test
    void everyInvalidFieldIsNamed() {
        refused(rule("id", null), "id");
        refused(rule("id", "Spend Drift"), "id");
        refused(rule("figure", null), "figure");
        refused(rule("figure", "churn/drift/spend"), "figure");
        refused(rule("figure", "churn/*/*/psi"), "figure");
        refused(rule("figure", "churn/drift/sp*/psi"), "figure");
        refused(rule("figure", "churn/drift//psi"), "figure");
        refused(rule("comparison", "=="), "comparison");
        refused(rule("threshold", "0.1"), "threshold");
        refused(rule("threshold", Double.NaN), "threshold");
        refused(rule("threshold", Double.POSITIVE_INFINITY), "threshold");
        refused(rule("for", 0), "for");
        refused(rule("for", 1.5), "for");
        refused(rule("for", 100_000), "for");
        refused(rule("severity", "page"), "severity");
        refused(rule("treshold", 0.2), "treshold");
    }

    @Test
    void aRuleOnAKnownFigureOrAMatchingPatternPasses() {
        AlertRule exact = AlertRules.parse(rule());
        AlertRule pattern = AlertRules.parse(rule("figure", "churn/drift/*/wasserstein_normed"));
        assertThat(AlertRules.check(exact, KNOWN)).isSameAs(exact);
        assertThat(AlertRules.check(pattern, KNOWN)).isSameAs(pattern);
        assertThat(pattern.matches("churn/drift/age/wasserstein_normed")).isTrue();
        assertThat(pattern.matches("churn/drift/spend/psi")).isFalse();
        assertThat(pattern.matches("fraud/drift/spend/wasserstein_normed")).isFalse();
    }

    @Test
    void aRuleOnAnUnknownFigureIsRefusedWithNearNames() {
        AlertRule typo = AlertRules.parse(rule("figure", "churn/drift/spend/wasserstein_norm"));

        assertThatThrownBy(() -> AlertRules.check(typo, KNOWN))
                .isInstanceOfSatisfying(SeerException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME);
                    assertThat(e.details()).containsEntry("field", "figure");
                    assertThat((List<?>) e.details().get("near")).first().isEqualTo("churn/drift/spend/wasserstein_normed");
                })
                .hasMessageContaining("figure [churn/drift/spend/wasserstein_norm], which is not a figure the monitor knows")
                .hasMessageContaining("near names: [churn/drift/spend/wasserstein_normed");

        AlertRule pattern = AlertRules.parse(rule("figure", "churn/drift/*/wasserstein"));
        assertThatThrownBy(() -> AlertRules.check(pattern, KNOWN))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode()).isEqualTo(MonitoringErrorCode.UNKNOWN_NAME))
                .hasMessageContaining("matches no figure");
        assertThatThrownBy(() -> AlertRules.check(AlertRules.parse(rule("figure", "other/x/y/z")), KNOWN))
                .hasMessageNotContaining("near names");
    }

    @Test
    void aFigureIsValidatedToo() {
        Instant start = Instant.parse("2026-12-04T00:00:00Z");
        assertThatThrownBy(() -> Figure.ok("churn/drift/spend/psi", start, start, 0.1)).hasMessageContaining("[window]");
        assertThatThrownBy(() -> Figure.ok("churn/drift/spend/psi", start, start.plusSeconds(1), Double.NaN)).hasMessageContaining("[value]");
        assertThatThrownBy(() -> Figure.ok("churn/drift/*/psi", start, start.plusSeconds(1), 1)).hasMessageContaining("[figure]");
        assertThat(new Figure("churn/drift/spend/psi", start, start.plusSeconds(1), 3, Figure.Status.NO_DATA).value()).isNaN();
    }
}
