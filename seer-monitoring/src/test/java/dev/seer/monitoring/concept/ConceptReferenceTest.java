package dev.seer.monitoring.concept;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seer.monitoring.concept.DriftDetector.State;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DDM and ADWIN replay the streams of concept/reference.json, written by
 * seer-bench/src/main/python/concept_reference.py (a transcription of river's code), and must
 * find the very same warnings and drifts at the very same indices, with the same window.
 */
class ConceptReferenceTest {

    private static JsonNode fixture() throws IOException {
        try (InputStream in = ConceptReferenceTest.class.getResourceAsStream("/concept/reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<Arguments> ddmCases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        fixture().get("ddm").forEach(c -> cases.add(Arguments.of(c.get("name").asText(), c)));
        return cases.stream();
    }

    static Stream<Arguments> adwinCases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        fixture().get("adwin").forEach(c -> cases.add(Arguments.of(c.get("name").asText(), c)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ddmCases")
    void ddmFindsRiversWarningsAndDrifts(String name, JsonNode c) {
        Ddm ddm = new Ddm();
        String bits = c.get("bits").asText();
        List<Integer> warnings = new ArrayList<>();
        List<Integer> drifts = new ArrayList<>();
        boolean wasWarning = false;
        for (int i = 0; i < bits.length(); i++) {
            State state = ddm.update(bits.charAt(i) == '1' ? 1.0 : 0.0);
            if (state == State.WARNING && !wasWarning) {
                warnings.add(i);
            }
            wasWarning = state == State.WARNING;
            if (state == State.DRIFT) {
                drifts.add(i);
            }
        }
        assertThat(warnings).isEqualTo(ints(c.get("firstWarnings")));
        assertThat(drifts).isEqualTo(ints(c.get("drifts")));
        assertThat(ddm.detections()).isEqualTo(drifts.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adwinCases")
    void adwinFindsRiversDriftsWithRiversWindow(String name, JsonNode c) {
        Adwin adwin = new Adwin(c.get("delta").asDouble(), c.get("clock").asInt(), Adwin.DEFAULT_MAX_BUCKETS,
                Adwin.DEFAULT_MIN_WINDOW_LENGTH, Adwin.DEFAULT_GRACE_PERIOD);
        JsonNode values = c.get("values");
        List<Integer> drifts = new ArrayList<>();
        int checkpoint = 0;
        JsonNode checkpoints = c.get("checkpoints");
        for (int i = 0; i < values.size(); i++) {
            if (adwin.update(values.get(i).asDouble()) == State.DRIFT) {
                drifts.add(i);
            }
            if (checkpoint < checkpoints.size() && checkpoints.get(checkpoint).get("index").asInt() == i) {
                JsonNode expected = checkpoints.get(checkpoint++);
                assertThat(adwin.width()).as("width at %d", i).isEqualTo(expected.get("width").asLong());
                // the same operations in the same order: equal to the last bit
                assertThat(adwin.total()).as("total at %d", i).isEqualTo(expected.get("total").asDouble());
                assertThat(adwin.sumOfSquares()).as("SSD at %d", i).isEqualTo(expected.get("variance").asDouble());
            }
        }
        assertThat(checkpoint).isEqualTo(checkpoints.size());
        assertThat(drifts).isEqualTo(ints(c.get("drifts")));
        assertThat(adwin.detections()).isEqualTo(drifts.size());
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
