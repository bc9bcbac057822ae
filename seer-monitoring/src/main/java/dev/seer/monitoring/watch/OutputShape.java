package dev.seer.monitoring.watch;

/**
 * What a watched model outputs, which decides its output column and the performance figures
 * that apply: a binary classifier's score (probability of class 1) gets CBPE and AUC, a
 * regressor's value gets error figures, a multiclass classifier's class is a categorical column.
 */
public enum OutputShape {
    /** A binary classifier's probability of class 1: a numeric column, CBPE applies. */
    SCORE,
    /** A regressor's value: a numeric column. */
    VALUE,
    /** A multiclass classifier's predicted class (the index of its largest probability): a categorical column. */
    CLASS
}
