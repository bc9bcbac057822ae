package dev.seer.features.online;

/**
 * The part of a rebuild the offline store cannot do: the window aggregates, which only the
 * stream aggregation computes and writes ({@code stream.Streaming} is the implementation).
 * {@link OnlineGuard} calls it while the store is REBUILDING and completes the marker only once
 * it returned, so lookups are refused until every window state is back.
 */
@FunctionalInterface
public interface WindowStates {
    /**
     * Writes every current window state into the online store again, returning once all are
     * written; the number written. Throws a {@link dev.seer.core.SeerException} with
     * {@link dev.seer.features.FeatureErrorCode#WINDOW_STATES_UNAVAILABLE} when some cannot be
     * (no aggregation of them runs, or it did not answer in time).
     */
    long rewrite();
}
