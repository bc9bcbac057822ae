package dev.seer.monitoring.report;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Number, time and name formatting shared by both renderings: Locale.ROOT and fixed patterns, so the
 * same report renders the same characters on any machine.
 */
final class Format {
    private Format() {
    }

    /** Fixed decimals; "-" for NaN, "inf" / "-inf" for infinities, never "-0.00". */
    static String fixed(double v, int digits) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        String s = String.format(Locale.ROOT, "%." + digits + "f", v);
        return s.matches("-0\\.?0*") ? s.substring(1) : s;
    }

    /** A p-value: 4 decimals, scientific below 1e-4 so a tiny p-value is not shown as 0. */
    static String p(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == 0) {
            return "0";
        }
        return v < 1e-4 ? String.format(Locale.ROOT, "%.2e", v) : fixed(v, 4);
    }

    /** A statistic or share: 4 decimals. */
    static String num(double v) {
        return fixed(v, 4);
    }

    /** An axis label: 4 significant digits. */
    static String axis(double v) {
        if (!Double.isFinite(v)) {
            return fixed(v, 0);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        return s.startsWith("-") && Double.parseDouble(s) == 0 ? s.substring(1) : s;
    }

    /** An SVG coordinate. */
    static String coord(double v) {
        return fixed(v, 1);
    }

    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    static String percent(double share) {
        return fixed(100 * share, 1) + "%";
    }

    /**
     * At most {@code max} code points, the cut marked by "...", never splitting a surrogate pair.
     */
    static String truncate(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 3)) + "...";
    }

    /**
     * Text safe to print on a terminal: control characters (C0, DEL, C1) and the bidirectional
     * overrides and isolates (which reorder what the terminal shows) become visible escapes of their
     * code point, four hex digits ({@code \\u001B} for ESC, {@code \\u202E} for a right-to-left override).
     */
    static String terminal(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || isBidiControl(cp)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    static boolean isBidiControl(int cp) {
        return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** Display width in code points (wide characters count as one: good enough for an aligned table). */
    static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
