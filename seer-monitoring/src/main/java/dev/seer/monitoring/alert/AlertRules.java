package dev.seer.monitoring.alert;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertRule.Comparison;
import dev.seer.monitoring.alert.AlertRule.Severity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reading rules from their configuration form and checking them against the figures the monitor knows. */
public final class AlertRules {
    static final int NEAR_NAMES = 5;
    private static final Set<String> KEYS = Set.of("id", "figure", "comparison", "threshold", "for", "severity");

    private AlertRules() {}

    /**
     * Reads a rule from its YAML/JSON form: {@code id}, {@code figure}, {@code comparison}
     * ({@code >}, {@code >=}, {@code <}, {@code <=}), {@code threshold}, optional {@code for}
     * (default 1) and {@code severity} (default warning). Unknown keys are refused, so a typo
     * such as {@code treshold} is not silently a rule without its setting.
     */
    public static AlertRule parse(Map<String, ?> fields) {
        requireNonNull(fields, "fields is null");
        for (String key : fields.keySet()) {
            if (!KEYS.contains(key)) {
                throw Errors.invalid(key, "is not a rule field; the fields are " + KEYS.stream().sorted().toList());
            }
        }
        return new AlertRule(text(fields, "id"), text(fields, "figure"), Comparison.parse(text(fields, "comparison")),
                number(fields, "threshold"), fields.containsKey("for") ? windows(fields.get("for")) : 1,
                fields.containsKey("severity") ? Severity.parse(text(fields, "severity")) : Severity.WARNING);
    }

    /**
     * Refuses a rule whose figure the monitor does not know (UNKNOWN_NAME, with the nearest known
     * names), or a pattern that matches no known figure: such a rule could never fire, and a typo
     * in a figure name must not pass for a quiet system.
     */
    public static AlertRule check(AlertRule rule, Set<String> knownFigures) {
        requireNonNull(rule, "rule is null");
        requireNonNull(knownFigures, "knownFigures is null");
        if (knownFigures.stream().anyMatch(rule::matches)) {
            return rule;
        }
        List<String> near = nearNames(rule.figure(), knownFigures);
        throw new SeerException(MonitoringErrorCode.UNKNOWN_NAME,
                "Alert rule [" + rule.id() + "] names figure [" + rule.figure() + "], which "
                        + (rule.isPattern() ? "matches no figure" : "is not a figure") + " the monitor knows"
                        + (near.isEmpty() ? "" : "; near names: " + near),
                Map.of("field", "figure", "figure", rule.figure(), "near", near));
    }

    /** The known names closest by edit distance (the '*' of a pattern costs nothing against its segment). */
    static List<String> nearNames(String name, Set<String> known) {
        int limit = Math.max(3, name.length() / 3);
        return known.stream()
                .map(candidate -> Map.entry(candidate, distance(name, candidate)))
                .filter(entry -> entry.getValue() <= limit)
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(NEAR_NAMES)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }

    private static int distance(String pattern, String candidate) {
        String[] p = pattern.split("/", -1);
        String[] c = candidate.split("/", -1);
        if (p.length != c.length) {
            return levenshtein(pattern, candidate);
        }
        int sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i].equals("*") ? 0 : levenshtein(p[i], c[i]);
        }
        return sum;
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String text(Map<String, ?> fields, String key) {
        Object value = fields.get(key);
        if (value == null) {
            throw Errors.invalid(key, "is missing");
        }
        if (!(value instanceof String string)) {
            throw Errors.invalid(key, "is [" + value + "], not a string");
        }
        return string;
    }

    private static double number(Map<String, ?> fields, String key) {
        Object value = fields.get(key);
        if (value == null) {
            throw Errors.invalid(key, "is missing");
        }
        if (!(value instanceof Number number)) {
            throw Errors.invalid(key, "is [" + value + "], not a number");
        }
        return number.doubleValue();
    }

    private static int windows(Object value) {
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() != ((Number) value).intValue()) {
            throw Errors.invalid("for", "is [" + value + "], not a whole number of windows");
        }
        return ((Number) value).intValue();
    }
}
