package dev.seer.monitoring.concept;

import java.util.ArrayList;
import java.util.List;

/**
 * ADWIN's window as an exponential histogram (Bifet and Gavaldà 2007, §4; Datar et al. 2002), in
 * the arithmetic of river's {@code rust_src/adwin.rs} ({@code AdaptiveWindowing}) so that the cut
 * points, and hence the detection indices, are river's.
 *
 * <p>Level i holds buckets that each summarise 2^i consecutive values by their total and their sum
 * of squared deviations (SSD). A new value enters level 0; when a level reaches maxBuckets + 1
 * buckets its two oldest merge into one bucket of the next level, cascading upwards. The window
 * of W values thus needs O(maxBuckets · log W) buckets, and a cut can only fall between buckets.
 *
 * <p>Every {@code clock} values, once the window holds more than {@code gracePeriod} values, every
 * cut point is tested from the oldest bucket towards the newest: W0 is the older part (n0 values,
 * total u0), W1 the rest. With δ' = ln(2 ln W / δ), 1/m = 1/(n0 - mwl + 1) + 1/(n1 - mwl + 1) and
 * σ² the whole window's variance, the cut fires when |u0/n0 - u1/n1| > sqrt(2 σ² δ' / m) + (2/3) δ'
 * / m (the paper's Bernstein-style bound with the variance term). On a cut the single oldest
 * bucket is dropped and the scan restarts, until no cut fires.
 */
final class Window {
    private final double delta;
    private final int clock;
    private final int maxBuckets;
    private final double minWindowLength;
    private final double gracePeriod;

    private double total;
    private double ssd;
    private double width;
    private int tick;
    // levels.get(i): buckets of 2^i values, oldest first; the last level is never empty
    private final List<Level> levels = new ArrayList<>();

    Window(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod) {
        this.delta = delta;
        this.clock = clock;
        this.maxBuckets = maxBuckets;
        this.minWindowLength = minWindowLength;
        this.gracePeriod = gracePeriod;
        levels.add(new Level(maxBuckets));
    }

    /** Adds a value and returns whether a cut fired. */
    boolean update(double value) {
        insert(value);
        return detect();
    }

    double total() {
        return total;
    }

    double sumOfSquares() {
        return ssd;
    }

    double width() {
        return width;
    }

    int tick() {
        return tick;
    }

    List<Level> levels() {
        return levels;
    }

    void restore(double total, double ssd, double width, int tick) {
        this.total = total;
        this.ssd = ssd;
        this.width = width;
        this.tick = tick;
    }

    private void insert(double value) {
        levels.get(0).add(value, 0.0);
        width += 1.0;
        double increment = 0.0;
        if (width > 1.0) {
            double d = value - total / (width - 1.0);
            increment = (width - 1.0) * d * d / width;
        }
        ssd += increment;
        total += value;
        compress();
    }

    private void compress() {
        for (int i = 0; levels.get(i).size() == maxBuckets + 1; i++) {
            Level level = levels.get(i);
            double n = (double) (1L << i);
            double mu0 = level.total(0) / n;
            double mu1 = level.total(1) / n;
            double mergedTotal = level.total(0) + level.total(1);
            double mergedSsd = level.ssd(0) + level.ssd(1) + n * 0.5 * (mu0 - mu1) * (mu0 - mu1);
            if (i + 1 == levels.size()) {
                levels.add(new Level(maxBuckets));
            }
            levels.get(i + 1).add(mergedTotal, mergedSsd);
            level.removeOldest(2);
        }
    }

    private boolean detect() {
        tick++;
        if (tick % clock != 0 || !(width > gracePeriod)) {
            return false;
        }
        boolean change = false;
        while (cutOnce()) {
            change = true;
        }
        return change;
    }

    /** Scans the cut points once; on the first that fires drops the oldest bucket and says so. */
    private boolean cutOnce() {
        double n0 = 0;
        double n1 = width;
        double u0 = 0;
        double u1 = total;
        for (int i = levels.size() - 1; i >= 0; i--) {
            Level level = levels.get(i);
            double size = (double) (1L << i);
            for (int k = 0; k < level.size(); k++) {
                n0 += size;
                n1 -= size;
                u0 += level.total(k);
                u1 -= level.total(k);
                if (i == 0 && k == level.size() - 1) {
                    return false; // the newest bucket: no cut after it
                }
                if (n1 >= minWindowLength && n0 >= minWindowLength && cuts(n0, n1, u0 / n0 - u1 / n1)) {
                    if (width > 0) {
                        dropOldest();
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private boolean cuts(double n0, double n1, double meanDifference) {
        double deltaPrime = Math.log(2.0 * Math.log(width) / delta);
        double mInverse = 1.0 / (n0 - minWindowLength + 1.0) + 1.0 / (n1 - minWindowLength + 1.0);
        double epsilon = Math.sqrt(2.0 * mInverse * (ssd / width) * deltaPrime) + 2.0 / 3.0 * deltaPrime * mInverse;
        return Math.abs(meanDifference) > epsilon;
    }

    private void dropOldest() {
        int last = levels.size() - 1;
        Level level = levels.get(last);
        double n = (double) (1L << last);
        double u = level.total(0);
        double v = level.ssd(0);
        double mu = u / n;
        width -= n;
        total -= u;
        double muWindow = total / width;
        ssd -= v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width);
        level.removeOldest(1);
        if (level.size() == 0) {
            levels.remove(last);
        }
    }

    /** The buckets of one level: at most maxBuckets + 1, and that only for the moment of a merge. */
    static final class Level {
        private final double[] totals;
        private final double[] ssds;
        private int size;

        Level(int maxBuckets) {
            totals = new double[maxBuckets + 1];
            ssds = new double[maxBuckets + 1];
        }

        int size() {
            return size;
        }

        double total(int k) {
            return totals[k];
        }

        double ssd(int k) {
            return ssds[k];
        }

        void add(double bucketTotal, double bucketSsd) {
            totals[size] = bucketTotal;
            ssds[size] = bucketSsd;
            size++;
        }

        private void removeOldest(int count) {
            System.arraycopy(totals, count, totals, 0, size - count);
            System.arraycopy(ssds, count, ssds, 0, size - count);
            size -= count;
        }
    }
}
