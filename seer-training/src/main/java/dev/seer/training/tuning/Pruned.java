package dev.seer.training.tuning;

/** Thrown by an objective to stop its trial early; the trial is recorded PRUNED, not FAILED. */
public final class Pruned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Pruned() {
        super("trial pruned", null, false, false);
    }
}
