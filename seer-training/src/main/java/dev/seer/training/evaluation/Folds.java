package dev.seer.training.evaluation;

import dev.seer.training.Task;
import dev.seer.training.data.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Assigns rows to cross-validation folds, seeded: for classification stratified (each class's
 * rows shuffled and dealt round the folds in turn, as scikit-learn's StratifiedKFold keeps class
 * shares), for regression shuffled and dealt. Every fold gets rows; a class with fewer rows than
 * folds leaves some folds without it, which the metrics of those folds then say (NaN where undefined).
 */
public final class Folds {
    private final int[] fold;
    private final int count;

    private Folds(int[] fold, int count) {
        this.fold = fold;
        this.count = count;
    }

    public static Folds assign(Frame frame, int count, long seed) {
        int n = frame.rows();
        if (n < count) {
            throw new IllegalArgumentException(n + " rows cannot make " + count + " folds");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] fold = new int[n];
        int next = 0;
        for (List<Integer> group : groups(frame)) {
            int[] rows = group.stream().mapToInt(Integer::intValue).toArray();
            shuffle(rows, random);
            for (int row : rows) {
                fold[row] = next;
                next = (next + 1) % count;
            }
        }
        return new Folds(fold, count);
    }

    /** {@code repeats} independent assignments of {@code count} folds, each with its own seed. */
    public static List<Folds> repeated(Frame frame, int count, int repeats, long seed) {
        List<Folds> all = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int r = 0; r < repeats; r++) {
            all.add(assign(frame, count, seeds.nextLong()));
        }
        return all;
    }

    private static List<List<Integer>> groups(Frame frame) {
        int k = frame.task() == Task.REGRESSION ? 1 : frame.classes().size();
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            groups.add(new ArrayList<>());
        }
        for (int row = 0; row < frame.rows(); row++) {
            groups.get(k == 1 ? 0 : (int) frame.y()[row]).add(row);
        }
        return groups;
    }

    private static void shuffle(int[] rows, SplittableRandom random) {
        for (int i = rows.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
    }

    public int count() {
        return count;
    }

    /** The rows of fold {@code k} (held out) or of every other fold (trained on). */
    public int[] rows(int k, boolean heldOut) {
        return IntStream.range(0, fold.length).filter(r -> (fold[r] == k) == heldOut).toArray();
    }

    /** The mean ratio of held-out to training rows, which Nadeau and Bengio's correction needs. */
    public double testToTrainRatio() {
        double sum = 0;
        for (int k = 0; k < count; k++) {
            int test = rows(k, true).length;
            sum += (double) test / (fold.length - test);
        }
        return sum / count;
    }
}
