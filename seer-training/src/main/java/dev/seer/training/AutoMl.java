package dev.seer.training;

import dev.seer.core.SeerException;
import dev.seer.training.data.DatasetSource;
import dev.seer.training.data.FrameReader;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Automatic mode: a training spec chosen from the data and a time budget, run through the same
 * path as a written spec (so its run, report and gate are the same kind of thing, and its spec is
 * recorded and hashed like any other). The task is read from the label; the candidates are
 * XGBoost tuned by TPE (the candidate that usually wins on tabular data, given most of the
 * budget), a random forest, the task's linear model and the baseline, at their defaults. No ASHA:
 * on 100,000 rows it pruned the slow-learning-rate, many-round trials that win (AUC 0.8280 against
 * Optuna's 0.8333; without it 0.8333 against 0.8333, docs/BENCHMARKS.md). Half of the budget goes to tuning; the rest is the one evaluation of every candidate,
 * whose cost grows with the rows, so the budget is a target, not a hard stop.
 */
public final class AutoMl {
    /** The share of the budget the study may take. */
    static final double TUNING_SHARE = 0.5;
    /** A cap on trials the timeout will in practice cut first. */
    static final int MAX_TRIALS = 10_000;

    private AutoMl() {}

    /**
     * @param label empty: the label recorded with the version
     * @param task empty: read from the label (two values: binary; a few whole numbers or any text: multiclass; else regression)
     */
    public static TrainingSpec spec(DatasetSource.Snapshot snapshot, Optional<String> label, Optional<Task> task,
            Duration time, long seed) {
        if (time.isNegative() || time.isZero()) {
            throw new SeerException(TrainingErrorCode.INVALID_SPEC, "The time budget must be positive, not [" + time + "]",
                    Map.of("field", "time"));
        }
        String labelColumn = label.or(snapshot::label).orElseThrow(() -> new SeerException(TrainingErrorCode.INVALID_DATA,
                "Dataset " + snapshot.ref() + " recorded no label; give one with --label", Map.of("field", "label")));
        Task chosen = task.orElseGet(() -> FrameReader.inferTask(snapshot, labelColumn));
        String name = "automl-" + snapshot.ref().substring(0, snapshot.ref().indexOf(':'));
        long tuningSeconds = Math.max(1, (long) (time.toSeconds() * TUNING_SHARE));
        String linear = chosen == Task.BINARY ? "  - algorithm: logistic\n" : chosen == Task.REGRESSION
                ? "  - algorithm: linear\n" : "";
        String yaml = String.format(Locale.ROOT, """
                # chosen by seer automl for %s, label %s, budget %ds
                name: %s
                dataset: %s
                label: %s
                task: %s
                seed: %d
                candidates:
                  - algorithm: xgboost
                    search:
                      max_depth: {int: [2, 10]}
                      eta: {log: [0.01, 0.3]}
                      rounds: {int: [50, 500]}
                      min_child_weight: {log: [1, 20]}
                      subsample: {float: [0.5, 1]}
                      colsample_bytree: {float: [0.5, 1]}
                  - algorithm: random_forest
                %stuning: {strategy: tpe, trials: %d, timeout: %ds, early_stopping: none}
                """, snapshot.ref(), labelColumn, time.toSeconds(), name, snapshot.ref(), labelColumn, chosen.id(), seed,
                linear, MAX_TRIALS, tuningSeconds);
        return TrainingSpec.parse(name + ".yaml", yaml);
    }
}
