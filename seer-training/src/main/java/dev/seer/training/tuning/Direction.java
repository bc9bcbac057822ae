package dev.seer.training.tuning;

/** Whether a study looks for the smallest or the largest objective value. */
public enum Direction {
    MINIMIZE,
    MAXIMIZE;

    /** True when {@code a} is strictly better than {@code b} in this direction. */
    boolean better(double a, double b) {
        return this == MINIMIZE ? a < b : a > b;
    }

    /** The value as a loss: smaller is better whatever the direction. */
    double loss(double value) {
        return this == MINIMIZE ? value : -value;
    }
}
