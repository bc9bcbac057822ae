package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a {@link Monitor} keeps its concept-drift detectors between windows, per deployment and
 * detector ({@code ddm}, {@code adwin}): the detector's byte form, the end of the last window it
 * was fed, and whether it detected in that window, so a window evaluated again is not fed twice.
 * {@link AlertStore} keeps them in the metadata store; {@link #inMemory()} is for tests and tools.
 */
public interface DetectorStates {
    /** A detector as saved after a window. */
    @SuppressWarnings("ArrayRecordComponent")
    record Saved(byte[] state, Instant fedThrough, boolean detected) {
        public Saved {
            requireNonNull(state, "state is null");
            requireNonNull(fedThrough, "fedThrough is null");
        }
    }

    Optional<Saved> read(String deployment, String detector);

    void write(String deployment, String detector, Saved saved);

    /** States held in memory only, lost with the process. */
    static DetectorStates inMemory() {
        Map<String, Saved> states = new ConcurrentHashMap<>();
        return new DetectorStates() {
            @Override
            public Optional<Saved> read(String deployment, String detector) {
                return Optional.ofNullable(states.get(deployment + '/' + detector));
            }

            @Override
            public void write(String deployment, String detector, Saved saved) {
                states.put(deployment + '/' + detector, requireNonNull(saved, "saved is null"));
            }
        };
    }
}
