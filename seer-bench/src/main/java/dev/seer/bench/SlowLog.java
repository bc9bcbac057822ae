package dev.seer.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * Optional record of the slow requests of a {@link LoadGen} run, one line each: when the
 * request was due (epoch ms, to line up with GC logs and CPU samples of other processes), its
 * latency and its connection. On with {@code -Dslow.log=FILE}; the threshold is
 * {@code -Dslow.ms} (default 5).
 */
final class SlowLog implements AutoCloseable {
    static final SlowLog NONE = new SlowLog(null, Long.MAX_VALUE, Clock.systemUTC());

    private final PrintWriter out;
    private final long thresholdNanos;
    /** Epoch milliseconds minus nanoTime / 1e6, taken once: turns a due time into wall time. */
    private final double epochOffsetMillis;

    private SlowLog(PrintWriter out, long thresholdNanos, Clock clock) {
        this.out = out;
        this.thresholdNanos = thresholdNanos;
        this.epochOffsetMillis = clock.millis() - System.nanoTime() / 1e6;
    }

    static SlowLog fromProperties() throws IOException {
        String file = System.getProperty("slow.log");
        if (file == null) {
            return NONE;
        }
        long millis = Long.parseLong(System.getProperty("slow.ms", "5"));
        return new SlowLog(new PrintWriter(Files.newBufferedWriter(Path.of(file))), millis * 1_000_000, Clock.systemUTC());
    }

    void note(long dueNanos, long latencyNanos, int connection) {
        if (latencyNanos < thresholdNanos) {
            return;
        }
        synchronized (this) {
            out.printf(Locale.ROOT, "%.3f %.3f %d%n", epochOffsetMillis + dueNanos / 1e6, latencyNanos / 1e6, connection);
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            out.close();
        }
    }
}
