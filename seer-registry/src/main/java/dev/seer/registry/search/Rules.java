package dev.seer.registry.search;

import static dev.seer.registry.search.RunFilter.Operator.EQ;
import static dev.seer.registry.search.RunFilter.Operator.GE;
import static dev.seer.registry.search.RunFilter.Operator.GT;
import static dev.seer.registry.search.RunFilter.Operator.ILIKE;
import static dev.seer.registry.search.RunFilter.Operator.IN;
import static dev.seer.registry.search.RunFilter.Operator.LE;
import static dev.seer.registry.search.RunFilter.Operator.LIKE;
import static dev.seer.registry.search.RunFilter.Operator.LT;
import static dev.seer.registry.search.RunFilter.Operator.NE;
import static dev.seer.registry.search.RunFilter.Operator.NOT_IN;

import dev.seer.registry.search.RunFilter.Entity;
import dev.seer.registry.search.RunFilter.Millis;
import dev.seer.registry.search.RunFilter.Operator;
import dev.seer.registry.search.RunFilter.Real;
import dev.seer.registry.search.RunFilter.Text;
import dev.seer.registry.search.RunFilter.Texts;
import dev.seer.registry.search.RunFilter.Value;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** MLflow's rules of which operators and values each entity takes (its {@code SearchUtils}). */
final class Rules {
    private static final Set<Operator> NUMERIC = EnumSet.of(EQ, NE, GT, GE, LT, LE);
    private static final Set<Operator> STRING = EnumSet.of(EQ, NE, LIKE, ILIKE);
    private static final Set<Operator> RUN_ID = EnumSet.of(EQ, NE, LIKE, ILIKE, IN, NOT_IN);

    /** The kinds of value, named as a message says what it expected. */
    enum ValueKind {
        NUMBER("a number"), WHOLE_NUMBER("a whole number (epoch milliseconds)"), STRING("a quoted string"),
        STRING_LIST("a parenthesized list of quoted strings");

        private final String description;

        ValueKind(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    private Rules() {}

    /** The operators {@code entity} (and, for an attribute, {@code attribute}) takes. */
    static Set<Operator> operators(Entity entity, RunAttribute attribute) {
        return switch (entity) {
            case METRIC -> NUMERIC;
            case PARAM, TAG -> STRING;
            case ATTRIBUTE -> attribute.isTime() ? NUMERIC : attribute == RunAttribute.RUN_ID ? RUN_ID : STRING;
        };
    }

    static String describe(Set<Operator> operators) {
        return operators.stream().map(Operator::symbol).collect(Collectors.joining(", "));
    }

    /** The kind of value {@code operator} compares {@code entity} with. */
    static ValueKind valueKind(Entity entity, RunAttribute attribute, Operator operator) {
        if (operator == IN || operator == NOT_IN) {
            return ValueKind.STRING_LIST;
        }
        return switch (entity) {
            case METRIC -> ValueKind.NUMBER;
            case PARAM, TAG -> ValueKind.STRING;
            case ATTRIBUTE -> attribute.isTime() ? ValueKind.WHOLE_NUMBER : ValueKind.STRING;
        };
    }

    /** Why a comparison built by hand does not fit together, or null when it does. */
    static String problem(Entity entity, String key, Operator operator, Value value) {
        RunAttribute attribute = null;
        if (entity == Entity.ATTRIBUTE) {
            attribute = RunAttribute.forKey(key).filter(a -> a.key().equals(key)).orElse(null);
            if (attribute == null) {
                return "[" + key + "] is not one of the attributes " + RunAttribute.keys();
            }
        }
        if (!operators(entity, attribute).contains(operator)) {
            return "[" + operator.symbol() + "] does not compare " + entity + " [" + key + "]";
        }
        ValueKind kind = valueKind(entity, attribute, operator);
        boolean fits = switch (kind) {
            case NUMBER -> value instanceof Real;
            case WHOLE_NUMBER -> value instanceof Millis;
            case STRING -> value instanceof Text;
            case STRING_LIST -> value instanceof Texts;
        };
        return fits ? null : entity + " [" + key + "] " + operator.symbol() + " takes " + kind.description() + ", not " + value;
    }
}
