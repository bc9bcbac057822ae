package dev.seer.monitoring.alert;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A rule on one figure, or on every figure matching a pattern with one {@code *} segment (each
 * matching figure is tracked on its own): the rule holds in a window when
 * {@code value <comparison> threshold}, and fires once it has held for {@code forWindows}
 * consecutive windows with data (Prometheus's {@code for}, counted in windows, not seconds, since
 * figures only change when a window closes).
 */
public record AlertRule(String id, String figure, Comparison comparison, double threshold, int forWindows, Severity severity) {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    /** A persistence longer than this is almost certainly a unit mistake (windows taken for seconds). */
    static final int MAX_FOR = 10_000;

    public enum Comparison {
        GT(">"), GE(">="), LT("<"), LE("<=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean holds(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
            };
        }

        /** Reads {@code >}, {@code >=}, {@code <}, {@code <=} (or the enum names). */
        public static Comparison parse(String text) {
            requireNonNull(text, "comparison is null");
            for (Comparison comparison : values()) {
                if (comparison.symbol.equals(text.strip()) || comparison.name().equalsIgnoreCase(text.strip())) {
                    return comparison;
                }
            }
            throw Errors.invalid("comparison", "is [" + text + "], not one of >, >=, <, <=");
        }
    }

    public enum Severity {
        INFO, WARNING, CRITICAL;

        public static Severity parse(String text) {
            requireNonNull(text, "severity is null");
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Errors.invalid("severity", "is [" + text + "], not one of info, warning, critical");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AlertRule {
        if (id == null || !ID.matcher(id).matches()) {
            throw Errors.invalid("id", "is [" + id + "]; an id is 1 to 64 of a-z, 0-9, '_', '.', '-', starting with a letter or digit");
        }
        if (figure == null) {
            throw Errors.invalid("figure", "is missing");
        }
        Figure.checkName(figure, "figure", true);
        if (comparison == null) {
            throw Errors.invalid("comparison", "is missing");
        }
        if (!Double.isFinite(threshold)) {
            throw Errors.invalid("threshold", "is [" + threshold + "]; a threshold is a finite number");
        }
        if (forWindows < 1 || forWindows > MAX_FOR) {
            throw Errors.invalid("for", "is [" + forWindows + "]; it counts consecutive windows, from 1 to " + MAX_FOR);
        }
        if (severity == null) {
            throw Errors.invalid("severity", "is missing");
        }
    }

    /** A rule that fires on the first window where it holds, with severity warning. */
    public AlertRule(String id, String figure, Comparison comparison, double threshold) {
        this(id, figure, comparison, threshold, 1, Severity.WARNING);
    }

    public boolean isPattern() {
        return figure.contains("*");
    }

    /** Whether this rule applies to the figure named {@code name}. */
    public boolean matches(String name) {
        if (!isPattern()) {
            return figure.equals(name);
        }
        String[] pattern = figure.split("/", -1);
        String[] segments = name.split("/", -1);
        if (segments.length != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].equals("*") && !pattern[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    boolean holds(double value) {
        return comparison.holds(value, threshold);
    }
}
