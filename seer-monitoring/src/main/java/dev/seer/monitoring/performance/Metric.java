package dev.seer.monitoring.performance;

/**
 * The binary-classification metrics that {@link Cbpe} estimates and {@link Realised} measures.
 * All lie in [0, 1]; the positive class is label 1.
 */
public enum Metric {
    /** Share of rows whose predicted label equals the true one. */
    ACCURACY,
    /** TP / (TP + FP): of the rows predicted positive, the share truly positive. */
    PRECISION,
    /** TP / (TP + FN), also called sensitivity or true positive rate. */
    RECALL,
    /** 2TP / (2TP + FP + FN), the harmonic mean of precision and recall. */
    F1,
    /** TN / (TN + FP), the true negative rate (sklearn: recall of class 0). */
    SPECIFICITY,
    /** Area under the ROC curve of the raw scores; needs no predicted label. */
    ROC_AUC
}
