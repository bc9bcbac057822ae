package dev.seer.features.online;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Whether the online store can serve lookups, as {@link OnlineGuard} last found it.
 *
 * @param state READY, or why lookups are refused
 * @param reason what was found, in words (empty when ready from the start)
 * @param generation the store's generation: how many times its contents were (re)established; 0 before the first
 * @param since when the state began
 */
public record OnlineHealth(State state, String reason, long generation, Instant since) {
    /**
     * READY: lookups are served. UNREACHABLE: the store does not answer. REBUILDING: the store
     * lost its contents and is being loaded again from the offline store.
     */
    public enum State { READY, UNREACHABLE, REBUILDING }

    public OnlineHealth {
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(since, "since is null");
    }

    public boolean ready() {
        return state == State.READY;
    }
}
