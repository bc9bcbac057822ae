package dev.seer.bench;

import dev.seer.models.ModelFormat;
import dev.seer.models.Signature;
import dev.seer.serving.scoring.Scorer;
import dev.seer.serving.scoring.Scorers;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/**
 * The compiled tree scorer (issue 17) against XGBoost4J on the issue's model: binary:logistic, 100
 * trees of depth 6 on 20 features, trained here by XGBoost4J ({@code hist}, one thread, seed 7) on
 * 20,000 rows of {@link TreeShapBench}'s synthetic task; scored on 1,024 other rows, 5% of values
 * missing. One thread throughout (XGBoost's {@code nthread} 1).
 *
 * <p>Single row, microseconds per row: Seer's {@code CompiledTrees} on one row; XGBoost4J's
 * {@code predict} on a one-row DMatrix made for the call (as a server answering a request would);
 * and its {@code inplace_predict} on the row's floats (XGBoost 1.4+, no DMatrix). Batch, rows per
 * second on batches of 10,000 rows: the same three, XGBoost's DMatrix made in the call (XGBoost caches
 * the predictions of a DMatrix it has predicted, so a DMatrix made once would time a copy).
 *
 * <p>Run: {@code ./mvnw -B -ntp -o -q package -DskipTests -Dmdep.analyze.skip=true -pl seer-bench -am}, then
 * {@code java -cp "seer-bench/target/classes:seer-bench/target/lib/*" dev.seer.bench.ScorerBench [JMH options]}:
 * one fork per benchmark, 3 warm-up and 5 measured iterations of one second (about two minutes),
 * each figure with the JVM's CPU time per operation beside it ({@link CpuTimeProfiler}).
 */
public class ScorerBench {
    static final int TREES = 100;
    static final int DEPTH = 6;
    static final int POOL = 1024;
    static final int BATCH = 10_000;

    /** The model, its scorer and its booster, and rows to score, made once per fork. */
    @State(Scope.Benchmark)
    public static class Fixture {
        Booster booster;
        Scorer scorer;
        /** Single rows, as doubles for Seer and as floats for XGBoost. */
        double[][] rows;
        float[][] floatRows;
        double[] batch;
        float[] floatBatch;
        double[] out;

        @Setup(Level.Trial)
        public void setUp() throws XGBoostError {
            booster = train(TreeShapBench.features(TreeShapBench.TRAIN, 1, 0));
            booster.setParam("nthread", 1);
            scorer = Scorers.of(ModelFormat.XGBOOST_UBJ, booster.toByteArray("ubj"), signature());
            float[] pool = TreeShapBench.features(POOL, 2, 0.05);
            rows = new double[POOL][TreeShapBench.FEATURES];
            floatRows = new float[POOL][TreeShapBench.FEATURES];
            for (int r = 0; r < POOL; r++) {
                for (int j = 0; j < TreeShapBench.FEATURES; j++) {
                    rows[r][j] = pool[r * TreeShapBench.FEATURES + j];
                    floatRows[r][j] = pool[r * TreeShapBench.FEATURES + j];
                }
            }
            floatBatch = TreeShapBench.features(BATCH, 3, 0.05);
            batch = new double[floatBatch.length];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = floatBatch[i];
            }
            out = new double[BATCH];
        }

        @TearDown(Level.Trial)
        public void tearDown() throws XGBoostError {
            booster.dispose();
            scorer.close();
        }
    }

    /** Which row of the pool is next, per thread, so that successive calls see different rows. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int advance() {
            next = (next + 1) & (POOL - 1);
            return next;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double singleSeer(Fixture f, Cursor c) {
        f.scorer.score(f.rows[c.advance()], 1, f.out);
        return f.out[0];
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float singleXgboostDMatrix(Fixture f, Cursor c) throws XGBoostError {
        DMatrix one = new DMatrix(f.floatRows[c.advance()], 1, TreeShapBench.FEATURES, Float.NaN);
        try {
            return f.booster.predict(one)[0][0];
        } finally {
            one.dispose();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float singleXgboostInplace(Fixture f, Cursor c) throws XGBoostError {
        return f.booster.inplace_predict(f.floatRows[c.advance()], 1, TreeShapBench.FEATURES, Float.NaN)[0][0];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public double batchSeer(Fixture f) {
        f.scorer.score(f.batch, BATCH, f.out);
        return f.out[BATCH - 1];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public float[][] batchXgboostDMatrix(Fixture f) throws XGBoostError {
        // a DMatrix per call: XGBoost caches its predictions for a DMatrix it has seen
        DMatrix matrix = new DMatrix(f.floatBatch, BATCH, TreeShapBench.FEATURES, Float.NaN);
        try {
            return f.booster.predict(matrix);
        } finally {
            matrix.dispose();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public float[][] batchXgboostInplace(Fixture f) throws XGBoostError {
        return f.booster.inplace_predict(f.floatBatch, BATCH, TreeShapBench.FEATURES, Float.NaN);
    }

    /** TreeShapBench's task: a seeded nonlinear logit of the first ten features. */
    static Booster train(float[] x) throws XGBoostError {
        int n = TreeShapBench.TRAIN;
        int width = TreeShapBench.FEATURES;
        float[] y = new float[n];
        Random random = new Random(3);
        for (int i = 0; i < n; i++) {
            int o = i * width;
            double logit = x[o] * x[o + 1] + Math.sin(2 * x[o + 2]) + 0.5 * x[o + 3] * x[o + 3] - 0.5 + 0.8 * x[o + 4]
                    - 0.6 * x[o + 5] + 0.7 * Math.abs(x[o + 6]) - 0.56 + (x[o + 8] > 0 ? 0.5 * x[o + 7] : 0) + 0.3 * x[o + 9];
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        }
        DMatrix matrix = new DMatrix(x, n, width, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", "binary:logistic", "max_depth", DEPTH, "eta", 0.1,
                "nthread", 1, "tree_method", "hist", "seed", 7, "min_child_weight", 1));
        Booster booster = XGBoost.train(matrix, params, TREES, new HashMap<>(), null, null);
        matrix.dispose();
        return booster;
    }

    static Signature signature() {
        StringJoiner inputs = new StringJoiner(",");
        for (int j = 0; j < TreeShapBench.FEATURES; j++) {
            inputs.add("x" + j + ":float32");
        }
        return Signature.parse(inputs + "->probability");
    }

    /**
     * Runs the benchmarks under JMH: all of them, one fork each, 3 warm-up and 5 measured iterations
     * of one second, one thread, and the CPU time per operation beside the wall time. JMH's own
     * options override these ({@code -wi 8}, {@code -f 2}, a regexp of benchmarks to run).
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        JmhMain.run(ScorerBench.class, args);
    }
}
