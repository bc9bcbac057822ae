package dev.seer.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tiny models trained here with XGBoost4J, loaded back through {@link Models#load}. */
class XGBoostModelTest {
    private static final int FEATURES = 3;
    private static final Signature BINARY = Signature.parse("a:float64,b:float64,c:int64->probability");
    private static final Signature REGRESSION = Signature.parse("a:float64,b:float64,c:int64->value");
    private static final Signature MULTICLASS = Signature.parse("a:float64,b:float64,c:int64->class-probabilities(3)");
    /** Rows to predict, two with missing values. */
    private static final double[][] ROWS = {{0.1, 0.9, 1}, {0.8, 0.2, 0}, {Double.NaN, 0.5, 2}, {0.4, Double.NaN, 1},
            {0.95, 0.95, 3}};

    private static Booster binary;
    private static Booster regression;
    private static Booster multiclass;

    @BeforeAll
    static void train() throws XGBoostError {
        binary = train("binary:logistic", Map.of(), (x, r) -> x[0] + x[1] > 1 ? 1 : 0);
        regression = train("reg:squarederror", Map.of(), (x, r) -> 2 * x[0] - x[1] + x[2] + 0.1f * r.nextFloat());
        multiclass = train("multi:softprob", Map.of("num_class", 3), (x, r) -> x[0] < 0.33 ? 0 : x[0] < 0.66 ? 1 : 2);
    }

    @AfterAll
    static void dispose() {
        binary.dispose();
        regression.dispose();
        multiclass.dispose();
    }

    @ParameterizedTest
    @EnumSource(names = {"XGBOOST_JSON", "XGBOOST_UBJ"})
    void predictionsAreXGBoostsOwnForEachObjectiveIncludingMissingValues(ModelFormat format) throws XGBoostError {
        assertSamePredictions(binary, format, BINARY);
        assertSamePredictions(regression, format, REGRESSION);
        assertSamePredictions(multiclass, format, MULTICLASS);
    }

    @Test
    void jsonAndUbjOfOneModelPredictTheSame() throws XGBoostError {
        try (Model json = Models.load(ModelFormat.XGBOOST_JSON, binary.toByteArray("json"), BINARY);
                Model ubj = Models.load(ModelFormat.XGBOOST_UBJ, binary.toByteArray("ubj"), BINARY)) {
            assertThat(ubj.predict(ROWS)).isDeepEqualTo(json.predict(ROWS));
            assertThat(json.format()).isEqualTo(ModelFormat.XGBOOST_JSON);
            assertThat(ubj.format()).isEqualTo(ModelFormat.XGBOOST_UBJ);
        }
    }

    @Test
    void aSignatureOfAnotherFeatureCountIsRefused() throws XGBoostError {
        byte[] model = binary.toByteArray("ubj");

        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_UBJ, model, Signature.parse("a:float64,b:float64->probability")))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH))
                .hasMessageContaining("takes [3] features").hasMessageContaining("declares [2] inputs [a, b]");
    }

    @ParameterizedTest
    @EnumSource(names = {"XGBOOST_JSON", "XGBOOST_UBJ"})
    void featureNamesOfTheModelMustBeTheSignatures(ModelFormat format) throws XGBoostError {
        Booster named = train("binary:logistic", Map.of(), (x, r) -> x[0] > 0.5 ? 1 : 0);
        try {
            named.setFeatureNames(new String[] {"a", "b", "c"});
            byte[] model = named.toByteArray(format == ModelFormat.XGBOOST_JSON ? "json" : "ubj");

            assertThatThrownBy(() -> Models.load(format, model, Signature.parse("a:float64,b:float64,x:int64->probability")))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH))
                    .hasMessageContaining("Feature 3 of the " + format.id() + " model is [c]")
                    .hasMessageContaining("input 3 is [x]");
            try (Model loaded = Models.load(format, model, BINARY)) {
                assertThat(loaded.signature().names()).containsExactly("a", "b", "c");
            }
        } finally {
            named.dispose();
        }
    }

    @Test
    void anOutputKindTheObjectiveDoesNotGiveIsRefusedNamingTheObjective() throws XGBoostError {
        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_JSON, binary.toByteArray("json"), REGRESSION))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH))
                .hasMessageContaining("objective [binary:logistic], so predicts [probability]")
                .hasMessageContaining("declares output [value]");
        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_UBJ, regression.toByteArray("ubj"), BINARY))
                .hasMessageContaining("objective [reg:squarederror], so predicts [value]");
        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_JSON, multiclass.toByteArray("json"),
                Signature.parse("a:float64,b:float64,c:int64->class-probabilities(4)")))
                .hasMessageContaining("over [3] classes (num_class)")
                .hasMessageContaining("declares output [class-probabilities(4)]");
    }

    @Test
    void ubjBytesDeclaredAsJsonAreRefusedAndTheOtherWayRound() throws XGBoostError {
        byte[] ubj = binary.toByteArray("ubj");
        byte[] json = binary.toByteArray("json");

        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_JSON, ubj, BINARY))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL))
                .hasMessageContaining("not an XGBoost model in format [xgboost-json]")
                .hasMessageContaining("look like xgboost-ubj");
        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_UBJ, json, BINARY))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL))
                .hasMessageContaining("not an XGBoost model in format [xgboost-ubj]")
                .hasMessageContaining("look like xgboost-json");
    }

    @Test
    void truncatedOrForeignBytesAreRefusedNotCrashedOn() throws XGBoostError {
        byte[] ubj = binary.toByteArray("ubj");
        byte[] half = Arrays.copyOf(ubj, ubj.length / 2);
        byte[] other = "{\"format\": 1, \"kind\": \"seer-linear\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_UBJ, half, BINARY))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL))
                .hasMessageContaining("not an XGBoost model in format [xgboost-ubj]")
                .hasMessageContaining("more than its bytes hold");
        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_UBJ, Arrays.copyOf(ubj, 20), BINARY))
                .hasMessageContaining("ends in the middle of a value");
        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_JSON, other, BINARY))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.INVALID_MODEL))
                .hasMessageContaining("has no [version]");
    }

    @Test
    void aModelOfANewerXGBoostIsRefusedNamingBothVersions() throws XGBoostError {
        int major = XGBoostHeader.LIBRARY.get(0);
        int minor = XGBoostHeader.LIBRARY.get(1);

        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_JSON, withVersion(major + 1, 0, 0), BINARY))
                .isInstanceOfSatisfying(SeerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT))
                .hasMessageContaining("written by XGBoost [" + (major + 1) + ".0.0]")
                .hasMessageContaining("reads models of XGBoost up to [" + major + "." + minor + "]");
        assertThatThrownBy(() -> Models.load(ModelFormat.XGBOOST_JSON, withVersion(major, minor + 1, 0), BINARY))
                .hasMessageContaining("written by XGBoost [" + major + "." + (minor + 1) + ".0]");
        try (Model samePatchLater = Models.load(ModelFormat.XGBOOST_JSON, withVersion(major, minor, 99), BINARY)) {
            assertThat(samePatchLater.predict(ROWS)).hasNumberOfRows(ROWS.length);
        }
    }

    @Test
    void theLibraryVersionIsTheOneXGBoostWritesIntoItsModels() throws XGBoostError {
        var written = Json.parse(binary.toByteArray("json")).get("version");

        assertThat(List.of(written.get(0).asInt(), written.get(1).asInt(), written.get(2).asInt()))
                .isEqualTo(XGBoostHeader.LIBRARY);
    }

    private static byte[] withVersion(int major, int minor, int patch) throws XGBoostError {
        ObjectNode json = (ObjectNode) Json.parse(binary.toByteArray("json"));
        json.putArray("version").add(major).add(minor).add(patch);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void assertSamePredictions(Booster booster, ModelFormat format, Signature signature)
            throws XGBoostError {
        float[][] expected = booster.predict(new DMatrix(flatten(ROWS), ROWS.length, FEATURES, Float.NaN));
        try (Model model = Models.load(format, booster.toByteArray(format == ModelFormat.XGBOOST_JSON ? "json" : "ubj"),
                signature)) {
            double[][] predictions = model.predict(ROWS);

            assertThat(predictions).hasNumberOfRows(ROWS.length);
            for (int i = 0; i < ROWS.length; i++) {
                assertThat(predictions[i]).hasSize(signature.width());
                for (int j = 0; j < signature.width(); j++) {
                    assertThat(predictions[i][j]).isCloseTo(expected[i][j], within(1e-6));
                }
            }
        }
    }

    /** The label of a row of features, from a seeded random source for noise. */
    private interface Label {
        float of(float[] features, Random random);
    }

    private static Booster train(String objective, Map<String, Object> extra, Label label) throws XGBoostError {
        Random random = new Random(42);
        int rows = 90;
        float[] data = new float[rows * FEATURES];
        float[] labels = new float[rows];
        for (int i = 0; i < rows; i++) {
            float[] x = {random.nextFloat(), random.nextFloat(), random.nextInt(4)};
            labels[i] = label.of(x, random);
            // every seventh row lacks a value, so the trees learn where missing values go
            if (i % 7 == 0) {
                x[i % 2] = Float.NaN;
            }
            System.arraycopy(x, 0, data, i * FEATURES, FEATURES);
        }
        DMatrix matrix = new DMatrix(data, rows, FEATURES, Float.NaN);
        matrix.setLabel(labels);
        Map<String, Object> params = new HashMap<>(extra);
        params.put("objective", objective);
        params.put("max_depth", 3);
        params.put("eta", 0.3);
        params.put("nthread", 1);
        params.put("seed", 7);
        return XGBoost.train(matrix, params, 5, Map.of(), null, null);
    }

    private static float[] flatten(double[][] rows) {
        float[] flat = new float[rows.length * FEATURES];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < FEATURES; j++) {
                flat[i * FEATURES + j] = (float) rows[i][j];
            }
        }
        return flat;
    }
}
