package dev.seer.explain;

/** A model as global explanations use it: rows in, one prediction (its outputs) per row out. */
@FunctionalInterface
public interface Predictor {
    double[][] predict(double[][] rows);
}
