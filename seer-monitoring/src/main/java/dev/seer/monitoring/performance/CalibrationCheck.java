package dev.seer.monitoring.performance;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Whether isotonic calibration lowers the calibration error of the reference's scores, decided as
 * NannyML's {@code needs_calibration} does (nannyml/calibration.py, commit 4c86ee35): no when the
 * reference has one class or its ROC AUC exceeds 0.999; otherwise 10 stratified 90/10 splits,
 * the calibrator fitted on each 90% and applied to its 10%, the ten test parts concatenated, and
 * the expected calibration error (ECE) of the raw and of the calibrated test scores compared once
 * (NannyML's docstring speaks of "any fold"; its code pools the folds, and so do we). Calibrate
 * iff ECE(raw) > ECE(calibrated).
 *
 * <p>ECE: rows sorted by score and cut into 10 equal-count bins by position (NannyML's
 * {@code _get_bin_index_edges}: width = length / 10 rounded down, edges at multiples of the
 * width, the last edge moved to the length; half as many bins as rows when there are at most 20);
 * ECE = sum over bins of (bin rows / rows) * |mean score - mean label|.
 *
 * <p>Two deliberate differences, both so that the decision can be reproduced outside numpy: the
 * splits come from {@link SplitMix64} seeded with the options' seed (default 42, NannyML's
 * {@code random_state}) shuffling each class and taking ceil(10%) of it as test rows, where
 * NannyML uses sklearn's {@code StratifiedShuffleSplit}; and ties in the sort are broken by
 * position (a stable sort), where numpy's default quicksort leaves their order unspecified.
 * Isotonic calibration produces many tied values, so this fixes which labels share a bin.
 */
final class CalibrationCheck {
    static final int SPLITS = 10;
    static final int BINS = 10;

    private CalibrationCheck() {
    }

    static boolean needed(double[] scores, int[] labels, long seed) {
        int positives = 0;
        for (int label : labels) {
            positives += label;
        }
        if (positives == 0 || positives == labels.length) {
            return false;
        }
        if (Ranking.aucAndVariance(scores, labels)[0] > 0.999) {
            return false;
        }
        int[][] byClass = {indicesOf(labels, 0), indicesOf(labels, 1)};
        int[] testSize = {(byClass[0].length + 9) / 10, (byClass[1].length + 9) / 10};
        int perSplit = testSize[0] + testSize[1];
        double[] raw = new double[SPLITS * perSplit];
        double[] calibrated = new double[raw.length];
        int[] truth = new int[raw.length];
        SplitMix64 random = new SplitMix64(seed);
        int at = 0;
        for (int split = 0; split < SPLITS; split++) {
            int[] test = new int[perSplit];
            int[] train = new int[labels.length - perSplit];
            int t = 0;
            int r = 0;
            for (int c = 0; c < 2; c++) {
                int[] shuffled = byClass[c].clone();
                random.shuffle(shuffled);
                for (int k = 0; k < shuffled.length; k++) {
                    if (k < testSize[c]) {
                        test[t++] = shuffled[k];
                    } else {
                        train[r++] = shuffled[k];
                    }
                }
            }
            Isotonic isotonic = Isotonic.fit(scores, labels, train);
            for (int row : test) {
                raw[at] = scores[row];
                calibrated[at] = isotonic.apply(scores[row]);
                truth[at] = labels[row];
                at++;
            }
        }
        return ece(raw, truth) > ece(calibrated, truth);
    }

    private static int[] indicesOf(int[] labels, int label) {
        return IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
    }

    static double ece(double[] probabilities, int[] labels) {
        int n = probabilities.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[a], probabilities[b]));
        int[] edges = binEdges(n, BINS);
        double ece = 0;
        for (int b = 0; b + 1 < edges.length; b++) {
            double sumP = 0;
            double sumY = 0;
            for (int k = edges[b]; k < edges[b + 1]; k++) {
                sumP += probabilities[order[k]];
                sumY += labels[order[k]];
            }
            int length = edges[b + 1] - edges[b];
            ece += (double) length / n * Math.abs(sumP / length - sumY / length);
        }
        return ece;
    }

    static int[] binEdges(int length, int bins) {
        int count = length <= 2 * bins ? length / 2 : bins;
        if (count < 2) {
            throw Inputs.invalid("Cannot cut [" + length + "] rows into two calibration bins");
        }
        int width = length / count;
        int[] edges = new int[length / width + 1];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = i * width;
        }
        edges[edges.length - 1] = length;
        return edges;
    }
}
