package dev.seer.registry.search;

import dev.seer.core.SeerException;
import dev.seer.registry.search.FilterLexer.Kind;
import dev.seer.registry.search.FilterLexer.Token;
import dev.seer.registry.search.RunFilter.And;
import dev.seer.registry.search.RunFilter.Comparison;
import dev.seer.registry.search.RunFilter.Entity;
import dev.seer.registry.search.RunFilter.Millis;
import dev.seer.registry.search.RunFilter.Operator;
import dev.seer.registry.search.RunFilter.Real;
import dev.seer.registry.search.RunFilter.Text;
import dev.seer.registry.search.RunFilter.Texts;
import dev.seer.registry.search.RunFilter.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser of MLflow's search language (its {@code SearchUtils}, which leans on
 * sqlparse; this grammar is what that accepts for runs):
 *
 * <pre>
 * filter     := comparison ( AND comparison )*          -- AND in any case; OR is refused
 * comparison := target operator value
 * order      := target [ ASC | DESC ]
 * target     := prefix '.' key | attribute               -- a bare name is an attribute
 * prefix     := metric(s) | param(s) | parameter(s) | tag(s) | attribute(s) | attr | run
 * key        := word | `quoted` | "quoted"               -- a word may hold dots: metrics.val.auc
 * value      := number | 'string' | "string" | '(' string ( ',' string )* ')'
 * </pre>
 *
 * Which operator and value a target takes is {@link Rules}' business; every refusal names the
 * column and what would have fit there.
 */
final class FilterParser {
    private static final Map<String, Entity> PREFIXES = Map.ofEntries(
            Map.entry("metric", Entity.METRIC), Map.entry("metrics", Entity.METRIC),
            Map.entry("param", Entity.PARAM), Map.entry("params", Entity.PARAM),
            Map.entry("parameter", Entity.PARAM), Map.entry("parameters", Entity.PARAM),
            Map.entry("tag", Entity.TAG), Map.entry("tags", Entity.TAG),
            Map.entry("attribute", Entity.ATTRIBUTE), Map.entry("attributes", Entity.ATTRIBUTE),
            Map.entry("attr", Entity.ATTRIBUTE), Map.entry("run", Entity.ATTRIBUTE));
    private static final Map<String, Operator> SYMBOLS = Map.of(
            "=", Operator.EQ, "!=", Operator.NE, ">", Operator.GT, ">=", Operator.GE, "<", Operator.LT, "<=", Operator.LE);
    private static final String TARGET = "a key such as metrics.auc, params.`a b`, tags.team or attributes.status";

    /** What a filter or order names: the entity, its key, and for an attribute the attribute itself. */
    private record Target(Entity entity, String key, RunAttribute attribute) {}

    private final String what;
    private final String text;
    private final List<Token> tokens;
    private int next;

    FilterParser(String text, String what) {
        this.what = what;
        this.text = text;
        this.tokens = FilterLexer.tokens(what, text);
    }

    RunFilter parseFilter() {
        List<Comparison> comparisons = new ArrayList<>();
        comparisons.add(comparison());
        while (peek().isKeyword("AND")) {
            advance();
            comparisons.add(comparison());
        }
        Token end = advance();
        if (end.isKeyword("OR")) {
            throw error(end, "AND (OR is not supported: a filter joins its comparisons with AND only)");
        }
        if (end.kind() != Kind.END) {
            throw error(end, "AND or the end of the filter");
        }
        return comparisons.size() == 1 ? comparisons.get(0) : new And(comparisons);
    }

    OrderBy parseOrderBy() {
        Target target = target();
        boolean ascending = true;
        if (peek().isKeyword("ASC") || peek().isKeyword("DESC")) {
            ascending = advance().isKeyword("ASC");
        }
        Token end = advance();
        if (end.kind() != Kind.END) {
            throw error(end, "ASC, DESC or the end of the order");
        }
        return new OrderBy(target.entity(), target.key(), ascending);
    }

    private Comparison comparison() {
        Target target = target();
        Operator operator = operator(target);
        Value value = value(Rules.valueKind(target.entity(), target.attribute(), operator));
        return new Comparison(target.entity(), target.key(), operator, value);
    }

    private Target target() {
        Token token = advance();
        if (token.kind() == Kind.DOUBLE_QUOTED || token.kind() == Kind.BACKTICKED) {
            return attribute(token.value(), token.start());
        }
        if (token.kind() != Kind.WORD) {
            throw error(token, TARGET);
        }
        int dot = token.value().indexOf('.');
        if (dot < 0) {
            return attribute(token.value(), token.start()); // MLflow's default entity
        }
        Entity entity = PREFIXES.get(token.value().substring(0, dot));
        if (entity == null) {
            throw error(token.start(), "an entity prefix (metrics., params., tags. or attributes.)", token.value().substring(0, dot));
        }
        return keyed(entity, token, dot);
    }

    /** The key after {@code prefix.}: the rest of the word, or a quoted key written right after the dot. */
    private Target keyed(Entity entity, Token word, int dot) {
        String key = word.value().substring(dot + 1);
        int keyStart = word.start() + dot + 1;
        if (key.isEmpty() && peek().isQuoted() && peek().start() == word.end()) {
            Token quoted = advance();
            key = quoted.value();
            keyStart = quoted.start();
        }
        if (key.isEmpty()) {
            throw error(keyStart, "a key after [" + word.value() + "] (quote it in backticks if it has spaces)",
                    peek().start() == word.end() && peek().kind() != Kind.END ? raw(peek()) : null);
        }
        return entity == Entity.ATTRIBUTE ? attribute(key, keyStart) : new Target(entity, key, null);
    }

    private Target attribute(String key, int start) {
        RunAttribute attribute = RunAttribute.forKey(key)
                .orElseThrow(() -> error(start, "an attribute (" + RunAttribute.keys() + ")", key));
        return new Target(Entity.ATTRIBUTE, attribute.key(), attribute);
    }

    private Operator operator(Target target) {
        Token token = advance();
        Operator operator = operatorOf(token);
        Set<Operator> allowed = Rules.operators(target.entity(), target.attribute());
        if (operator == null || !allowed.contains(operator)) {
            throw error(token, "a comparison of " + describe(target) + " (" + Rules.describe(allowed) + ")");
        }
        return operator;
    }

    private Operator operatorOf(Token token) {
        if (token.kind() == Kind.OPERATOR) {
            return SYMBOLS.get(token.value());
        }
        if (token.isKeyword("NOT") && peek().isKeyword("IN")) {
            advance();
            return Operator.NOT_IN;
        }
        for (Operator word : List.of(Operator.LIKE, Operator.ILIKE, Operator.IN)) {
            if (token.isKeyword(word.symbol())) {
                return word;
            }
        }
        return null;
    }

    private static String describe(Target target) {
        return target.entity() == Entity.ATTRIBUTE ? "the attribute [" + target.key() + "]"
                : "a " + target.entity().name().toLowerCase(Locale.ROOT);
    }

    private Value value(Rules.ValueKind kind) {
        Token token = advance();
        return switch (kind) {
            case NUMBER -> real(token);
            case WHOLE_NUMBER -> millis(token);
            case STRING -> new Text(string(token, kind));
            case STRING_LIST -> texts(token);
        };
    }

    private Real real(Token token) {
        double value = token.kind() == Kind.NUMBER ? Double.parseDouble(token.value()) : Double.NaN;
        if (!Double.isFinite(value)) {
            throw error(token, token.kind() == Kind.NUMBER ? "a number within the range of a double" : "a number");
        }
        return new Real(value);
    }

    private Millis millis(Token token) {
        if (token.kind() == Kind.NUMBER && token.value().matches("[+-]?\\d+")) {
            try {
                return new Millis(Long.parseLong(token.value()));
            } catch (NumberFormatException e) {
                // out of range: refused below
            }
        }
        throw error(token, Rules.ValueKind.WHOLE_NUMBER.description());
    }

    /** A value in single or double quotes, as MLflow takes both. */
    private String string(Token token, Rules.ValueKind kind) {
        if (token.kind() != Kind.SINGLE_QUOTED && token.kind() != Kind.DOUBLE_QUOTED) {
            throw error(token, kind.description());
        }
        return token.value();
    }

    private Texts texts(Token open) {
        if (open.kind() != Kind.LEFT_PAREN) {
            throw error(open, Rules.ValueKind.STRING_LIST.description());
        }
        List<String> values = new ArrayList<>();
        Token separator;
        do {
            values.add(string(advance(), Rules.ValueKind.STRING));
            separator = advance();
        } while (separator.kind() == Kind.COMMA);
        if (separator.kind() != Kind.RIGHT_PAREN) {
            throw error(separator, "a comma or the closing parenthesis");
        }
        return new Texts(values);
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token advance() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private String raw(Token token) {
        return text.substring(token.start(), token.end());
    }

    private SeerException error(Token at, String expected) {
        return error(at.start(), expected, at.kind() == Kind.END ? null : raw(at));
    }

    private SeerException error(int index, String expected, String found) {
        return FilterLexer.error(what, text, index, expected, found);
    }
}
