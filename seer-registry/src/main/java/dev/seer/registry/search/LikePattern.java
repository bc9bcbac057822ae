package dev.seer.registry.search;

import java.util.function.Function;

/**
 * A LIKE pattern as a filter writes it ({@code %} any run of characters, {@code _} one character,
 * a backslash taking the next character literally, as PostgreSQL's LIKE does), rewritten for each
 * engine so both match alike and case-sensitively: SQLite's LIKE ignores ASCII case, so there a
 * LIKE becomes a GLOB, whose own wildcards ({@code * ? [}) are bracketed to stay literal.
 */
final class LikePattern {
    private LikePattern() {}

    /** For {@code LIKE ? ESCAPE '\'} (and ILIKE): the same pattern, every literal wildcard escaped. */
    static String toLike(String pattern) {
        return translate(pattern, "%", "_", c -> c == '%' || c == '_' || c == '\\' ? "\\" + c : String.valueOf(c));
    }

    /** For SQLite's {@code GLOB ?}, which is case-sensitive. */
    static String toGlob(String pattern) {
        return translate(pattern, "*", "?", c -> c == '*' || c == '?' || c == '[' ? "[" + c + "]" : String.valueOf(c));
    }

    private static String translate(String pattern, String any, String one, Function<Character, String> literal) {
        StringBuilder out = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                out.append(literal.apply(pattern.charAt(++i)));
            } else if (c == '%' || c == '_') {
                out.append(c == '%' ? any : one);
            } else {
                out.append(literal.apply(c)); // a trailing backslash is itself
            }
        }
        return out.toString();
    }
}
