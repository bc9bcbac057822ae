package dev.seer.training.data;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A dataset version read for training: its splits as frames with one feature encoding and one
 * class order, and the columns that were not taken as features, with why.
 *
 * @param validation empty (no rows) when the version has no validation split
 */
public record TrainingData(DatasetSource.Snapshot snapshot, String label, Frame train, Frame validation, Frame test,
        List<String> leftOut) {
    public TrainingData {
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(label, "label is null");
        requireNonNull(train, "train is null");
        requireNonNull(validation, "validation is null");
        requireNonNull(test, "test is null");
        leftOut = List.copyOf(leftOut);
    }

    /** The rows cross-validation folds: train and validation together. */
    public Frame development() {
        return validation.rows() == 0 ? train : train.concat(validation);
    }
}
