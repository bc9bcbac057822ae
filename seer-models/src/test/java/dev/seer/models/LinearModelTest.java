package dev.seer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.models.LinearModel.Link;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearModelTest {
    private static final LinearModel LOGISTIC = new LinearModel(List.of("age", "income"), new double[] {0.03, -0.5}, -1.2,
            Link.LOGIT);
    private static final LinearModel LINEAR = new LinearModel(List.of("age", "income"), new double[] {1.5, 2}, 0.25,
            Link.IDENTITY);
    private static final LinearModel FILLED = new LinearModel(List.of("age", "income"), new double[] {0.03, -0.5}, -1.2,
            Link.LOGIT, new double[] {41.5, 2});

    private static double logistic(double score) {
        return 1 / (1 + Math.exp(-score));
    }

    @Test
    void itsJsonReadsBackAsTheSameModel() {
        ObjectNode json = LinearModel.CODEC.encode(LOGISTIC);

        assertThat(json.get("format").asInt()).isEqualTo(1);
        assertThat(json.get("kind").asText()).isEqualTo("seer-linear");
        assertThat(json.get("link").asText()).isEqualTo("logit");
        assertThat(LinearModel.CODEC.decode(Json.parse(LOGISTIC.toBytes()))).isEqualTo(LOGISTIC);
        assertThat(LinearModel.CODEC.decode(json)).isEqualTo(LOGISTIC).isNotEqualTo(LINEAR);
    }

    @Test
    void predictionsAreTheFormulaAndAMissingValueGivesNaN() {
        double[][] rows = {{40, 1.5}, {0, 0}, {25, Double.NaN}};
        try (Model logistic = Models.load(ModelFormat.SEER_LINEAR, LOGISTIC.toBytes(),
                Signature.parse("age:float64,income:float64->probability"));
                Model linear = Models.load(ModelFormat.SEER_LINEAR, LINEAR.toBytes(),
                        Signature.parse("age:int64,income:float64->value"))) {
            double[][] p = logistic.predict(rows);
            double[][] v = linear.predict(rows);

            assertThat(p[0][0]).isCloseTo(1 / (1 + Math.exp(-(-1.2 + 0.03 * 40 - 0.5 * 1.5))), within(1e-12));
            assertThat(p[1][0]).isCloseTo(1 / (1 + Math.exp(1.2)), within(1e-12));
            assertThat(p[2][0]).isNaN();
            assertThat(v[0][0]).isCloseTo(0.25 + 1.5 * 40 + 2 * 1.5, within(1e-12));
            assertThat(v[1][0]).isEqualTo(0.25);
            assertThat(v[2][0]).isNaN();
        }
    }

    @Test
    void aModelWithoutFillValuesIsStillWrittenAsFormat1ByteForByte() {
        // the bytes the format-1-only codec wrote for LOGISTIC (before fill values existed), so stored hashes hold
        String before = "{\"features\":[\"age\",\"income\"],\"format\":1,\"intercept\":-1.2,\"kind\":\"seer-linear\","
                + "\"link\":\"logit\",\"weights\":[0.03,-0.5]}";

        assertThat(new String(LOGISTIC.toBytes(), StandardCharsets.UTF_8)).isEqualTo(before);
        assertThat(LOGISTIC.fillsMissingValues()).isFalse();
        assertThat(LOGISTIC.fillValues()).isEmpty();
    }

    @Test
    void fillValuesAreWrittenAsFormat2AndReadBack() {
        ObjectNode json = LinearModel.CODEC.encode(FILLED);

        assertThat(json.get("format").asInt()).isEqualTo(2);
        assertThat(json.get("fill").toString()).isEqualTo("[41.5,2.0]");
        assertThat(LinearModel.CODEC.decode(Json.parse(FILLED.toBytes()))).isEqualTo(FILLED).isNotEqualTo(LOGISTIC);
        assertThat(FILLED.hashCode()).isNotEqualTo(LOGISTIC.hashCode());
        assertThat(new String(FILLED.toBytes(), StandardCharsets.UTF_8)).contains("\"format\":2");
    }

    @Test
    void aMissingValueIsReplacedByItsFeaturesFillValue() {
        double[][] rows = {{Double.NaN, 1.5}, {40, Double.NaN}, {Double.NaN, Double.NaN}, {40, 1.5}};
        try (Model model = Models.load(ModelFormat.SEER_LINEAR, FILLED.toBytes(),
                Signature.parse("age:float64,income:float64->probability"))) {
            double[][] p = model.predict(rows);

            assertThat(p[0][0]).isCloseTo(logistic(-1.2 + 0.03 * 41.5 - 0.5 * 1.5), within(1e-12));
            assertThat(p[1][0]).isCloseTo(logistic(-1.2 + 0.03 * 40 - 0.5 * 2), within(1e-12));
            assertThat(p[2][0]).isCloseTo(logistic(-1.2 + 0.03 * 41.5 - 0.5 * 2), within(1e-12));
            assertThat(p[3][0]).isCloseTo(logistic(-1.2 + 0.03 * 40 - 0.5 * 1.5), within(1e-12));
        }
    }

    @Test
    void aFormat2FileMustCarryItsFillValues() {
        ObjectNode withoutFill = LinearModel.CODEC.encode(FILLED);
        withoutFill.remove("fill");
        ObjectNode textFill = LinearModel.CODEC.encode(FILLED);
        textFill.putArray("fill").add("mean").add(2);

        assertThatThrownBy(() -> LinearModel.CODEC.decode(withoutFill))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining("Field [fill] of a seer-linear model must be a list of numbers, not [missing]");
        assertThatThrownBy(() -> LinearModel.CODEC.decode(textFill))
                .hasMessageContaining("Field [fill] of a seer-linear model must be a list of numbers");
    }

    @Test
    void aFormat1FileIgnoresAFillFieldItNeverHad() {
        // format 1 predates fill values: a stray "fill" in a format-1 file is not read as one
        ObjectNode json = LinearModel.CODEC.encode(FILLED).put("format", 1);

        assertThat(LinearModel.CODEC.decode(json)).isEqualTo(LOGISTIC);
    }

    @Test
    void aNewerFormatIsRefused() {
        ObjectNode json = LinearModel.CODEC.encode(LINEAR).put("format", 3);

        assertThatThrownBy(() -> Models.load(ModelFormat.SEER_LINEAR, json.toString().getBytes(StandardCharsets.UTF_8),
                Signature.parse("age:float64,income:float64->value")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining("seer-linear model formats 1 to 2, not [3]");
    }

    @Test
    void jsonOfAnotherKindIsRefused() {
        ObjectNode json = LinearModel.CODEC.encode(LINEAR).put("kind", "seer-tree");

        assertThatThrownBy(() -> LinearModel.CODEC.decode(json))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining("Field [kind] of a seer-linear model must be [seer-linear], not [\"seer-tree\"]");
        assertThatThrownBy(() -> Models.load(ModelFormat.SEER_LINEAR, new byte[] {1, 2, 3},
                Signature.parse("age:float64->value")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL));
    }

    @Test
    void namesThatDifferFromTheSignatureAreRefusedNamingTheFirstDifference() {
        assertThatThrownBy(() -> Models.load(ModelFormat.SEER_LINEAR, LINEAR.toBytes(),
                Signature.parse("age:float64,salary:float64->value")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH))
                .hasMessageContaining("Feature 2 of the seer-linear model is [income]")
                .hasMessageContaining("input 2 is [salary]");
        assertThatThrownBy(() -> Models.load(ModelFormat.SEER_LINEAR, LINEAR.toBytes(),
                Signature.parse("income:float64,age:float64->value")))
                .hasMessageContaining("Feature 1 of the seer-linear model is [age]");
        assertThatThrownBy(() -> Models.load(ModelFormat.SEER_LINEAR, LINEAR.toBytes(), Signature.parse("age:float64->value")))
                .hasMessageContaining("takes [2] features; the signature declares [1] inputs [age]");
    }

    @Test
    void theLinkMustGiveTheDeclaredOutput() {
        assertThatThrownBy(() -> Models.load(ModelFormat.SEER_LINEAR, LOGISTIC.toBytes(),
                Signature.parse("age:float64,income:float64->value")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH))
                .hasMessageContaining("has link [logit], so predicts [probability]")
                .hasMessageContaining("declares output [value]");
    }

    @Test
    void aModelIsOneFiniteWeightPerDistinctFeatureAndKeepsItsOwnCopy() {
        double[] weights = {1, 2};
        LinearModel model = new LinearModel(List.of("a", "b"), weights, 0, Link.IDENTITY);
        weights[0] = 100;
        model.weights()[1] = 100;

        assertThat(model.weights()).containsExactly(1, 2);
        assertThatThrownBy(() -> new LinearModel(List.of("a", "b"), new double[] {1}, 0, Link.IDENTITY))
                .hasMessageContaining("[2] features and [1] weights");
        assertThatThrownBy(() -> new LinearModel(List.of("a", "a"), new double[] {1, 2}, 0, Link.IDENTITY))
                .hasMessageContaining("names each feature once");
        assertThatThrownBy(() -> new LinearModel(List.of("a"), new double[] {Double.NaN}, 0, Link.IDENTITY))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL));
        assertThatThrownBy(() -> new LinearModel(List.of("a", "b"), new double[] {1, 2}, 0, Link.IDENTITY, new double[] {3}))
                .hasMessageContaining("[2] features and [1] fill values");
        assertThatThrownBy(() -> new LinearModel(List.of("a"), new double[] {1}, 0, Link.IDENTITY,
                new double[] {Double.NaN}))
                .hasMessageContaining("fill values are finite numbers");
        double[] fill = {5, 6};
        LinearModel filled = new LinearModel(List.of("a", "b"), weights, 0, Link.IDENTITY, fill);
        fill[0] = 100;
        filled.fillValues()[1] = 100;
        assertThat(filled.fillValues()).containsExactly(5, 6);
    }
}
