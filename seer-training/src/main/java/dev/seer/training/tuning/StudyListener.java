package dev.seer.training.tuning;

/**
 * Hears about trials as a study runs, from the study's worker threads (implementations must be
 * thread-safe). Recording every {@code trialStarted} and {@code trialFinished} is enough to
 * {@link Study#resume} after an interruption.
 */
public interface StudyListener {
    default void trialStarted(Trial trial) {}

    default void trialFinished(Trial trial) {}

    StudyListener NONE = new StudyListener() {};
}
