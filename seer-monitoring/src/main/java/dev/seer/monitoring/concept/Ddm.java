package dev.seer.monitoring.concept;

import static dev.seer.monitoring.concept.StateCodec.checkFinite;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import java.util.Map;

/**
 * Drift Detection Method: Gama, Medas, Castillo and Rodrigues, "Learning with Drift Detection",
 * SBIA 2004, pp. 286-295, with the defaults and the exact rules of river's {@code
 * river/drift/binary/ddm.py} (docs/design/monitoring-research.md §5.1).
 *
 * <p>The input is a stream of bits, 1 for a wrong prediction. While the concept is stable a
 * learner's error rate p (the running mean) falls or holds, and its standard deviation is s =
 * sqrt(p(1-p)/n). DDM remembers p_min and s_min at the moment p + s was smallest, and once more
 * than {@code warmStart} bits have been seen it reports a warning when p + s > p_min + 2 s_min and
 * a drift when p + s > p_min + 3 s_min. As in river (and unlike the paper's ≥) the comparisons are
 * strict, a tie at the minimum replaces it, and after a drift the next value starts from nothing.
 *
 * <p>Kept from river on purpose: with no error at all in the first values s_min is 0, so the
 * first error after the warm start is a drift. That is what river does; a caller that wants
 * otherwise can use a longer warm start.
 */
public final class Ddm implements DriftDetector {
    /** River's defaults: 30 values before any verdict, 2 standard deviations to warn, 3 to drift. */
    public static final int DEFAULT_WARM_START = 30;
    public static final double DEFAULT_WARNING_THRESHOLD = 2.0;
    public static final double DEFAULT_DRIFT_THRESHOLD = 3.0;

    private final int warmStart;
    private final double warningThreshold;
    private final double driftThreshold;

    // n is a double because river's running mean counts in floating point; the mean's update is
    // river's (mean += (x - mean) / n), so the values agree to the last bit.
    private double n;
    private double mean;
    private double pMin;
    private double sMin;
    private double psMin;
    private State state;
    private long detections;

    /** A DDM with river's defaults. */
    public Ddm() {
        this(DEFAULT_WARM_START, DEFAULT_WARNING_THRESHOLD, DEFAULT_DRIFT_THRESHOLD);
    }

    public Ddm(int warmStart, double warningThreshold, double driftThreshold) {
        if (warmStart < 0) {
            throw invalid("DDM warm start [" + warmStart + "] is negative");
        }
        if (!(warningThreshold > 0) || !(driftThreshold >= warningThreshold) || Double.isInfinite(driftThreshold)) {
            throw invalid("DDM thresholds need 0 < warning [" + warningThreshold + "] <= drift [" + driftThreshold
                    + "] < infinity");
        }
        this.warmStart = warmStart;
        this.warningThreshold = warningThreshold;
        this.driftThreshold = driftThreshold;
        this.state = State.STABLE;
        reset();
    }

    private void reset() {
        n = 0;
        mean = 0;
        pMin = Double.POSITIVE_INFINITY;
        sMin = Double.POSITIVE_INFINITY;
        psMin = Double.POSITIVE_INFINITY;
    }

    /**
     * Feeds one prediction outcome: 1 for an error, 0 for a correct prediction.
     *
     * @throws SeerException with {@link MonitoringErrorCode#INVALID_ARGUMENT} for any other value
     */
    @Override
    public State update(double error) {
        if (error != 0.0 && error != 1.0) {
            throw invalid("DDM takes 0 (correct) or 1 (error), not [" + error + "]");
        }
        if (state == State.DRIFT) {
            reset();
            state = State.STABLE;
        }
        n += 1.0;
        mean += (1.0 / n) * (error - mean);
        double s = Math.sqrt(mean * (1 - mean) / n);
        if (n > warmStart) {
            judge(mean, s);
        }
        return state;
    }

    private void judge(double p, double s) {
        if (p + s <= psMin) {
            pMin = p;
            sMin = s;
            psMin = pMin + sMin;
        }
        if (p + s > pMin + driftThreshold * sMin) {
            state = State.DRIFT;
            detections++;
        } else if (p + s > pMin + warningThreshold * sMin) {
            state = State.WARNING;
        } else {
            state = State.STABLE;
        }
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public long detections() {
        return detections;
    }

    /** How many values the current concept has seen (since creation or the last drift). */
    public long count() {
        return (long) n;
    }

    /** The error rate of the current concept, 0 before any value. */
    public double errorRate() {
        return mean;
    }

    @Override
    public byte[] toBytes() {
        StateCodec.Writer out = StateCodec.writer(StateCodec.KIND_DDM);
        out.writeInt(warmStart);
        out.writeDouble(warningThreshold);
        out.writeDouble(driftThreshold);
        out.writeDouble(n);
        out.writeDouble(mean);
        out.writeDouble(pMin);
        out.writeDouble(sMin);
        out.writeDouble(psMin);
        out.writeByte(state.ordinal());
        out.writeLong(detections);
        return out.toBytes();
    }

    static Ddm read(StateCodec.Reader in) {
        Ddm ddm;
        try {
            ddm = new Ddm(in.readInt(), in.readDouble(), in.readDouble());
        } catch (SeerException e) {
            throw StateCodec.corrupt("DDM settings out of range: " + e.getMessage());
        }
        ddm.n = in.readDouble();
        ddm.mean = in.readDouble();
        ddm.pMin = in.readDouble();
        ddm.sMin = in.readDouble();
        ddm.psMin = in.readDouble();
        ddm.state = in.readState();
        ddm.detections = in.readLong();
        checkFinite(ddm.n, ddm.mean);
        if (ddm.n < 0 || ddm.n != Math.rint(ddm.n) || ddm.mean < 0 || ddm.mean > 1 || ddm.detections < 0) {
            throw StateCodec.corrupt("DDM count [" + ddm.n + "], rate [" + ddm.mean + "] or detections ["
                    + ddm.detections + "] out of range");
        }
        return ddm;
    }

    private static SeerException invalid(String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, message, Map.of());
    }
}
