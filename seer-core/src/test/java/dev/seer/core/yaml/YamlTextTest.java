package dev.seer.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class YamlTextTest {
    private static final Path FILE = Path.of("spec.yaml");

    @Test
    void onlyTheTopLevelKeyChangesNotTheSameTextElsewhere() {
        String text = """
                name: churn
                dataset: churn:1
                notes: {dataset: churn:1}
                candidates: [{algorithm: logistic}]
                """;
        String edited = YamlText.withScalar(FILE, text, "dataset", "churn:2", CoreErrorCode.CONFIG_INVALID_VALUE);
        Map<String, YamlNode> top = YamlNode.parse(FILE, edited, CoreErrorCode.CONFIG_INVALID_VALUE)
                .mapping(Set.of("name", "dataset", "notes", "candidates"));
        assertThat(top.get("dataset").text()).isEqualTo("churn:2");
        assertThat(top.get("notes").mapping(Set.of("dataset")).get("dataset").text()).isEqualTo("churn:1");
        assertThat(top.get("candidates").list()).hasSize(1);
    }

    @Test
    void anAbsentKeyIsAddedAndAValueNeedingQuotesIsQuoted() {
        String edited = YamlText.withScalar(FILE, "name: churn\n", "dataset", "a: b #c", CoreErrorCode.CONFIG_INVALID_VALUE);
        assertThat(YamlNode.parse(FILE, edited, CoreErrorCode.CONFIG_INVALID_VALUE).mapping(Set.of("name", "dataset"))
                .get("dataset").text()).isEqualTo("a: b #c");
    }

    @Test
    void aDocumentThatIsNotAMappingIsRefused() {
        assertThatThrownBy(() -> YamlText.withScalar(FILE, "- a\n- b\n", "dataset", "x", CoreErrorCode.CONFIG_INVALID_VALUE))
                .isInstanceOf(SeerException.class).hasMessageContaining("must be a YAML mapping");
    }
}
