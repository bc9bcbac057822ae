package dev.seer.serving.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import dev.seer.models.Model;
import dev.seer.models.ModelErrorCode;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import dev.seer.serving.ServingErrorCode;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ONNX and linear scorers give {@link Models#load}'s predictions, a batch in one call. */
class ScorersTest {
    /**
     * seer-server's test model {@code models/linear-value.onnx} (ONNX IR 8, opset 13): one float
     * input x [N, 3], {@code y = x · [0.5, -2, 1] + 0.25} by MatMul and Add.
     */
    private static final byte[] LINEAR_ONNX = Base64.getDecoder().decode("CAgSCXNlZXItdGVzdDqOARIGbGluZWFyKhcIAwgBEAEiDAAA"
            + "AD8AAADAAACAP0IBVyoNCAEQASIEAACAPkIBQgoaCgF4CgFXEgJ4dxoGbWF0bXVsIgZNYXRNdWwKFAoCeHcKAUISAXkaA2FkZCIDQWRkWhQK"
            + "AXgSDwoNCAESCQoDEgFOCgIIA2IUCgF5Eg8KDQgBEgkKAxIBTgoCCAFCAhAN");
    private static final double[] ROWS = {1, 2, 3, 0, 0, 0, -1.5, 0.5, 4, 10, Double.NaN, -2};

    @Test
    void onnxModelsScoreABatchAsModelsLoadPredictsIt() {
        Signature signature = Signature.parse("a:float64,b:float64,c:float64->value");
        try (Scorer scorer = Scorers.of(ModelFormat.ONNX, LINEAR_ONNX, signature);
                Model model = Models.load(ModelFormat.ONNX, LINEAR_ONNX, signature)) {
            double[] out = new double[4];
            scorer.score(ROWS, 4, out);

            double[][] expected = model.predict(table(ROWS, 3));
            for (int r = 0; r < 3; r++) {
                assertThat(out[r]).isEqualTo(expected[r][0])
                        .isCloseTo(0.5 * ROWS[3 * r] - 2 * ROWS[3 * r + 1] + ROWS[3 * r + 2] + 0.25, within(1e-5));
            }
            assertThat(out[3]).isNaN();
            assertThat(scorer.score(new double[] {1, 1, 1})).containsExactly(-0.25);
            assertThatThrownBy(() -> scorer.score(new double[] {1, 2}))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.INVALID_INPUT))
                    .hasMessageContaining("takes [3] inputs per row [a, b, c]");
        }
    }

    @Test
    void onnxModelsOfAnotherSignatureAreRefusedAsModelsLoadRefusesThem() {
        assertThatThrownBy(() -> Scorers.of(ModelFormat.ONNX, LINEAR_ONNX, Signature.parse("a:float64,b:float64->value")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH));
    }

    @Test
    void linearModelsScoreAsModelsLoadPredictsThemFillingMissingValues() {
        LinearModel filled = new LinearModel(List.of("a", "b", "c"), new double[] {0.7, -1.1, 0.05}, -0.3,
                LinearModel.Link.LOGIT, new double[] {0.5, 2, -1});
        LinearModel unfilled = new LinearModel(List.of("a", "b", "c"), new double[] {2, 3, -4}, 1, LinearModel.Link.IDENTITY);
        for (LinearModel linear : List.of(filled, unfilled)) {
            Signature signature = Signature.parse("a:float64,b:float64,c:float64->"
                    + (linear.link() == LinearModel.Link.LOGIT ? "probability" : "value"));
            try (Scorer scorer = Scorers.of(ModelFormat.SEER_LINEAR, linear.toBytes(), signature);
                    Model model = Models.load(ModelFormat.SEER_LINEAR, linear.toBytes(), signature)) {
                double[] out = new double[4];
                scorer.score(ROWS, 4, out);

                double[][] expected = model.predict(table(ROWS, 3));
                assertThat(Double.isNaN(out[3])).isEqualTo(!linear.fillsMissingValues());
                for (int r = 0; r < 4; r++) {
                    // Double.compare: the same number, or both NaN (the unfilled model's row with a gap)
                    assertThat(Double.compare(out[r], expected[r][0])).as("row " + r + ": " + out[r]).isZero();
                }
            }
        }
        // a hand computation: the NaN of b in row 3 takes b's fill value 2
        Signature probability = Signature.parse("a:float64,b:float64,c:float64->probability");
        try (Scorer scorer = Scorers.of(ModelFormat.SEER_LINEAR, filled.toBytes(), probability)) {
            double score = -0.3 + 0.7 * 10 - 1.1 * 2 + 0.05 * -2;
            assertThat(scorer.score(new double[] {10, Double.NaN, -2})[0])
                    .isCloseTo(1 / (1 + Math.exp(-score)), within(1e-15));
        }
    }

    @Test
    void linearModelsOfAnotherSignatureAreRefusedAsModelsLoadRefusesThem() {
        LinearModel linear = new LinearModel(List.of("a", "b"), new double[] {1, 2}, 0, LinearModel.Link.IDENTITY);

        byte[] bytes = linear.toBytes();

        assertThatThrownBy(() -> Scorers.of(ModelFormat.SEER_LINEAR, bytes, Signature.parse("a:float64,b:float64->probability")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH));
        assertThatThrownBy(() -> Scorers.of(ModelFormat.SEER_LINEAR, bytes, Signature.parse("a:float64,z:float64->value")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH));
    }

    private static double[][] table(double[] rows, int inputs) {
        double[][] table = new double[rows.length / inputs][inputs];
        for (int r = 0; r < table.length; r++) {
            System.arraycopy(rows, r * inputs, table[r], 0, inputs);
        }
        return table;
    }
}
