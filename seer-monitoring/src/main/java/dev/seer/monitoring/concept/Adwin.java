package dev.seer.monitoring.concept;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Map;

/**
 * ADaptive WINdowing: Bifet and Gavaldà, "Learning from Time-Changing Data with Adaptive
 * Windowing", SIAM SDM 2007, pp. 443-448, with river's defaults and semantics ({@code
 * river/drift/adwin.py} over {@code rust_src/adwin.rs}; docs/design/monitoring-research.md §5.2).
 *
 * <p>ADWIN keeps the longest window of recent values in which no two sub-windows have
 * significantly different means; when a cut between an older and a newer part fires, the older
 * part is dropped and a drift is reported. The window lives in an exponential histogram, so the
 * memory is logarithmic in its width (see {@link Window} for the buckets and the cut test). Fed
 * per-prediction losses in [0, 1] (0/1 errors, or a bounded loss), its {@link #mean()} is the
 * current error rate.
 *
 * <p>As in river's {@code ADWIN} wrapper, the value after a drift starts an empty window, so the
 * detector re-learns the new concept from scratch (and the clock restarts). Unlike river, whose
 * {@code n_detections} lives in the re-created window and so restarts too, {@link #detections()}
 * counts every drift since creation. Any finite value is accepted, as in river; the bound is
 * calibrated for values of range 1.
 */
public final class Adwin implements DriftDetector {
    /** River's defaults: confidence δ = 0.002, a cut test every 32 values, 5 buckets a level. */
    public static final double DEFAULT_DELTA = 0.002;
    public static final int DEFAULT_CLOCK = 32;
    public static final int DEFAULT_MAX_BUCKETS = 5;
    public static final int DEFAULT_MIN_WINDOW_LENGTH = 5;
    public static final int DEFAULT_GRACE_PERIOD = 10;

    private final double delta;
    private final int clock;
    private final int maxBuckets;
    private final int minWindowLength;
    private final int gracePeriod;

    private Window window;
    private State state = State.STABLE;
    private long detections;

    /** An ADWIN with river's defaults. */
    public Adwin() {
        this(DEFAULT_DELTA);
    }

    /** An ADWIN with confidence {@code delta} and river's other defaults. */
    public Adwin(double delta) {
        this(delta, DEFAULT_CLOCK, DEFAULT_MAX_BUCKETS, DEFAULT_MIN_WINDOW_LENGTH, DEFAULT_GRACE_PERIOD);
    }

    public Adwin(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod) {
        if (!(delta > 0 && delta < 1)) {
            throw invalid("ADWIN delta [" + delta + "] is not in (0, 1)");
        }
        if (clock < 1 || maxBuckets < 2 || maxBuckets > 1024 || minWindowLength < 1 || gracePeriod < 0) {
            throw invalid("ADWIN needs clock [" + clock + "] >= 1, 2 <= max buckets [" + maxBuckets
                    + "] <= 1024, min window length [" + minWindowLength + "] >= 1 and grace period ["
                    + gracePeriod + "] >= 0");
        }
        this.delta = delta;
        this.clock = clock;
        this.maxBuckets = maxBuckets;
        this.minWindowLength = minWindowLength;
        this.gracePeriod = gracePeriod;
        this.window = newWindow();
    }

    private Window newWindow() {
        return new Window(delta, clock, maxBuckets, minWindowLength, gracePeriod);
    }

    /**
     * Feeds one value, typically a prediction's loss in [0, 1].
     *
     * @throws SeerException with {@link MonitoringErrorCode#INVALID_ARGUMENT} for NaN or infinity
     */
    @Override
    public State update(double value) {
        if (!Double.isFinite(value)) {
            throw invalid("ADWIN takes finite values, not [" + value + "]");
        }
        if (state == State.DRIFT) {
            window = newWindow();
        }
        state = window.update(value) ? State.DRIFT : State.STABLE;
        if (state == State.DRIFT) {
            detections++;
        }
        return state;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public long detections() {
        return detections;
    }

    /** How many values the current window holds. */
    public long width() {
        return (long) window.width();
    }

    /** The mean of the current window (river's {@code estimation}), 0 when it is empty. */
    public double mean() {
        return window.width() > 0 ? window.total() / window.width() : 0.0;
    }

    /**
     * The population variance of the current window, 0 when it is empty. River's {@code variance}
     * is the sum of squared deviations, this divided by the width.
     */
    public double variance() {
        return window.width() > 0 ? window.sumOfSquares() / window.width() : 0.0;
    }

    double total() {
        return window.total();
    }

    double sumOfSquares() {
        return window.sumOfSquares();
    }

    @Override
    public byte[] toBytes() {
        StateCodec.Writer out = StateCodec.writer(StateCodec.KIND_ADWIN);
        out.writeDouble(delta);
        out.writeInt(clock);
        out.writeInt(maxBuckets);
        out.writeInt(minWindowLength);
        out.writeInt(gracePeriod);
        out.writeByte(state.ordinal());
        out.writeLong(detections);
        out.writeDouble(window.total());
        out.writeDouble(window.sumOfSquares());
        out.writeDouble(window.width());
        out.writeInt(window.tick());
        out.writeInt(window.levels().size());
        for (Window.Level level : window.levels()) {
            out.writeInt(level.size());
            for (int k = 0; k < level.size(); k++) {
                out.writeDouble(level.total(k));
                out.writeDouble(level.ssd(k));
            }
        }
        return out.toBytes();
    }

    static Adwin read(StateCodec.Reader in) {
        Adwin adwin;
        try {
            adwin = new Adwin(in.readDouble(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
        } catch (SeerException e) {
            throw StateCodec.corrupt("ADWIN settings out of range: " + e.getMessage());
        }
        adwin.state = in.readState();
        if (adwin.state == State.WARNING) {
            throw StateCodec.corrupt("ADWIN has no warning state");
        }
        adwin.detections = in.readLong();
        double total = in.readDouble();
        double ssd = in.readDouble();
        double width = in.readDouble();
        int tick = in.readInt();
        StateCodec.checkFinite(total, ssd, width);
        int levelCount = in.readInt();
        if (adwin.detections < 0 || tick < 0 || levelCount < 1 || levelCount > 62) {
            throw StateCodec.corrupt("ADWIN detections [" + adwin.detections + "], tick [" + tick + "] or levels ["
                    + levelCount + "] out of range");
        }
        Window window = adwin.window;
        double counted = 0;
        for (int i = 0; i < levelCount; i++) {
            if (i > 0) {
                window.levels().add(new Window.Level(adwin.maxBuckets));
            }
            int size = in.readInt();
            boolean lastLevel = i == levelCount - 1;
            if (size < 0 || size > adwin.maxBuckets || (lastLevel && i > 0 && size == 0)) {
                throw StateCodec.corrupt("ADWIN level [" + i + "] holds [" + size + "] buckets");
            }
            for (int k = 0; k < size; k++) {
                double bucketTotal = in.readDouble();
                double bucketSsd = in.readDouble();
                StateCodec.checkFinite(bucketTotal, bucketSsd);
                window.levels().get(i).add(bucketTotal, bucketSsd);
            }
            counted += size * (double) (1L << i);
        }
        if (counted != width) {
            throw StateCodec.corrupt("ADWIN width [" + width + "] is not the buckets' [" + counted + "]");
        }
        window.restore(total, ssd, width, tick);
        return adwin;
    }

    private static SeerException invalid(String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, message, Map.of());
    }
}
