package dev.seer.bench;

import dev.seer.core.home.FileTrees;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every harness needs: a clean working folder and medians. */
final class BenchFiles {
    private BenchFiles() {}

    /** Removes {@code dir} and everything in it, if it exists. */
    static void deleteTree(Path dir) {
        FileTrees.delete(dir);
    }

    /** The median (of an even count, the upper of the middle two). */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
