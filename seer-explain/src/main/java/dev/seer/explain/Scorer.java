package dev.seer.explain;

/** A metric of predictions against labels, for permutation importance (the training module supplies its metrics). */
public interface Scorer {
    String name();

    boolean higherIsBetter();

    double score(double[][] predictions, double[] labels);
}
