package dev.seer.monitoring.concept;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;

/**
 * A detector fed one value at a time, answering after each whether the stream has changed. After
 * a {@link State#DRIFT} the detector starts afresh on the next value, as river's detectors do: the
 * statistics that flagged the change describe the old concept, not the new one.
 */
public interface DriftDetector {

    /** The detector's verdict after a value. */
    enum State {
        /** Nothing unusual. */
        STABLE,
        /** The error rate has risen past the warning level but not the drift level (DDM only). */
        WARNING,
        /** The stream changed at or shortly before this value; the detector resets on the next one. */
        DRIFT
    }

    /** Feeds one value and returns the verdict after it. */
    State update(double value);

    /** The verdict after the last value ({@link State#STABLE} before any). */
    State state();

    /** How many times this detector has reported {@link State#DRIFT} since it was created. */
    long detections();

    /** The detector's settings and state as a compact versioned byte form; see {@link #fromBytes}. */
    byte[] toBytes();

    /**
     * Reads a detector written by {@link #toBytes}, of either kind; it continues exactly as the
     * written one would have.
     *
     * @throws SeerException with {@link MonitoringErrorCode#CORRUPT_STATE} when the bytes are not
     *     such a form (unknown kind or version, truncated, inconsistent or trailing bytes)
     */
    static DriftDetector fromBytes(byte[] bytes) {
        return StateCodec.read(bytes);
    }
}
