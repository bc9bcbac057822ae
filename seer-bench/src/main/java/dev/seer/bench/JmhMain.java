package dev.seer.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The one way this module's JMH benchmarks run from {@code main}: JMH's own command-line options
 * over the defaults every figure in BENCHMARKS.md was taken with (one fork, 3 warm-up and 5
 * measured iterations of one second, one thread, a 2 GB heap, the JVM's CPU time per operation
 * beside each figure).
 */
final class JmhMain {
    private JmhMain() {}

    static void run(Class<?> benchmarks, String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(cli.getForkCount().orElse(1))
                .warmupIterations(cli.getWarmupIterations().orElse(3))
                .warmupTime(cli.getWarmupTime().orElse(TimeValue.seconds(1)))
                .measurementIterations(cli.getMeasurementIterations().orElse(5))
                .measurementTime(cli.getMeasurementTime().orElse(TimeValue.seconds(1)))
                .threads(1)
                .jvmArgsAppend("-Xmx2g")
                .addProfiler(CpuTimeProfiler.class);
        if (cli.getIncludes().isEmpty()) {
            options.include(benchmarks.getName() + "\\.");
        }
        cli.getIncludes().forEach(options::include);
        new Runner(options.build()).run();
    }
}
