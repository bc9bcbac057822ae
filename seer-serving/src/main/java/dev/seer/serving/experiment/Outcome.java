package dev.seer.serving.experiment;

/** What one outcome of a sequential test is, which decides how its variance is estimated. */
public enum Outcome {
    /** 0 or 1 (a conversion, a correct prediction): the variance of an arm is p̂(1 − p̂). */
    BERNOULLI,
    /** Any finite number (a squared error, a log loss per prediction): the variance of an arm is its sample variance. */
    CONTINUOUS
}
