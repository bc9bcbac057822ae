package dev.seer.features.stream;

import java.util.Arrays;
import java.util.function.DoubleConsumer;

/**
 * Freshness samples of one kind (seconds from event time to online): the last 4,096 kept for
 * percentiles in status, and each passed on to a sink (the server's Prometheus histogram).
 */
final class Freshness {
    private final double[] ring = new double[4096];
    private long count;
    private volatile DoubleConsumer sink = seconds -> { };

    void sink(DoubleConsumer sink) {
        this.sink = sink;
    }

    void record(double seconds) {
        synchronized (ring) {
            ring[(int) (count++ % ring.length)] = seconds;
        }
        sink.accept(seconds);
    }

    /** The p-th percentile (0..1) of the recent samples; NaN if there are none. */
    double[] percentiles(double... p) {
        double[] recent;
        synchronized (ring) {
            recent = Arrays.copyOf(ring, (int) Math.min(count, ring.length));
        }
        Arrays.sort(recent);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = recent.length == 0 ? Double.NaN : recent[(int) Math.min(recent.length - 1, Math.floor(p[i] * recent.length))];
        }
        return out;
    }
}
