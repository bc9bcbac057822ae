package dev.seer.registry.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.search.RunFilter.Entity;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderByTest {
    @Test
    void aClauseIsAKeyAndAnOptionalDirection() {
        assertThat(OrderBy.parse("metrics.auc DESC")).isEqualTo(new OrderBy(Entity.METRIC, "auc", false));
        assertThat(OrderBy.parse("params.max_depth")).isEqualTo(new OrderBy(Entity.PARAM, "max_depth", true));
        assertThat(OrderBy.parse("attributes.start_time ASC")).isEqualTo(new OrderBy(Entity.ATTRIBUTE, "start_time", true));
        assertThat(OrderBy.parse("  tag.team   desc ")).isEqualTo(new OrderBy(Entity.TAG, "team", false));
        assertThat(OrderBy.parse("metrics.`val loss` asc")).isEqualTo(new OrderBy(Entity.METRIC, "val loss", true));
        assertThat(OrderBy.parse("metrics.\"a.b\"")).isEqualTo(new OrderBy(Entity.METRIC, "a.b", true));
        assertThat(OrderBy.parse("end_time")).isEqualTo(new OrderBy(Entity.ATTRIBUTE, "end_time", true));
        assertThat(OrderBy.parse("attr.created DESC")).isEqualTo(new OrderBy(Entity.ATTRIBUTE, "start_time", false));
    }

    @Test
    void parseAllKeepsTheClausesInOrder() {
        assertThat(OrderBy.parseAll(List.of("metrics.a", "run_name DESC"))).containsExactly(
                new OrderBy(Entity.METRIC, "a", true), new OrderBy(Entity.ATTRIBUTE, "run_name", false));
        assertThat(OrderBy.DEFAULT).containsExactly(new OrderBy(Entity.ATTRIBUTE, "start_time", false));
    }

    @Test
    void badClausesAreRefusedWithTheirColumn() {
        assertRefused("metrics.auc DOWN", 13, "Order by \"metrics.auc DOWN\" at column 13: expected ASC, DESC or the end of the order, found [DOWN]");
        assertRefused("metrics.auc DESC, params.a", 17, "found [,]");
        assertRefused("", 1, "Order by \"\" at column 1: expected a key such as metrics.auc");
        assertRefused("attributes.nope", 12, "expected an attribute (run_id, run_name");
        assertRefused("bogus.x", 1, "expected an entity prefix");
        assertRefused("metrics.auc > 1", 13, "found [>]");
    }

    @Test
    void anOrderByBuiltByHandNamesAKnownAttribute() {
        assertThatThrownBy(() -> new OrderBy(Entity.ATTRIBUTE, "experiment_id", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[experiment_id] is not one of the attributes");
    }

    private static void assertRefused(String clause, int column, String message) {
        assertThatThrownBy(() -> OrderBy.parse(clause)).isInstanceOfSatisfying(SeerException.class, e -> {
            assertThat(e.getMessage()).contains("at column " + column + ": expected ").contains(message);
            assertThat(e.details()).containsEntry("position", column);
            assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_REQUEST);
        });
    }
}
