package dev.seer.registry.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.search.RunFilter.And;
import dev.seer.registry.search.RunFilter.Comparison;
import dev.seer.registry.search.RunFilter.Entity;
import dev.seer.registry.search.RunFilter.Millis;
import dev.seer.registry.search.RunFilter.Operator;
import dev.seer.registry.search.RunFilter.Real;
import dev.seer.registry.search.RunFilter.Text;
import dev.seer.registry.search.RunFilter.Texts;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunFilterTest {
    @ParameterizedTest
    @CsvSource({
        "metrics.auc > 0.5, METRIC", "metric.auc > 0.5, METRIC",
        "params.auc = '1', PARAM", "param.auc = '1', PARAM", "parameters.auc = '1', PARAM", "parameter.auc = '1', PARAM",
        "tags.auc = '1', TAG", "tag.auc = '1', TAG"})
    void everyPrefixAndAliasNamesItsEntity(String filter, Entity entity) {
        assertThat(RunFilter.parse(filter)).isInstanceOfSatisfying(Comparison.class, c -> {
            assertThat(c.entity()).isEqualTo(entity);
            assertThat(c.key()).isEqualTo("auc");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"attributes.status = 'FINISHED'", "attribute.status = 'FINISHED'", "attr.status = 'FINISHED'",
        "run.status = 'FINISHED'", "status = 'FINISHED'", "`status` = 'FINISHED'", "status = \"FINISHED\""})
    void attributesTakeFourPrefixesOrNone(String filter) {
        assertThat(RunFilter.parse(filter))
                .isEqualTo(new Comparison(Entity.ATTRIBUTE, "status", Operator.EQ, new Text("FINISHED")));
    }

    @Test
    void everyAttributeMlflowSearchesIsAccepted() {
        for (String attribute : List.of("run_id", "run_name", "user_id", "status", "artifact_uri", "lifecycle_stage")) {
            assertThat(RunFilter.parse("attributes." + attribute + " != 'x'"))
                    .isEqualTo(new Comparison(Entity.ATTRIBUTE, attribute, Operator.NE, new Text("x")));
        }
        assertThat(RunFilter.parse("start_time >= 5 AND end_time < -3")).isEqualTo(new And(List.of(
                new Comparison(Entity.ATTRIBUTE, "start_time", Operator.GE, new Millis(5)),
                new Comparison(Entity.ATTRIBUTE, "end_time", Operator.LT, new Millis(-3)))));
    }

    @Test
    void mlflowAliasesOfAttributesAreTheirCanonicalNames() {
        assertThat(RunFilter.parse("attributes.created > 10"))
                .isEqualTo(new Comparison(Entity.ATTRIBUTE, "start_time", Operator.GT, new Millis(10)));
        assertThat(RunFilter.parse("`Run name` LIKE 'a%'"))
                .isEqualTo(new Comparison(Entity.ATTRIBUTE, "run_name", Operator.LIKE, new Text("a%")));
        assertThat(RunFilter.parse("attributes.\"run name\" = 'a'"))
                .isEqualTo(new Comparison(Entity.ATTRIBUTE, "run_name", Operator.EQ, new Text("a")));
    }

    @Test
    void keysMayHoldDotsBareOrBeQuotedWithBackticksOrDoubleQuotes() {
        assertThat(key("metrics.val.auc > 1")).isEqualTo("val.auc");
        assertThat(key("metrics.`val auc` > 1")).isEqualTo("val auc");
        assertThat(key("params.\"my key\" = 'v'")).isEqualTo("my key");
        assertThat(key("tags.`a``b` = 'v'")).isEqualTo("a`b");
        assertThat(key("tags.'single quoted' = 'v'")).isEqualTo("single quoted");
        assertThat(key("metrics.`mlflow.loss-1` <= 2")).isEqualTo("mlflow.loss-1");
    }

    @Test
    void valuesAreSingleOrDoubleQuotedWithDoubledQuotesInside() {
        assertThat(value("params.a = 'it''s'")).isEqualTo(new Text("it's"));
        assertThat(value("params.a = \"say \"\"hi\"\"\"")).isEqualTo(new Text("say \"hi\""));
        assertThat(value("params.a = ''")).isEqualTo(new Text(""));
        assertThat(value("tags.a != 'OR 1=1'")).isEqualTo(new Text("OR 1=1"));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "-1, -1", "+2.5, 2.5", "1e3, 1000", "-2.5E-3, -0.0025", ".5, 0.5", "3., 3", "-.25, -0.25", "0, 0"})
    void metricValuesAreNumbersWithSignsDecimalsAndExponents(String literal, double expected) {
        assertThat(value("metrics.m = " + literal)).isEqualTo(new Real(expected));
        assertThat(value("metrics.m>" + literal)).isEqualTo(new Real(expected));
    }

    @Test
    void andIsCaseInsensitiveAndEveryComparisonIsKeptInOrder() {
        assertThat(RunFilter.parse("metrics.a > 1 and params.b = 'x' AnD tags.c != 'y'").comparisons())
                .extracting(Comparison::entity, Comparison::key, Comparison::operator)
                .containsExactly(
                        tuple(Entity.METRIC, "a", Operator.GT),
                        tuple(Entity.PARAM, "b", Operator.EQ),
                        tuple(Entity.TAG, "c", Operator.NE));
    }

    @Test
    void everyOperatorOfEachEntityParses() {
        for (String op : List.of("=", "!=", ">", ">=", "<", "<=")) {
            assertThat(RunFilter.parse("metrics.m " + op + " 1").comparisons().get(0).operator().symbol()).isEqualTo(op);
            assertThat(RunFilter.parse("end_time " + op + " 1").comparisons().get(0).operator().symbol()).isEqualTo(op);
        }
        for (String op : List.of("=", "!=", "LIKE", "ILIKE", "like", "iLike")) {
            assertThat(RunFilter.parse("params.p " + op + " 'v'").comparisons().get(0).operator().symbol())
                    .isEqualTo(op.toUpperCase(Locale.ROOT));
            assertThat(RunFilter.parse("tags.t " + op + " 'v'").comparisons().get(0).operator().symbol())
                    .isEqualTo(op.toUpperCase(Locale.ROOT));
        }
    }

    @Test
    void runIdTakesInAndNotInLists() {
        assertThat(RunFilter.parse("attributes.run_id IN ('a', \"b\",'c')"))
                .isEqualTo(new Comparison(Entity.ATTRIBUTE, "run_id", Operator.IN, new Texts(List.of("a", "b", "c"))));
        assertThat(RunFilter.parse("run_id not in ('a')"))
                .isEqualTo(new Comparison(Entity.ATTRIBUTE, "run_id", Operator.NOT_IN, new Texts(List.of("a"))));
    }

    @Test
    void aBlankOrMissingFilterIsEveryRun() {
        assertThat(RunFilter.parse(null)).isEqualTo(RunFilter.ALL);
        assertThat(RunFilter.parse("  \t")).isEqualTo(RunFilter.ALL);
        assertThat(RunFilter.ALL.comparisons()).isEmpty();
    }

    @Test
    void injectionAttemptsAreJustKeysAndValues() {
        assertThat(RunFilter.parse("params.x = 'a'' OR 1=1 --'"))
                .isEqualTo(new Comparison(Entity.PARAM, "x", Operator.EQ, new Text("a' OR 1=1 --")));
        assertThat(RunFilter.parse("metrics.`a;DROP TABLE runs` > 0"))
                .isEqualTo(new Comparison(Entity.METRIC, "a;DROP TABLE runs", Operator.GT, new Real(0)));
        assertThat(RunFilter.parse("tags.\"k\"\" OR \"\"1\" = 'v''; DELETE FROM runs'"))
                .isEqualTo(new Comparison(Entity.TAG, "k\" OR \"1", Operator.EQ, new Text("v'; DELETE FROM runs")));
    }

    @Test
    void anIncompleteComparisonPointsPastTheEnd() {
        assertRefused("metrics.auc >", 14, "Filter \"metrics.auc >\" at column 14: expected a number");
        assertRefused("metrics.auc > 1 AND", 20,
                "expected a key such as metrics.auc, params.`a b`, tags.team or attributes.status");
        assertRefused("metrics.auc", 12, "expected a comparison of a metric (=, !=, >, >=, <, <=)");
    }

    @Test
    void orIsRefusedWhereItStands() {
        assertRefused("metrics.a > 1 OR metrics.b > 2", 15,
                "at column 15: expected AND (OR is not supported: a filter joins its comparisons with AND only), found [OR]");
        assertRefused("metrics.a > 1 or metrics.b > 2", 15, "found [or]");
    }

    @Test
    void wrongValuesSayWhatTheComparisonTakes() {
        assertRefused("metrics.auc > 'x'", 15, "at column 15: expected a number, found ['x']");
        assertRefused("metrics.auc > 1abc", 15, "expected a number, found [1abc]");
        assertRefused("metrics.auc > 1e999", 15, "expected a number within the range of a double, found [1e999]");
        assertRefused("params.x = 5", 12, "at column 12: expected a quoted string, found [5]");
        assertRefused("tags.x = vision", 10, "expected a quoted string, found [vision]");
        assertRefused("start_time > 1.5", 14, "expected a whole number (epoch milliseconds), found [1.5]");
        assertRefused("start_time > '5'", 14, "expected a whole number (epoch milliseconds), found ['5']");
        assertRefused("run_id IN 'a'", 11, "expected a parenthesized list of quoted strings, found ['a']");
        assertRefused("run_id IN ()", 12, "expected a quoted string, found [)]");
        assertRefused("run_id IN ('a' 'b')", 16, "expected a comma or the closing parenthesis, found ['b']");
        assertRefused("run_id IN ('a',", 16, "expected a quoted string");
    }

    @Test
    void operatorsAnEntityDoesNotTakeAreRefusedAtTheOperator() {
        assertRefused("params.x > 'a'", 10, "at column 10: expected a comparison of a param (=, !=, LIKE, ILIKE), found [>]");
        assertRefused("metrics.x LIKE 1", 11, "expected a comparison of a metric (=, !=, >, >=, <, <=), found [LIKE]");
        assertRefused("run_name IN ('a')", 10,
                "expected a comparison of the attribute [run_name] (=, !=, LIKE, ILIKE), found [IN]");
        assertRefused("tags.t IN ('a')", 8, "found [IN]");
        assertRefused("metrics.x <> 1", 11, "found [<>]");
        assertRefused("metrics.x == 1", 11, "found [==]");
        assertRefused("metrics.x ! 1", 11, "found [!]");
        assertRefused("run_id NOT LIKE 'a'", 8, "found [NOT]");
    }

    @Test
    void unknownPrefixesAttributesAndStraySyntaxAreRefused() {
        assertRefused("metricz.auc > 1", 1, "at column 1: expected an entity prefix (metrics., params., tags. or attributes.), found [metricz]");
        assertRefused("attributes.color = 'red'", 12,
                "expected an attribute (run_id, run_name, user_id, status, artifact_uri, lifecycle_stage, start_time, end_time), found [color]");
        assertRefused("Status = 'x'", 1, "found [Status]");
        assertRefused("metrics. > 1", 9, "at column 9: expected a key after [metrics.] (quote it in backticks if it has spaces)");
        assertRefused("metrics.`` > 1", 9, "expected a key after [metrics.]");
        assertRefused("(metrics.auc > 1)", 1, "found [(]");
        assertRefused("metrics.auc > 1 metrics.b > 2", 17, "expected AND or the end of the filter, found [metrics.b]");
        assertRefused("metrics.auc > 1;", 16, "expected AND or the end of the filter, found [;]");
        assertRefused("params.x = 'abc", 16, "at column 16: expected the closing ' of the text quoted at column 12");
        assertRefused("params.`abc = 'x'", 18, "expected the closing ` of the text quoted at column 8");
    }

    @Test
    void errorsCarryTheirCodeAndDetails() {
        assertThatThrownBy(() -> RunFilter.parse("metrics.auc >")).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_REQUEST);
            assertThat(e.details()).containsEntry("position", 14).containsEntry("input", "metrics.auc >")
                    .containsEntry("expected", "a number");
        });
    }

    @Test
    void aLongFoundTokenIsShortened() {
        String word = "x".repeat(100);
        assertThatThrownBy(() -> RunFilter.parse("metrics.auc > " + word))
                .hasMessageEndingWith("found [" + "x".repeat(40) + "...]");
    }

    @Test
    void comparisonsBuiltByHandMustFitMlflowsRules() {
        assertThatThrownBy(() -> new Comparison(Entity.METRIC, "m", Operator.LIKE, new Text("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("[LIKE] does not compare METRIC [m]");
        assertThatThrownBy(() -> new Comparison(Entity.PARAM, "p", Operator.EQ, new Real(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes a quoted string");
        assertThatThrownBy(() -> new Comparison(Entity.ATTRIBUTE, "created", Operator.GT, new Millis(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[created] is not one of the attributes");
        assertThatThrownBy(() -> new Comparison(Entity.ATTRIBUTE, "run_id", Operator.IN, new Text("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes a parenthesized list");
        assertThatThrownBy(() -> new Real(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Texts(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static String key(String filter) {
        return ((Comparison) RunFilter.parse(filter)).key();
    }

    private static RunFilter.Value value(String filter) {
        return ((Comparison) RunFilter.parse(filter)).value();
    }

    private static void assertRefused(String filter, int column, String message) {
        assertThatThrownBy(() -> RunFilter.parse(filter)).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.getMessage()).startsWith("Filter \"" + filter + "\" at column " + column + ": expected ")
                    .contains(message);
            assertThat(e.details()).containsEntry("position", column);
            assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_REQUEST);
        });
    }
}
