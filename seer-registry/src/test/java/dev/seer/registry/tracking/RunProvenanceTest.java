package dev.seer.registry.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunProvenanceTest {
    static final RunProvenance TRAINED = new RunProvenance(Optional.of("churn:2"), Optional.of("ab".repeat(32)),
            Optional.of("cd".repeat(32)), OptionalLong.of(7), "dev", Map.of("xgboost4j", "3.4.0"), "17", "Linux");

    @Test
    void aContinuedRunKeepsItsParentThroughTheCodec() {
        RunProvenance continued = TRAINED.continuing("churn:1");
        assertThat(continued.continuedFrom()).contains("churn:1");
        var json = RunProvenance.CODEC.encode(continued);
        assertThat(json.path("format").asInt()).isEqualTo(2);
        assertThat(json.path("continued_from").asText()).isEqualTo("churn:1");
        assertThat(RunProvenance.CODEC.decode(json)).isEqualTo(continued);
        assertThat(RunProvenance.CODEC.encode(TRAINED).has("continued_from")).isFalse();
        assertThat(RunProvenance.CODEC.decode(RunProvenance.CODEC.encode(TRAINED))).isEqualTo(TRAINED);
    }

    @Test
    void formatOneReadsAsTrainedFromScratchAndANewerFormatIsRefused() {
        var one = RunProvenance.CODEC.encode(TRAINED).put("format", 1);
        assertThat(RunProvenance.CODEC.decode(one)).isEqualTo(TRAINED);
        var withoutFormat = RunProvenance.CODEC.encode(TRAINED);
        withoutFormat.remove("format");
        assertThat(RunProvenance.CODEC.decode(withoutFormat).continuedFrom()).isEmpty();
        assertThatThrownBy(() -> RunProvenance.CODEC.decode(Json.object().put("format", 3).put("seer", "dev")
                .put("java", "17").put("os", "Linux"))).isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT));
    }
}
