package dev.seer.registry.search;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a filter or an order into tokens, each with its place in the text so errors can point at
 * a column. Quoted tokens come back unquoted, a doubled quote inside standing for one (SQL's
 * rule): {@code 'it''s'} is {@code it's}. Characters that start no token become one-character
 * {@link Kind#OTHER} tokens, so the parser reports them with what it expected there.
 */
final class FilterLexer {
    /** What a token is. */
    enum Kind { WORD, SINGLE_QUOTED, DOUBLE_QUOTED, BACKTICKED, NUMBER, OPERATOR, LEFT_PAREN, RIGHT_PAREN, COMMA, OTHER, END }

    /** A token: {@code value} is its text, unquoted; {@code start} and {@code end} index the input. */
    record Token(Kind kind, String value, int start, int end) {
        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && value.equalsIgnoreCase(keyword);
        }

        boolean isQuoted() {
            return kind == Kind.SINGLE_QUOTED || kind == Kind.DOUBLE_QUOTED || kind == Kind.BACKTICKED;
        }
    }

    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final int MAX_SHOWN = 40;

    private final String what;
    private final String text;
    private int index;

    private FilterLexer(String what, String text) {
        this.what = what;
        this.text = text;
    }

    /** The tokens of {@code text}, ending with an {@link Kind#END} token; {@code what} names the text in errors. */
    static List<Token> tokens(String what, String text) {
        FilterLexer lexer = new FilterLexer(what, text);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.END);
        return tokens;
    }

    /**
     * The error of a filter or an order: {@code Filter "metrics.auc >" at column 14: expected a
     * number}, with what was found instead unless the text ended there.
     */
    static SeerException error(String what, String text, int index, String expected, String found) {
        String shown = found == null ? "" : ", found [" + abbreviate(found) + "]";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("input", text);
        details.put("position", index + 1);
        details.put("expected", expected);
        return new SeerException(RegistryErrorCode.INVALID_REQUEST,
                what + " \"" + text + "\" at column " + (index + 1) + ": expected " + expected + shown, details);
    }

    private static String abbreviate(String found) {
        return found.length() <= MAX_SHOWN ? found : found.substring(0, MAX_SHOWN) + "...";
    }

    private Token next() {
        while (index < text.length() && Character.isWhitespace(text.charAt(index))) {
            index++;
        }
        if (index == text.length()) {
            return new Token(Kind.END, "", index, index);
        }
        char c = text.charAt(index);
        return switch (c) {
            case '\'' -> quoted(Kind.SINGLE_QUOTED, c);
            case '"' -> quoted(Kind.DOUBLE_QUOTED, c);
            case '`' -> quoted(Kind.BACKTICKED, c);
            case '(' -> single(Kind.LEFT_PAREN);
            case ')' -> single(Kind.RIGHT_PAREN);
            case ',' -> single(Kind.COMMA);
            case '=', '<', '>', '!' -> operator();
            default -> startsNumber() ? number() : isWordChar(c) ? word(index) : single(Kind.OTHER);
        };
    }

    private Token single(Kind kind) {
        index++;
        return new Token(kind, text.substring(index - 1, index), index - 1, index);
    }

    /** {@code = != <> < <= > >=}; a lone {@code !} is no operator. */
    private Token operator() {
        int start = index;
        char c = text.charAt(index++);
        char after = index < text.length() ? text.charAt(index) : ' ';
        if (after == '=' || c == '<' && after == '>') {
            index++;
        } else if (c == '!') {
            return new Token(Kind.OTHER, "!", start, index);
        }
        return new Token(Kind.OPERATOR, text.substring(start, index), start, index);
    }

    private boolean startsNumber() {
        char c = text.charAt(index);
        int digitAt = c == '+' || c == '-' ? index + 1 : index;
        if (digitAt < text.length() && text.charAt(digitAt) == '.') {
            digitAt++;
        }
        return digitAt < text.length() && Character.isDigit(text.charAt(digitAt));
    }

    /** A number; digits running on into letters ({@code 1abc}) make a word, which no value position takes. */
    private Token number() {
        int start = index;
        Matcher matcher = NUMBER.matcher(text).region(index, text.length());
        index = matcher.lookingAt() ? matcher.end() : index + 1;
        if (index < text.length() && isWordChar(text.charAt(index))) {
            return word(start);
        }
        return new Token(Kind.NUMBER, text.substring(start, index), start, index);
    }

    /** Letters, digits, {@code _} and dots: {@code metrics.val.auc} is one word, split at its first dot by the parser. */
    private Token word(int start) {
        index = Math.max(index, start);
        while (index < text.length() && isWordChar(text.charAt(index))) {
            index++;
        }
        return new Token(Kind.WORD, text.substring(start, index), start, index);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }

    private Token quoted(Kind kind, char quote) {
        int start = index++;
        StringBuilder value = new StringBuilder();
        while (index < text.length()) {
            char c = text.charAt(index++);
            if (c != quote) {
                value.append(c);
            } else if (index < text.length() && text.charAt(index) == quote) {
                value.append(quote);
                index++;
            } else {
                return new Token(kind, value.toString(), start, index);
            }
        }
        throw error(what, text, text.length(), "the closing " + quote + " of the text quoted at column " + (start + 1), null);
    }
}
