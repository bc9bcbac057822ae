package dev.seer.monitoring.report;

/**
 * Escaping of every text that reaches the HTML, in element content and in (always double-quoted)
 * attributes alike: {@code & < > " '} as character references, and {@code /} as {@code &#47;}
 * (OWASP's rule, and so no text can ever put a {@code //} or a URL-looking {@code https://} into the
 * file), characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/U+FFFF) as U+FFFD. The output
 * is then both HTML5 and well-formed XML, which is how the tests check it.
 */
final class Markup {
    private Markup() {
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '/' -> out.append("&#47;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c) || !allowed(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** XML 1.0's Char production, less the C1 controls that HTML5 also forbids in text. */
    private static boolean allowed(char c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return true;
        }
        return c >= 0x20 && !(c >= 0x7F && c <= 0x9F) && c != 0xFFFE && c != 0xFFFF;
    }
}
