package dev.seer.monitoring.alert;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One monitored figure of a closed window: a name {@code deployment/kind/subject/statistic} (for
 * example {@code churn/drift/spend/wasserstein_normed}), the window, the value and whether there
 * was data at all. A NO_DATA figure carries NaN: it is neither above nor below any threshold.
 */
public record Figure(String name, Instant windowStart, Instant windowEnd, double value, Status status) {
    /** Whether the window had data for this figure. */
    public enum Status { OK, NO_DATA }

    static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");
    static final int SEGMENTS = 4;

    public Figure {
        requireNonNull(name, "name is null");
        requireNonNull(windowStart, "windowStart is null");
        requireNonNull(windowEnd, "windowEnd is null");
        requireNonNull(status, "status is null");
        checkName(name, "figure", false);
        if (!windowEnd.isAfter(windowStart)) {
            throw Errors.invalid("window", "end [" + windowEnd + "] is not after its start [" + windowStart + "]");
        }
        if (status == Status.OK && !Double.isFinite(value)) {
            throw Errors.invalid("value", "of figure [" + name + "] is [" + value + "]; a figure without a finite value is NO_DATA");
        }
        if (status == Status.NO_DATA) {
            value = Double.NaN;
        }
    }

    public static Figure ok(String name, Instant windowStart, Instant windowEnd, double value) {
        return new Figure(name, windowStart, windowEnd, value, Status.OK);
    }

    public static Figure noData(String name, Instant windowStart, Instant windowEnd) {
        return new Figure(name, windowStart, windowEnd, Double.NaN, Status.NO_DATA);
    }

    /** Checks a figure name, or with {@code pattern} a name with at most one whole {@code *} segment. */
    static void checkName(String name, String field, boolean pattern) {
        String[] segments = name.split("/", -1);
        if (segments.length != SEGMENTS) {
            throw Errors.invalid(field, "[" + name + "] is not deployment/kind/subject/statistic (" + segments.length
                    + " segments, not " + SEGMENTS + ")");
        }
        int stars = 0;
        for (String segment : segments) {
            if (pattern && segment.equals("*")) {
                stars++;
            } else if (!SEGMENT.matcher(segment).matches()) {
                throw Errors.invalid(field, "[" + name + "] has segment [" + segment + "]; segments are letters, digits, '_', '.', '-'"
                        + (pattern ? " or one whole '*'" : ""));
            }
        }
        if (stars > 1) {
            throw Errors.invalid(field, "[" + name + "] has [" + stars + "] '*' segments; a pattern has at most one");
        }
    }
}
