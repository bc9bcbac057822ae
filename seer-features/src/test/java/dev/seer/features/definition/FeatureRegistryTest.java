package dev.seer.features.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.seer.core.SeerException;
import dev.seer.features.definition.FeatureRegistry.Action;
import dev.seer.features.definition.FeatureRegistry.Change;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class FeatureRegistryTest {
    public static final String REPOSITORY = """
            entities:
              - name: customer
                join_keys: [customer_id]
            sources:
              - name: transactions
                path: data/transactions.csv
                timestamp_field: event_ts
                created_timestamp_field: created_ts
            feature_views:
              - name: customer_stats
                entities: [customer]
                source: transactions
                ttl: 2d
                features:
                  - {name: spend, type: double, checks: {not_null: true, min: 0}}
                  - {name: plan, type: string, checks: {allowed: [basic, pro]}}
                  - {name: spend_eur, type: double, expression: "spend * 0.92"}
            feature_services:
              - name: churn_v1
                features: [customer_stats:spend, customer_stats:plan]
            """;

    @TempDir
    Path dir;

    InMemoryCatalog catalog = new InMemoryCatalog(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    FeatureRegistry registry = new FeatureRegistry(catalog);

    @BeforeEach
    void writeData() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/transactions.csv"), """
                customer_id,event_ts,created_ts,spend,plan
                1,2026-01-01T10:00:00Z,2026-01-01T10:00:01Z,12.5,basic
                2,2026-01-01T11:00:00Z,2026-01-01T11:00:01Z,3.0,pro
                """);
    }

    @Test
    void planThenApplyCreatesVersionsAndASecondApplyChangesNothing() throws IOException {
        write(REPOSITORY);
        assertThat(registry.plan(dir)).extracting(Change::kind, Change::name, Change::action).containsExactly(
                tuple("entity", "customer", Action.CREATE), tuple("source", "transactions", Action.CREATE),
                tuple("feature_view", "customer_stats", Action.CREATE), tuple("feature_service", "churn_v1", Action.CREATE));
        assertThat(catalog.size()).isZero();
        registry.apply(dir, "alice");
        assertThat(catalog.size()).isEqualTo(4);
        assertThat(registry.apply(dir, "alice")).extracting(Change::action).containsOnly(Action.UNCHANGED);
        assertThat(catalog.size()).isEqualTo(4);
        var view = registry.view("customer_stats", Optional.empty());
        assertThat(view.body().path("ttl_seconds").asLong()).isEqualTo(172_800);
        assertThat(view.body().path("features").get(2).path("expression").asText()).isEqualTo("spend * 0.92");
    }

    @Test
    void changingAViewCreatesANewVersionAndKeepsTheOld() throws IOException {
        write(REPOSITORY);
        registry.apply(dir, "alice");
        write(REPOSITORY.replace("ttl: 2d", "ttl: 36h"));
        assertThat(registry.plan(dir)).filteredOn(c -> c.kind().equals("feature_view"))
                .extracting(Change::action, Change::version).containsExactly(tuple(Action.UPDATE, 2));
        registry.apply(dir, "bob");
        assertThat(registry.view("customer_stats", Optional.of(1)).body().path("ttl_seconds").asLong()).isEqualTo(172_800);
        assertThat(registry.view("customer_stats", Optional.empty()).body().path("ttl_seconds").asLong()).isEqualTo(129_600);
        assertThatThrownBy(() -> registry.view("customer_stats", Optional.of(3))).hasMessageContaining("has no version 3");
        assertThatThrownBy(() -> registry.view("nope", Optional.empty())).hasMessageContaining("[nope] does not exist");
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
        write("entities:\n  - name: customer\n    join_keys: [customer_id\n");
        assertThatThrownBy(() -> registry.plan(dir)).isInstanceOf(SeerException.class)
                .hasMessageContaining("repo.yaml").hasMessageContaining("not valid YAML at line");
    }

    @Test
    void anUnknownKeyIsNamedWithItsPathAndLine() throws IOException {
        write(REPOSITORY.replace("checks: {allowed: [basic, pro]}", "chekcs: {allowed: [basic, pro]}"));
        assertThatThrownBy(() -> registry.plan(dir))
                .hasMessageContaining("repo.yaml:16 [feature_views[0].features[1].chekcs]").hasMessageContaining("unknown key");
    }

    @Test
    void anUnknownTypeAndABadTtlAreNamed() throws IOException {
        write(REPOSITORY.replace("type: string", "type: text"));
        assertThatThrownBy(() -> registry.plan(dir)).hasMessageContaining("[feature_views[0].features[1].type]")
                .hasMessageContaining("unknown type [text]");
        write(REPOSITORY.replace("ttl: 2d", "ttl: two days"));
        assertThatThrownBy(() -> registry.plan(dir)).hasMessageContaining("[feature_views[0].ttl]")
                .hasMessageContaining("not a duration");
    }

    @Test
    void unknownEntitySourceColumnAndServiceReferenceAreAllReported() throws IOException {
        write(REPOSITORY.replace("entities: [customer]", "entities: [custmer]")
                .replace("{name: plan, type: string", "{name: tier, type: string")
                .replace("customer_stats:plan", "customer_stats:plan2"));
        assertThatThrownBy(() -> registry.plan(dir)).satisfies(e -> assertThat(e.getMessage())
                .contains("3 problems")
                .contains("Feature view [customer_stats] names unknown entity [custmer]")
                .contains("feature [tier] [tier] is not a column of the source")
                .contains("Feature service [churn_v1] names [customer_stats:plan2]"));
        assertThat(catalog.size()).isZero();
    }

    @Test
    void aMissingSourceFileIsNamed() throws IOException {
        write(REPOSITORY.replace("data/transactions.csv", "data/nothing.csv"));
        assertThatThrownBy(() -> registry.plan(dir)).hasMessageContaining("Source [transactions]")
                .hasMessageContaining("nothing.csv").hasMessageContaining("does not exist");
    }

    @Test
    void expressionsThatReachOutsideOrAreNotOneExpressionAreRejected() throws IOException {
        for (String bad : new String[] {
                "(SELECT count(*) FROM read_csv('/etc/passwd'))",
                "read_text('/etc/passwd')",
                "getenv('HOME')",
                "spend) FROM t; DROP TABLE x; SELECT (1",
                "spend FROM (SELECT 1)",
                "sum(spend) OVER ()",
                "no_such_column * 2"}) {
            write(REPOSITORY.replace("expression: \"spend * 0.92\"", "expression: \"" + bad.replace("\"", "\\\"") + "\""));
            assertThatThrownBy(() -> registry.plan(dir)).as(bad)
                    .hasMessageContaining("feature [spend_eur] expression").hasMessageContaining("is rejected");
        }
        write(REPOSITORY.replace("spend * 0.92", "CASE WHEN plan = 'pro' THEN spend * 1.1 ELSE round(spend, 1) END"));
        assertThat(registry.plan(dir)).isNotEmpty();
    }

    private void write(String text) throws IOException {
        Files.writeString(dir.resolve("repo.yaml"), text);
    }
}
