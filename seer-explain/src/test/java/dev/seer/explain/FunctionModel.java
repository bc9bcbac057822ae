package dev.seer.explain;

import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Signature;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A hand-written {@link Model} for tests: a function of a row, and a count of the predict calls and rows it saw. */
final class FunctionModel implements Model {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger largestCall = new AtomicInteger();
    private final Signature signature;
    private final Function<double[], double[]> f;

    FunctionModel(int features, String output, Function<double[], double[]> f) {
        this.signature = Signature.parse(IntStream.range(0, features).mapToObj(i -> "x" + i + ":float64")
                .collect(Collectors.joining(",")) + "->" + output);
        this.f = f;
    }

    static FunctionModel value(int features, java.util.function.ToDoubleFunction<double[]> f) {
        return new FunctionModel(features, "value", x -> new double[] {f.applyAsDouble(x)});
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    public double[][] predict(double[][] rows) {
        calls.incrementAndGet();
        largestCall.accumulateAndGet(rows.length, Math::max);
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = f.apply(rows[r]);
        }
        return out;
    }

    @Override
    public void close() {}
}
