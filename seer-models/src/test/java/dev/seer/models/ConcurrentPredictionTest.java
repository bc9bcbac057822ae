package dev.seer.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/** Models are documented as safe to predict from many threads at once: each thread gets what one thread alone gets. */
class ConcurrentPredictionTest {
    private static final int THREADS = 4;
    private static final int CALLS = 50;

    @Test
    void xgboostPredictsTheSameFromManyThreads() throws Exception {
        float[] data = new float[40 * 2];
        float[] labels = new float[40];
        for (int i = 0; i < 40; i++) {
            data[2 * i] = i;
            data[2 * i + 1] = (i * 7) % 11;
            labels[i] = data[2 * i] + data[2 * i + 1] > 25 ? 1 : 0;
        }
        DMatrix matrix = new DMatrix(data, 40, 2, Float.NaN);
        matrix.setLabel(labels);
        Map<String, Object> params = new HashMap<>(Map.of("objective", "binary:logistic", "max_depth", 3, "nthread", 1));
        Booster booster = XGBoost.train(matrix, params, 5, Map.of(), null, null);
        try (Model model = Models.load(ModelFormat.XGBOOST_UBJ, booster.toByteArray("ubj"),
                Signature.parse("a:float64,b:float64->probability"))) {
            assertSameFromManyThreads(model, 2);
        } finally {
            booster.dispose();
        }
    }

    @Test
    void onnxPredictsTheSameFromManyThreads() throws Exception {
        byte[] onnx = OnnxWriter.matrix(new float[] {0.5f, -0.25f}, 0.1f, true, OnnxWriter.IR_VERSION);
        try (Model model = Models.load(ModelFormat.ONNX, onnx, Signature.parse("a:float64,b:float64->probability"))) {
            assertSameFromManyThreads(model, 2);
        }
    }

    private static void assertSameFromManyThreads(Model model, int width) throws Exception {
        List<double[][]> batches = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            double[][] rows = new double[100 + t][width];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < width; j++) {
                    rows[i][j] = (i * (j + 1) + t) % 37 - 10;
                }
            }
            batches.add(rows);
        }
        List<double[][]> alone = batches.stream().map(model::predict).toList();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<Boolean> calls = () -> {
                    boolean same = true;
                    for (int c = 0; c < CALLS; c++) {
                        same &= Arrays.deepEquals(model.predict(batches.get(thread)), alone.get(thread));
                    }
                    return same;
                };
                results.add(pool.submit(calls));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }
}
