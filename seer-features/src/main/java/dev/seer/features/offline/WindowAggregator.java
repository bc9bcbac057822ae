package dev.seer.features.offline;

import dev.seer.features.definition.Definitions;
import dev.seer.features.online.WindowTiles;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Point-in-time window aggregates, in batch: for each query (an entity row with key K at time T)
 * the aggregate of K's events with event time in {@code (S, T]}, where S is the window's start
 * for T ({@link Definitions.Aggregation#windowStartMicros}: {@code T - window}, or that rounded
 * down to a whole step), the value the streaming side ({@link WindowTiles}) must also serve at T.
 *
 * <p>Design: both sides are sorted by key then time ({@link RadixSort}); then, key by key, two
 * pointers bound the window over that key's events as the queries advance in time: the upper
 * one admits events with {@code time <= T}, the lower one retires those with
 * {@code time <= S} (S never decreases as T grows, so neither pointer moves back). Each event enters and leaves once, so after the sort the work is
 * linear. Count, sum and mean keep running totals (sums are compensated, Kahan-Babuska, so that
 * adding and retiring millions of values does not drift); min and max keep a monotonic deque of
 * candidates (the sliding-window minimum); last is the newest event's value (ties: the one
 * stored last; null if that value is null); distinct count keeps a count per value. Null values
 * (NaN) are skipped by sum, mean, min, max and distinct count; count counts events.
 *
 * <p>Internal to seer-features: public only so that online (window tiles) can reach it; no other
 * module uses it (ArchitectureTest keeps it so).
 */
public final class WindowAggregator {
    /** What a window with no (non-null) value gives: 0 for counts, NaN (null) otherwise. */
    static final double NONE = Double.NaN;

    public enum Function { COUNT, SUM, MEAN, MIN, MAX, LAST, DISTINCT_COUNT }

    private WindowAggregator() {}

    /**
     * @param eventKey dense key id of each event (0..keyCount-1)
     * @param eventTime event time, epoch micros
     * @param eventValue the aggregated column (NaN for null); for distinct count, any stable encoding of the value
     * @param queryKey dense key id of each query
     * @param queryTime query time, epoch micros
     * @param aggregation its window and step; the function is {@code function}
     * @return for each query, in input order, the aggregate
     */
    public static double[] aggregate(int keyCount, int[] eventKey, long[] eventTime, double[] eventValue, int[] queryKey,
            long[] queryTime, Function function, Definitions.Aggregation aggregation) {
        int[] events = RadixSort.byKeyThenTime(keyCount, eventKey, eventTime, null);
        int[] queries = RadixSort.byKeyThenTime(keyCount, queryKey, queryTime, null);
        double[] out = new double[queryKey.length];
        Window window = new Window(function, eventValue);
        int lo = 0;
        int hi = 0;
        int currentKey = -1;
        for (int q : queries) {
            int key = queryKey[q];
            long t = queryTime[q];
            if (key != currentKey) {
                while (hi < events.length && eventKey[events[hi]] < key) {
                    hi++;
                }
                lo = hi;
                window.clear();
                currentKey = key;
            }
            while (hi < events.length && eventKey[events[hi]] == key && eventTime[events[hi]] <= t) {
                window.add(events[hi++]);
            }
            long start = aggregation.windowStartMicros(t);
            while (lo < hi && eventTime[events[lo]] <= start) {
                window.remove(events[lo++]);
            }
            out[q] = window.value();
        }
        return out;
    }

    /** The running state of one key's window; events arrive and leave in time order. */
    private static final class Window {
        private final Function function;
        private final double[] values;
        private long events;
        private long present;
        private double sum;
        private double compensation;
        private final ArrayDeque<Integer> extremes = new ArrayDeque<>();
        private int last = -1;
        private final Map<Double, Integer> distinct = new HashMap<>();

        Window(Function function, double[] values) {
            this.function = function;
            this.values = values;
        }

        void clear() {
            events = 0;
            present = 0;
            sum = 0;
            compensation = 0;
            extremes.clear();
            last = -1;
            distinct.clear();
        }

        void add(int event) {
            events++;
            last = event;
            double v = values[event];
            if (Double.isNaN(v)) {
                return;
            }
            present++;
            switch (function) {
                case SUM, MEAN -> accumulate(v);
                case MIN -> push(event, v, true);
                case MAX -> push(event, v, false);
                case DISTINCT_COUNT -> distinct.merge(v, 1, Integer::sum);
                default -> { }
            }
        }

        void remove(int event) {
            events--;
            double v = values[event];
            if (Double.isNaN(v)) {
                return;
            }
            present--;
            switch (function) {
                case SUM, MEAN -> accumulate(-v);
                case MIN, MAX -> {
                    if (!extremes.isEmpty() && extremes.peekFirst() == event) {
                        extremes.pollFirst();
                    }
                }
                case DISTINCT_COUNT -> distinct.computeIfPresent(v, (k, c) -> c == 1 ? null : c - 1);
                default -> { }
            }
        }

        /** Kahan-Babuska (Neumaier) summation: exact enough that retiring values leaves no drift. */
        private void accumulate(double v) {
            double t = sum + v;
            compensation += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        /** Sliding-window extreme: a candidate is dropped once a newer value is at least as good. */
        private void push(int event, double v, boolean min) {
            while (!extremes.isEmpty()) {
                double back = values[extremes.peekLast()];
                if (min ? back >= v : back <= v) {
                    extremes.pollLast();
                } else {
                    break;
                }
            }
            extremes.addLast(event);
        }

        double value() {
            return switch (function) {
                case COUNT -> events;
                case SUM -> present == 0 ? NONE : sum + compensation;
                case MEAN -> present == 0 ? NONE : (sum + compensation) / present;
                case MIN, MAX -> extremes.isEmpty() ? NONE : values[extremes.peekFirst()];
                case LAST -> events == 0 ? NONE : values[last];
                case DISTINCT_COUNT -> distinct.size();
            };
        }
    }

    /** For tests and callers that want the functions by name, as written in a repository. */
    public static Function function(String name) {
        return Arrays.stream(Function.values()).filter(f -> f.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("aggregation function " + name));
    }
}
