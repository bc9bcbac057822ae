package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One run of the retraining loop as recorded: what triggered it (an alert rule id,
 * {@code schedule}, or {@code manual}), when it started and finished, and what it made: the dataset
 * version, the training run, the model version ({@code MODEL:V}), whether the gate passed, and the
 * outcome in words (or the error of a failed run).
 */
public record RetrainRun(String id, String deployment, String trigger, Instant started, Optional<Instant> finished,
        Status status, Optional<String> dataset, Optional<String> runId, Optional<String> modelVersion,
        Optional<Boolean> gatePassed, String outcome, String error) {
    /** Where a run stands; every status but RUNNING is final. */
    public enum Status {
        RUNNING, CHALLENGER_DEPLOYED, PROMOTED, REJECTED, SKIPPED, FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RetrainRun {
        requireNonNull(id, "id is null");
        requireNonNull(deployment, "deployment is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(started, "started is null");
        requireNonNull(finished, "finished is null");
        requireNonNull(status, "status is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(modelVersion, "modelVersion is null");
        requireNonNull(gatePassed, "gatePassed is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(error, "error is null");
    }

    /** A run just started, with nothing made yet. */
    public static RetrainRun started(String id, String deployment, String trigger, Instant at) {
        return new RetrainRun(id, deployment, trigger, at, Optional.empty(), Status.RUNNING, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), "", "");
    }

    public RetrainRun withDataset(String version) {
        return new RetrainRun(id, deployment, trigger, started, finished, status, Optional.of(version), runId, modelVersion,
                gatePassed, outcome, error);
    }

    public RetrainRun withTrained(String run, Optional<String> version, Optional<Boolean> passed) {
        return new RetrainRun(id, deployment, trigger, started, finished, status, dataset, Optional.of(run), version, passed,
                outcome, error);
    }

    /** This run finished at {@code at} with {@code status}, its outcome in words and, if it failed, the error. */
    public RetrainRun finished(Instant at, Status finalStatus, String words, String failure) {
        return new RetrainRun(id, deployment, trigger, started, Optional.of(at), finalStatus, dataset, runId, modelVersion,
                gatePassed, words, failure);
    }
}
