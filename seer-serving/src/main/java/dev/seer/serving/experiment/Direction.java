package dev.seer.serving.experiment;

/** Which way a test's metric improves: accuracy is better higher, squared error or log loss lower. */
public enum Direction {
    HIGHER_IS_BETTER, LOWER_IS_BETTER;

    /** +1 if a positive difference (challenger minus champion) means the challenger is better, else −1. */
    int better() {
        return this == HIGHER_IS_BETTER ? 1 : -1;
    }
}
