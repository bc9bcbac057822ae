package dev.seer.server;

import dev.seer.registry.tracking.Experiment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's filter for {@code experiments/search}: conditions joined by {@code AND} on
 * {@code name} (or {@code attributes.name}) with {@code =}, {@code !=}, {@code LIKE},
 * {@code ILIKE}; on {@code creation_time} and {@code last_update_time} (epoch milliseconds)
 * with {@code = != > >= < <=}; and on {@code tags.<key>} (a key in backticks or double quotes
 * may hold any character) with the string comparators. An experiment without the tag matches no
 * condition on it, as in MLflow. It is evaluated in memory over the experiments, which are few;
 * nothing of it reaches SQL. Anything else is refused with the condition it could not read; the
 * same for {@link #order}.
 */
final class MlflowExperimentFilter {
    private static final Pattern CONDITION = Pattern.compile("\\s*(?:(?<prefix>attributes?|attr|tags?)\\.)?"
            + "(?:(?<plain>[A-Za-z0-9_.\\-]+)|`(?<backticked>[^`]+)`|\"(?<quoted>[^\"]+)\")"
            + "\\s*(?<op>=|!=|>=|<=|>|<|(?i:ILIKE|LIKE))\\s*(?:'(?<text>[^']*)'|\"(?<dtext>[^\"]*)\"|(?<number>-?\\d+))\\s*");

    private static final Pattern ORDER = Pattern.compile(
            "\\s*(?:attributes?\\.)?(name|creation_time|last_update_time|experiment_id)(?:\\s+(?i:(ASC|DESC)))?\\s*");

    private MlflowExperimentFilter() {}

    /** All experiments for a blank filter; else those every condition holds for. */
    static Predicate<Experiment> parse(Optional<String> filter) {
        Predicate<Experiment> all = e -> true;
        if (filter.isEmpty() || filter.get().isBlank()) {
            return all;
        }
        for (String part : conditions(filter.get())) {
            all = all.and(condition(part, filter.get()));
        }
        return all;
    }

    /** The filter cut at each {@code AND} outside quotes. */
    private static List<String> conditions(String filter) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        char quote = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (isAnd(filter, i)) {
                parts.add(filter.substring(start, i));
                start = i + 3;
                i += 2;
            }
        }
        parts.add(filter.substring(start));
        return parts;
    }

    private static boolean isAnd(String filter, int i) {
        return i > 0 && i + 3 < filter.length() && Character.isWhitespace(filter.charAt(i - 1))
                && filter.regionMatches(true, i, "AND", 0, 3) && Character.isWhitespace(filter.charAt(i + 3));
    }

    private static Predicate<Experiment> condition(String part, String filter) {
        Matcher m = CONDITION.matcher(part);
        if (!m.matches()) {
            throw refused(part, filter, "is not <identifier> <comparator> <value>");
        }
        String key = m.group("plain") != null ? m.group("plain") : m.group("backticked") != null ? m.group("backticked")
                : m.group("quoted");
        String op = m.group("op").toUpperCase(Locale.ROOT);
        String text = m.group("text") != null ? m.group("text") : m.group("dtext");
        String prefix = m.group("prefix") == null ? "attributes" : m.group("prefix").toLowerCase(Locale.ROOT);
        if (prefix.startsWith("tag")) {
            Predicate<String> matches = text(op, text, part, filter);
            return e -> e.tags().containsKey(key) && matches.test(e.tags().get(key));
        }
        return switch (key) {
            case "name" -> {
                Predicate<String> matches = text(op, text, part, filter);
                yield e -> matches.test(e.name());
            }
            case "creation_time" -> time(op, m.group("number"), part, filter, e -> e.created().toEpochMilli());
            case "last_update_time" -> time(op, m.group("number"), part, filter, e -> e.lastUpdated().toEpochMilli());
            default -> throw refused(part, filter, "names no attribute of an experiment (name, creation_time,"
                    + " last_update_time) and no tags.<key>");
        };
    }

    /** A string comparison, checked now: a quoted value and one of = != LIKE ILIKE. */
    private static Predicate<String> text(String op, String value, String part, String filter) {
        if (value == null) {
            throw refused(part, filter, "compares a string with a number: quote the value");
        }
        return switch (op) {
            case "=" -> value::equals;
            case "!=" -> actual -> !actual.equals(value);
            case "LIKE" -> like(value, 0);
            case "ILIKE" -> like(value, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            default -> throw refused(part, filter, "compares a string with [" + op + "]: use =, !=, LIKE or ILIKE");
        };
    }

    private static Predicate<Experiment> time(String op, String number, String part, String filter,
            java.util.function.ToLongFunction<Experiment> field) {
        if (number == null || op.endsWith("LIKE")) {
            throw refused(part, filter, "compares a time: use = != > >= < <= and milliseconds since the epoch");
        }
        long value;
        try {
            value = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw refused(part, filter, "compares a time with [" + number + "], beyond milliseconds a time can hold");
        }
        return e -> {
            long actual = field.applyAsLong(e);
            return switch (op) {
                case "=" -> actual == value;
                case "!=" -> actual != value;
                case ">" -> actual > value;
                case ">=" -> actual >= value;
                case "<" -> actual < value;
                default -> actual <= value;
            };
        };
    }

    /**
     * MLflow's {@code order_by} for experiments: {@code name}, {@code creation_time},
     * {@code last_update_time} or {@code experiment_id} (an {@code attributes.} prefix allowed),
     * each {@code ASC} (the default) or {@code DESC}, ties by id; without one, MLflow's default:
     * newest first, then by id.
     */
    static Comparator<Experiment> order(List<String> orderBy) {
        Comparator<Experiment> byId = Comparator.comparingLong(e -> Long.parseLong(e.id()));
        if (orderBy.isEmpty()) {
            return Comparator.comparing(Experiment::created).reversed().thenComparing(byId); // MLflow's default
        }
        Comparator<Experiment> order = null;
        for (String clause : orderBy) {
            Matcher m = ORDER.matcher(clause);
            if (!m.matches()) {
                throw MlflowJson.invalid("order_by [" + clause + "] is not one of name, creation_time, last_update_time"
                        + " or experiment_id, with ASC or DESC", "order_by");
            }
            Comparator<Experiment> key = switch (m.group(1)) {
                case "name" -> Comparator.comparing(Experiment::name);
                case "creation_time" -> Comparator.comparing(Experiment::created);
                case "last_update_time" -> Comparator.comparing(Experiment::lastUpdated);
                default -> byId;
            };
            key = "DESC".equalsIgnoreCase(m.group(2)) ? key.reversed() : key;
            order = order == null ? key : order.thenComparing(key);
        }
        return order.thenComparing(byId);
    }

    /** SQL's LIKE: {@code %} any run of characters, {@code _} one; everything else literal. */
    static Predicate<String> like(String pattern, int flags) {
        StringBuilder regex = new StringBuilder();
        pattern.codePoints().forEach(c -> regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(Character.toString(c))));
        Pattern compiled = Pattern.compile(regex.toString(), flags | Pattern.DOTALL);
        return s -> compiled.matcher(s).matches();
    }

    private static RuntimeException refused(String part, String filter, String why) {
        return MlflowJson.invalid("Filter [" + filter + "]: condition [" + part.strip() + "] " + why, "filter");
    }
}
