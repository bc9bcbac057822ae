package dev.seer.models;

import dev.seer.core.SeerException;
import java.io.IOException;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * An XGBoost model (JSON or UBJ) run by XGBoost4J. The file's header is checked before XGBoost
 * loads it ({@link XGBoostHeader}). Rows go through {@code inplace_predict} on one float matrix:
 * no DMatrix per call, NaN as the missing value, as in training. XGBoost's in-place prediction is
 * thread-safe for a Booster that is not being trained, and this one never is.
 */
final class XGBoostModel implements Model {
    private final Booster booster;
    private final ModelFormat format;
    private final Signature signature;

    private XGBoostModel(Booster booster, ModelFormat format, Signature signature) {
        this.booster = booster;
        this.format = format;
        this.signature = signature;
    }

    static Model load(ModelFormat format, byte[] bytes, Signature declared) {
        XGBoostHeader.read(format, bytes).check(format, declared);
        Booster booster;
        try {
            booster = XGBoost.loadModel(bytes);
        } catch (XGBoostError | IOException e) {
            throw new SeerException(ModelErrorCode.INVALID_MODEL, "XGBoost refused the " + format.id() + " model: "
                    + firstLine(e), Map.of("format", format.id()), e);
        }
        return new XGBoostModel(booster, format, declared);
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public ModelFormat format() {
        return format;
    }

    @Override
    public double[][] predict(double[][] rows) {
        Rows.check(rows, signature);
        if (rows.length == 0) {
            return new double[0][];
        }
        int width = signature.inputs().size();
        float[][] out;
        try {
            out = booster.inplace_predict(Rows.flatten(rows, width), rows.length, width, Float.NaN);
        } catch (XGBoostError e) {
            throw new SeerException(ModelErrorCode.RUNTIME_FAILURE, "XGBoost failed to predict [" + rows.length
                    + "] rows: " + firstLine(e), Map.of("format", format.id()), e);
        }
        return widen(out);
    }

    private double[][] widen(float[][] out) {
        double[][] predictions = new double[out.length][signature.width()];
        for (int i = 0; i < out.length; i++) {
            if (out[i].length != signature.width()) {
                throw new SeerException(ModelErrorCode.RUNTIME_FAILURE, "XGBoost gave [" + out[i].length
                        + "] numbers for a row; the signature's output has [" + signature.width() + "]", Map.of());
            }
            for (int j = 0; j < out[i].length; j++) {
                predictions[i][j] = out[i][j];
            }
        }
        return predictions;
    }

    @Override
    public void close() {
        booster.dispose();
    }

    /** XGBoost's messages carry a native stack trace after the first line. */
    static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }
}
