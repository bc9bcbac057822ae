package dev.seer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxModelTest {
    private static final float[] WEIGHTS = {0.5f, -1.25f, 2f};
    private static final float BIAS = 0.25f;
    private static final double[][] ROWS = {{1, 2, 3}, {0, 0, 0}, {-1.5, 0.5, 4}, {10, 3, -2}};

    @Test
    void logisticModelOnOneMatrixInputPredictsTheClosedForm() {
        byte[] onnx = OnnxWriter.matrix(WEIGHTS, BIAS, true, OnnxWriter.IR_VERSION);
        try (Model model = Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64,c:int64->probability"))) {
            double[][] predictions = model.predict(ROWS);

            assertThat(predictions).hasDimensions(ROWS.length, 1);
            for (int i = 0; i < ROWS.length; i++) {
                assertThat(predictions[i][0]).isCloseTo(1 / (1 + Math.exp(-score(ROWS[i]))), within(1e-6));
            }
            assertThat(model.format()).isEqualTo(ModelFormat.ONNX);
        }
    }

    @Test
    void regressionPredictsTheScoreAndAnEmptyBatchGivesNothing() {
        byte[] onnx = OnnxWriter.matrix(WEIGHTS, BIAS, false, OnnxWriter.IR_VERSION);
        try (Model model = Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64,c:float64->value"))) {
            double[][] predictions = model.predict(ROWS);

            for (int i = 0; i < ROWS.length; i++) {
                assertThat(predictions[i][0]).isCloseTo(score(ROWS[i]), within(1e-5));
            }
            assertThat(model.predict(new double[0][])).isEmpty();
        }
    }

    @Test
    void oneInputPerNameIsFedByNameWhateverTheModelsInputOrder() {
        // the model declares its inputs c, a, b; the signature orders them a, b, c
        byte[] onnx = OnnxWriter.perName(List.of("c", "a", "b"), new float[] {WEIGHTS[2], WEIGHTS[0], WEIGHTS[1]}, BIAS);
        try (Model model = Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64,c:float64->value"))) {
            double[][] predictions = model.predict(ROWS);

            for (int i = 0; i < ROWS.length; i++) {
                assertThat(predictions[i][0]).isCloseTo(score(ROWS[i]), within(1e-5));
            }
        }
    }

    @Test
    void aMatrixOfAnotherWidthIsRefusedNamingBothCounts() {
        byte[] onnx = OnnxWriter.matrix(WEIGHTS, BIAS, true, OnnxWriter.IR_VERSION);

        assertThatThrownBy(() -> Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64->probability")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH))
                .hasMessageContaining("takes [3] features").hasMessageContaining("declares [2] inputs [a, b]");
    }

    @Test
    void inputsPerNameThatDifferFromTheSignatureAreRefusedNamingTheDifference() {
        byte[] onnx = OnnxWriter.perName(List.of("a", "b", "z"), WEIGHTS, BIAS);

        assertThatThrownBy(() -> Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64,c:float64->value")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH))
                .hasMessageContaining("missing from the model: [c]").hasMessageContaining("not in the signature: [z]");
        assertThatThrownBy(() -> Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64->value")))
                .hasMessageContaining("has [3] inputs [a, b, z]").hasMessageContaining("declares [2] inputs [a, b]");
    }

    @Test
    void anOutputThatCannotBeTheDeclaredOneIsRefused() {
        byte[] onnx = OnnxWriter.matrix(WEIGHTS, BIAS, true, OnnxWriter.IR_VERSION);

        assertThatThrownBy(() -> Models.load(ModelFormat.ONNX, onnx,
                Signature.parse("a:float64,b:float64,c:float64->class-probabilities(3)")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH))
                .hasMessageContaining("gives [1] numbers per row").hasMessageContaining("class-probabilities(3)");
    }

    @Test
    void aModelOfAnIrVersionOnnxRuntimeDoesNotKnowIsRefusedClearly() {
        byte[] onnx = OnnxWriter.matrix(WEIGHTS, BIAS, true, 99);

        assertThatThrownBy(() -> Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64,c:float64->probability")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL))
                .hasMessageContaining("ONNX Runtime refused the model").hasMessageContaining("IR version");
    }

    @Test
    void bytesThatAreNotOnnxAreRefused() {
        byte[] notOnnx = "{\"format\": 1}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Models.load(ModelFormat.ONNX, notOnnx, Signature.parse("a:float64->value")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL))
                .hasMessageContaining("ONNX Runtime refused the model");
    }

    @Test
    void aRowOfTheWrongWidthIsRefusedNamingTheRow() {
        byte[] onnx = OnnxWriter.matrix(WEIGHTS, BIAS, false, OnnxWriter.IR_VERSION);
        try (Model model = Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64,c:float64->value"))) {
            assertThatThrownBy(() -> model.predict(new double[][] {{1, 2, 3}, {1, 2}}))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_INPUT))
                    .hasMessageContaining("Row [1] has [2] values").hasMessageContaining("[3] inputs [a, b, c]");
        }
    }

    private static double score(double[] row) {
        double score = BIAS;
        for (int i = 0; i < row.length; i++) {
            score += WEIGHTS[i] * (float) row[i];
        }
        return score;
    }
}
