package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.registry.tracking.Experiment;
import dev.seer.registry.tracking.Lifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** MLflow's experiment filter: names, times and tags, joined by AND, evaluated in memory. */
class MlflowExperimentFilterTest {
    private static final List<Experiment> EXPERIMENTS = List.of(
            experiment("1", "churn-study", 1_000, 5_000, Map.of("team", "risk", "stage", "pilot",
                    "mood", "sunny \uD83D\uDE00 day")),
            experiment("2", "Churn and Fraud", 2_000, 2_000, Map.of("team", "fraud")),
            experiment("3", "pricing", 3_000, 9_000, Map.of("my key", "a 'quoted' AND value")));

    @Test
    void conditionsOnNamesTimesAndTagsSelectTheExperiments() {
        assertThat(select("")).containsExactly("1", "2", "3");
        assertThat(select("name = 'pricing'")).containsExactly("3");
        assertThat(select("attributes.name != 'pricing'")).containsExactly("1", "2");
        assertThat(select("name LIKE 'churn%'")).containsExactly("1");
        assertThat(select("name ILIKE 'churn%'")).containsExactly("1", "2");
        assertThat(select("name LIKE '_ricing'")).containsExactly("3");
        assertThat(select("creation_time >= 2000")).containsExactly("2", "3");
        assertThat(select("attribute.last_update_time < 5000")).containsExactly("2");
        assertThat(select("creation_time = 1000 and last_update_time != 9000")).containsExactly("1");
        assertThat(select("tags.team = 'risk'")).containsExactly("1");
        assertThat(select("tags.team != 'risk'")).as("an experiment without the tag matches no condition on it")
                .containsExactly("2");
        assertThat(select("tags.team ILIKE 'R%' AND name LIKE '%study'")).containsExactly("1");
        assertThat(select("tags.`my key` = \"a 'quoted' AND value\"")).as("AND inside a quoted value is not a joint")
                .containsExactly("3");
        assertThat(select("tags.\"my key\" LIKE '%AND%'")).containsExactly("3");
        assertThat(select("tags.mood LIKE '%\uD83D\uDE00_day'")).as("a character beyond the BMP").containsExactly("1");
        assertThat(select("tags.mood LIKE 'sunny _ day'")).as("_ is one character, not one UTF-16 unit")
                .containsExactly("1");
        assertThat(select("name LIKE 'pric_ng'")).containsExactly("3");
    }

    @Test
    void experimentsOrderByNameTimesOrIdAndByIdLast() {
        assertThat(ordered()).as("MLflow's default: newest first").containsExactly("3", "2", "1");
        assertThat(ordered("name")).containsExactly("2", "1", "3"); // code points: 'C' before 'c'
        assertThat(ordered("attributes.last_update_time DESC")).containsExactly("3", "1", "2");
        assertThat(ordered("creation_time desc")).containsExactly("3", "2", "1");
        assertThat(ordered("experiment_id DESC")).containsExactly("3", "2", "1");
        for (String bad : List.of("metrics.auc", "name SIDEWAYS", "tags.team", "name; DROP TABLE x")) {
            assertThatThrownBy(() -> ordered(bad)).as(bad).isInstanceOf(SeerException.class)
                    .hasMessageContaining("order_by [" + bad + "]");
        }
    }

    private static List<String> ordered(String... orderBy) {
        return EXPERIMENTS.stream().sorted(MlflowExperimentFilter.order(List.of(orderBy))).map(Experiment::id).toList();
    }

    @Test
    void whatItCannotReadIsRefusedNamingTheCondition() {
        for (String filter : List.of("metrics.auc > 0.5", "params.x = '1'", "name > 'a'", "name = 3",
                "creation_time LIKE '1%'", "creation_time > 'yesterday'", "owner = 'bob'", "name = 'a' OR name = 'b'",
                "name = 'a' AND", "tags.team", "name = 'a'; DROP TABLE experiments",
                "creation_time > 99999999999999999999")) {
            assertThatThrownBy(() -> select(filter)).as(filter).isInstanceOf(SeerException.class)
                    .hasMessageContaining("Filter [" + filter + "]");
        }
    }

    private static List<String> select(String filter) {
        return EXPERIMENTS.stream().filter(MlflowExperimentFilter.parse(Optional.of(filter))).map(Experiment::id).toList();
    }

    private static Experiment experiment(String id, String name, long created, long updated, Map<String, String> tags) {
        return new Experiment(id, name, "mlflow-artifacts:/" + id, Lifecycle.ACTIVE, Instant.ofEpochMilli(created),
                Instant.ofEpochMilli(updated), tags);
    }
}
