package dev.seer.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import org.junit.jupiter.api.Test;

class YamlNodeTest {
    private static final Path FILE = Path.of("spec.yaml");

    private static YamlNode parse(String text) {
        return YamlNode.parse(FILE, text, CoreErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void anErrorNamesTheFileLineAndPath() {
        YamlNode root = parse("name: churn\ntuning:\n  timeout: soon\n");
        assertThatThrownBy(() -> root.mapping(Set.of("name", "tuning")).get("tuning").mapping(null).get("timeout").duration())
                .isInstanceOf(SeerException.class).hasMessageStartingWith("spec.yaml:3 [tuning.timeout]: [soon]");
    }

    @Test
    void durationsReadEveryUnitAndRefuseOnesThatOverflow() {
        assertThat(parse("90m").duration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(parse("2w").duration()).isEqualTo(Duration.ofDays(14));
        assertThat(parse("45").duration()).isEqualTo(Duration.ofSeconds(45));
        for (String tooLong : new String[] {"99999999999999999999999m", "9223372036854775807w", "9223372036854775807d"}) {
            assertThatThrownBy(() -> parse(tooLong).duration()).as(tooLong).isInstanceOf(SeerException.class)
                    .hasMessageContaining("longer than a duration can be");
        }
    }

    /** What SnakeYAML refuses without a position (NUL, alias bombs, deep nesting) is the caller's error, not a crash. */
    @Test
    void yamlBuiltAgainstTheParserIsTheCallersErrorNamingTheFile() {
        StringBuilder laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        for (String hostile : new String[] {"name: a\u0000b\n", laughs.toString(), "name: " + "[".repeat(5000)}) {
            assertThatThrownBy(() -> parse(hostile)).isInstanceOf(SeerException.class)
                    .hasMessageContaining("File [spec.yaml] is not valid YAML")
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.INVALID_ARGUMENT));
        }
    }

    @Test
    void anAliasToItselfIsReadLazilyAndFailsAsAnyWrongShape() {
        YamlNode features = parse("features: &f [*f]\n").mapping(null).get("features");
        assertThatThrownBy(features::texts).isInstanceOf(SeerException.class).hasMessageContaining("features[0]");
    }
}
