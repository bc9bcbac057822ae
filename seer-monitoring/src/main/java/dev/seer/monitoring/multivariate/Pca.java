package dev.seer.monitoring.multivariate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * Principal components from a covariance matrix, kept the way scikit-learn's {@code
 * PCA(n_components=<float>)} keeps them: the fewest leading components whose cumulative share of
 * the variance exceeds the fraction (sklearn: {@code searchsorted(cumsum, fraction, side="right") +
 * 1}). Working on the p x p covariance rather than the n x p data keeps the memory independent of
 * the reference's size; the eigenvectors of the covariance are the right singular vectors sklearn
 * takes from the data, up to sign. Signs are fixed so that each component's largest entry (in
 * absolute value) is positive.
 */
final class Pca {
    private final double[] mean;
    private final double[][] components; // k x p, rows orthonormal
    private final double[] explainedVarianceRatio; // all p, descending

    private Pca(double[] mean, double[][] components, double[] explainedVarianceRatio) {
        this.mean = mean;
        this.components = components;
        this.explainedVarianceRatio = explainedVarianceRatio;
    }

    static Pca fit(double[] mean, double[][] covariance, double varianceToKeep) {
        int p = mean.length;
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(covariance, false));
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = IntStream.range(0, p).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> values[i]).reversed());
        double sum = 0;
        for (double value : values) {
            sum += Math.max(value, 0.0);
        }
        double[] ratio = new double[p];
        for (int i = 0; i < p; i++) {
            ratio[i] = sum > 0 ? Math.max(values[order[i]], 0.0) / sum : 0.0;
        }
        int keep = componentsFor(ratio, varianceToKeep);
        double[][] components = new double[keep][];
        for (int i = 0; i < keep; i++) {
            components[i] = signFixed(eigen.getEigenvector(order[i]));
        }
        return new Pca(mean.clone(), components, ratio);
    }

    private static int componentsFor(double[] ratio, double varianceToKeep) {
        double cumulative = 0;
        int atOrBelow = 0;
        for (double r : ratio) {
            cumulative += r;
            if (cumulative <= varianceToKeep) {
                atOrBelow++;
            }
        }
        return Math.min(atOrBelow + 1, ratio.length);
    }

    private static double[] signFixed(RealVector vector) {
        double[] v = vector.toArray();
        int largest = 0;
        for (int j = 1; j < v.length; j++) {
            if (Math.abs(v[j]) > Math.abs(v[largest])) {
                largest = j;
            }
        }
        if (v[largest] < 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] = -v[j];
            }
        }
        return v;
    }

    /** The Euclidean distance between a row and its projection onto the kept components. */
    double reconstructionError(double[] row) {
        int p = mean.length;
        double[] centred = new double[p];
        for (int j = 0; j < p; j++) {
            centred[j] = row[j] - mean[j];
        }
        double[] reconstructed = new double[p];
        for (double[] component : components) {
            double score = 0;
            for (int j = 0; j < p; j++) {
                score += centred[j] * component[j];
            }
            for (int j = 0; j < p; j++) {
                reconstructed[j] += score * component[j];
            }
        }
        double squares = 0;
        for (int j = 0; j < p; j++) {
            double d = centred[j] - reconstructed[j];
            squares += d * d;
        }
        return Math.sqrt(squares);
    }

    int componentCount() {
        return components.length;
    }

    double[][] components() {
        double[][] copy = new double[components.length][];
        for (int i = 0; i < components.length; i++) {
            copy[i] = components[i].clone();
        }
        return copy;
    }

    double[] explainedVarianceRatio() {
        return explainedVarianceRatio.clone();
    }
}
