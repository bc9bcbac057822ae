package dev.seer.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler: the benchmark JVM's CPU time per operation (all its threads, a native library's
 * included), reported beside JMH's wall-clock score as {@code ·cpu}. On a machine shared with other
 * work, wall time counts the time others held the cores and CPU time does not. JMH loads it by
 * name in the forked JVM, hence public and top-level.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long start;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        start = OS.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
            IterationResult result) {
        long nanos = OS.getProcessCpuTime() - start;
        // counts operations, each invocation's @OperationsPerInvocation already multiplied in
        long ops = result.getMetadata().getMeasuredOps();
        return List.of(new ScalarResult("cpu", nanos / 1e3 / Math.max(1, ops), "us/op", AggregationPolicy.AVG));
    }
}
